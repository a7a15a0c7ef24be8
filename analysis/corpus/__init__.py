"""Corpus scale: an archive through the briefing's extractors into Parquet, queried with DuckDB."""
