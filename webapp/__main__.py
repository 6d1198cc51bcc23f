"""`python -m webapp` runs the `peel-web` command."""

from webapp.cli import main

main()
