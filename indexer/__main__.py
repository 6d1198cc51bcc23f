"""`python -m indexer` runs the `peel-index` command."""

from indexer.cli import main

main()
