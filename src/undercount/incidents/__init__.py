"""Stage: incidents (see DESIGN.md)."""

__all__: list[str] = []
