"""``python -m undercount`` runs the CLI."""

from undercount.cli import main

main()
