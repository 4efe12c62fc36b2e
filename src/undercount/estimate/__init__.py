"""Stage: estimate (see DESIGN.md)."""

__all__: list[str] = []
