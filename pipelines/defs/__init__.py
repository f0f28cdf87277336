"""Dagster definitions, one folder per layer: ingest → parse → facts → models."""
