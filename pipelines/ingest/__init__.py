"""Getting pages in: live Sina listing and fetching, folder imports, and the raw archive.

The live path in one call: `ingest_day(day, IngestSettings.from_env(), RawArchive(root))`.
"""
