"""Getting pages in: live Sina listing and fetching, folder imports, and the raw archive.

A day of live ingestion is `list_articles` then `collect_pages` in pipelines.sources; the
pages that could not be had are kept, and retried, in the warehouse's failures table.
"""
