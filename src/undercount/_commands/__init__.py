"""CLI command modules; each registers its commands on ``undercount.cli.app``."""
