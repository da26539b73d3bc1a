"""``python -m toolkit`` runs the ``isms`` command line."""

from toolkit.cli import main

main()
