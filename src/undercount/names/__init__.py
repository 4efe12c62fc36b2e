"""Stage: names (see DESIGN.md)."""

__all__: list[str] = []
