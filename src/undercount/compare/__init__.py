"""Stage: compare (see DESIGN.md)."""

__all__: list[str] = []
