"""Turn news sources about China's space diplomacy into facts with provenance, charts and a briefing."""

import sys

# jsonschema (through nbformat, which plotly's renderers and nbclient import) loads the optional
# IRI-format checker `rfc3987_syntax`, which compiles a Lark grammar at import: 1.6 s in every
# kernel, build and test process. Nothing here validates IRI formats, so it is switched off;
# jsonschema treats the module as absent (it imports it under `suppress(ImportError)`).
sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]

from .build.kernel_warnings import route_to_log  # noqa: E402
from .errors import InputError  # noqa: E402
from .inputs.sources import Source, Span, load_sources, read_source  # noqa: E402
from .paths import ProjectPaths  # noqa: E402

route_to_log()  # in a kernel the build started: warnings to the terminal, not into the outputs

__all__ = ["InputError", "ProjectPaths", "Source", "Span", "load_sources", "read_source"]
