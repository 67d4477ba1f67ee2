"""A reproducible news-text pipeline: raw articles -> entities, dates and numeric claims in Parquet."""

__version__ = "0.1.0"
