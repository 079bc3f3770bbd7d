"""``python -m planparse`` runs the command line."""

from .cli import main

main()
