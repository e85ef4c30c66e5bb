"""``python -m pipeline`` runs the ``publish`` command."""

from pipeline.cli import run

run()
