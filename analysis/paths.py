"""Where the project's inputs and outputs live, in one place.

The root can be moved with ``ANALYSIS_PROJECT_ROOT`` so that tests and the
end-to-end build can run the same code against a scratch copy of the project.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
ROOT_ENV = "ANALYSIS_PROJECT_ROOT"
BRIEFING = "09_briefing"  # notebooks/09_briefing.ipynb; other numbered notebooks are ordinary steps


@dataclass(frozen=True)
class ProjectPaths:
    root: Path

    @classmethod
    def default(cls) -> ProjectPaths:
        env = os.environ.get(ROOT_ENV)
        return cls(Path(env).resolve() if env else PACKAGE_DIR.parent)

    @property
    def seeds(self) -> Path:
        return self.root / "seeds"

    @property
    def notebooks(self) -> Path:
        return self.root / "notebooks"

    @property
    def briefing_notebook(self) -> Path:
        """The notebook exported as the briefing: named, never guessed from the numbering."""
        return self.notebooks / f"{BRIEFING}.ipynb"

    @property
    def reports(self) -> Path:
        return self.root / "reports"

    @property
    def report_data(self) -> Path:
        return self.reports / "data"

    @property
    def figures(self) -> Path:
        return self.root / "figures"

    @property
    def knowledge(self) -> Path:
        return self.root / "analysis" / "knowledge"

    @property
    def reference(self) -> Path:
        return self.root / "analysis" / "reference"

    @property
    def staging(self) -> Path:
        return self.root / ".build"

    def relative(self, path: Path) -> str:
        """A path as users see it in messages: relative to the project root when possible."""
        try:
            return str(Path(path).resolve().relative_to(self.root))
        except ValueError:
            return str(path)


TEMPLATES = PACKAGE_DIR / "templates"


def slug(text: str) -> str:
    """A file- and anchor-safe name: lower-case letters and digits joined by hyphens."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
