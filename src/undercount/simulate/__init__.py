"""Stage: simulate (see DESIGN.md)."""

__all__: list[str] = []
