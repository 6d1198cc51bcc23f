"""peel-archive's indexer: inspection reports in, tagged sections out, into a search index."""
