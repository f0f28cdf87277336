"""Benchmarks: how fast the pipeline runs, how far it scales, how its cost grows.

`python -m bench` (from the repository root) measures parsing and extraction against lxml
and trafilatura, the whole pipeline end to end over a loopback Sina, a rerun with nothing
new, the SQL models over a million facts and the extractor's worst case, and writes the
figures to BENCHMARKS.md.
"""
