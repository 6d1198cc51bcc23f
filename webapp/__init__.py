"""peel-archive's web app: faceted search over the built index, as pages and as JSON."""
