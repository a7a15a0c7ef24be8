"""Turn news sources about China's space diplomacy into facts with provenance, charts and a briefing."""

from .errors import InputError
from .paths import ProjectPaths
from .sources import Source, Span, load_sources, read_source

__all__ = ["InputError", "ProjectPaths", "Source", "Span", "load_sources", "read_source"]
