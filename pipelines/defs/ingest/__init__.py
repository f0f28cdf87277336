"""The ingest layer's assets and checks."""
