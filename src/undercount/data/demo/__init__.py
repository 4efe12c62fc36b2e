"""Bundled demo lists: SIMULATED victims, not real people (see SOURCE.md)."""
