"""Stage: model (see DESIGN.md)."""

__all__: list[str] = []
