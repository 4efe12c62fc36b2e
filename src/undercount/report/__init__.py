"""Stage: report (see DESIGN.md)."""

__all__: list[str] = []
