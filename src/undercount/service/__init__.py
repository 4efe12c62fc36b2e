"""Stage: service (see DESIGN.md)."""

__all__: list[str] = []
