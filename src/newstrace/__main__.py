"""``python -m newstrace`` runs the CLI."""

from .cli import main

main()
