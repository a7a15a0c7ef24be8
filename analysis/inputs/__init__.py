"""Inputs: the sources in ``seeds/`` and the curated knowledge, read and validated with file:line errors."""
