"""``python -m pipeline`` runs the ``publish`` command."""

from .cli import run

run()
