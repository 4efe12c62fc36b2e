"""Stage: captures (see DESIGN.md)."""

__all__: list[str] = []
