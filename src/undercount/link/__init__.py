"""Stage: link (see DESIGN.md)."""

__all__: list[str] = []
