"""Curated name and place tables (package data; see SOURCE.md)."""
