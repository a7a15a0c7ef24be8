"""Every path the project reads or writes, and how a path is shown to users: one place each.

The root can be moved with ``ANALYSIS_PROJECT_ROOT`` so that tests and the end-to-end build
can run the same code against a scratch copy. A build's staging folder mirrors the project's
layout, so ``ProjectPaths(stage)`` names the staged outputs. Standard library only: the build's
fast path imports it.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
TEMPLATES = PACKAGE_DIR / "templates"
ROOT_ENV = "ANALYSIS_PROJECT_ROOT"
AS_OF_ENV = "ANALYSIS_AS_OF"  # an edition's date: sources and reference rows up to it (YYYY-MM-DD)
PREVIOUS_ENV = "ANALYSIS_PREVIOUS"  # a previous edition's reports/data/, for "new since"
EDITIONS = "editions"  # where `build --as-of DATE` puts the edition of DATE
BRIEFING = "09_briefing"  # notebooks/09_briefing.ipynb; other numbered notebooks are ordinary steps

# What the build graph hashes, as glob patterns relative to the project root.
# A seed's provenance sidecar (seeds/NAME.source.json, written by `add`) is an input: sources.csv shows it.
ALL_INPUTS = ("seeds/*.txt", "seeds/*.source.json", "analysis/knowledge/*.yaml", "analysis/reference/*.csv")
DATA_EXCLUDES = ("analysis/knowledge/judgements.yaml",)  # the briefing's prose, not the data package's
CODE = ("analysis/**/*.py", "analysis/templates/**/*")
PINS = ("pyproject.toml",)
# Environment variables a notebook reads, each with the files of the folder it names that say what
# is in it: 04_corpus shows the corpus in CORPUS_DIR instead of the sample; 09_briefing says what
# is new since the previous edition's data (`build --previous`). Each value and those files' hashes
# are part of every notebook's cache key, so that setting, changing or unsetting one re-runs the
# notebooks instead of publishing stale outputs.
NOTEBOOK_ENVIRONMENT = {"CORPUS_DIR": ("corpus.json",),
                        PREVIOUS_ENV: ("sources.csv", "statements.csv", "statement_facts.csv", "claims.csv")}
NOTEBOOK_GRAPH = "notebooks/graph.yaml"
# Output folders the build owns: their contents are replaced as a whole on publishing.
OWNED = ("reports/data", "figures")
# In the staging folder: the build's record of what it made, and the publishing journal.
MANIFEST = "cache.json"
JOURNAL = "publish.json"
LOCK = "lock"  # held by the one build of a project that may run

# The corpus (analysis/corpus): what its per-document extraction depends on besides the documents
# (a change re-extracts every document), relative to the project root and to the package's parent.
CORPUS_KNOWLEDGE = ("analysis/knowledge/vocabulary.yaml", "analysis/knowledge/entities.yaml")
CORPUS_CODE = ("analysis/inputs/*.py", "analysis/facts/*.py", "analysis/datapackage.py",
               "analysis/corpus/archive.py", "analysis/corpus/extract.py")
# The articles synthetic corpora are made from, and the small corpus the repository ships
# (04_corpus reads it; `python -m analysis corpus synth` remakes it).
SYNTHETIC_TEMPLATES = ("seeds/000_615d141f3fb52d67.txt", "tests/fixtures/styles/*.txt",
                       "tests/fixtures/story/*.txt")
SAMPLE_CORPUS = "analysis/corpus/sample.jsonl"


@dataclass(frozen=True)
class CorpusFolder:
    """A corpus extraction's output: one folder per table, partitioned by month (hive style)."""

    root: Path

    def table(self, name: str) -> Path:
        return self.root / name

    def month(self, name: str, month: str) -> Path:
        return self.root / name / f"month={month}"

    @property
    def entities(self) -> Path:
        """The gazetteer the documents were read with (one file: it has no month)."""
        return self.root / "entities.parquet"

    @property
    def errors(self) -> Path:
        return self.root / "errors.parquet"

    @property
    def ledger(self) -> Path:
        """Each document's content hash and outcome: what a re-run skips. The name of a folder
        written before runs named their ledgers (the manifest names the current one)."""
        return self.root / "ledger.parquet"

    def run_ledger(self, run_id: str) -> Path:
        """The ledger a run writes: current once the manifest names it, in the same rename."""
        return self.root / f"ledger-{run_id}.parquet"

    def ledgers(self) -> list[Path]:
        """Every ledger file in the folder, current or left by a run that never finished."""
        return sorted(self.root.glob("ledger*.parquet"))

    @property
    def manifest(self) -> Path:
        """The knowledge version and the last run's counts."""
        return self.root / "corpus.json"

    @property
    def parts(self) -> Path:
        """Runs' per-batch files, merged into the month partitions at the end of each run."""
        return self.root / "_parts"

    def run_parts(self, run_id: str) -> Path:
        """One run's part files (its own folder: a task of a dead run cannot write into it)."""
        return self.parts / run_id

    @property
    def scratch(self) -> Path:
        """Merge scratch: staging and DuckDB's spill space (bounded memory)."""
        return self.root / "_tmp"

    def run_scratch(self, run_id: str) -> Path:
        return self.scratch / run_id


@dataclass(frozen=True)
class KnowledgeFiles:
    """The curated files in ``analysis/knowledge/``, by role."""

    folder: Path

    @property
    def vocabulary(self) -> Path:
        return self.folder / "vocabulary.yaml"

    @property
    def entities(self) -> Path:
        return self.folder / "entities.yaml"

    @property
    def relations(self) -> Path:
        return self.folder / "relations.yaml"

    @property
    def claims(self) -> Path:
        return self.folder / "claims.yaml"

    @property
    def checks(self) -> Path:
        return self.folder / "checks.yaml"

    @property
    def judgements(self) -> Path:
        return self.folder / "judgements.yaml"

    @property
    def wording(self) -> Path:
        return self.folder / "wording.yaml"

    @property
    def topics(self) -> Path:
        return self.folder / "topics.yaml"


@dataclass(frozen=True)
class ProjectPaths:
    root: Path
    as_of: str | None = None  # an edition's date: only what was published and recorded by then

    @classmethod
    def default(cls) -> ProjectPaths:
        env = os.environ.get(ROOT_ENV)
        return cls(Path(env).resolve() if env else PACKAGE_DIR.parent, os.environ.get(AS_OF_ENV) or None)

    @property
    def previous_data(self) -> Path | None:
        """A previous edition's data package, when the build was given one (``--previous``)."""
        env = os.environ.get(PREVIOUS_ENV)
        return Path(env) if env else None

    def edition(self, date: str) -> Path:
        return self.root / EDITIONS / date

    @property
    def seeds(self) -> Path:
        return self.root / "seeds"

    @property
    def notebooks(self) -> Path:
        return self.root / "notebooks"

    @property
    def notebook_graph(self) -> Path:
        return self.root / NOTEBOOK_GRAPH

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
    def briefing_html(self) -> Path:
        return self.reports / "briefing.html"

    @property
    def briefing_pdf(self) -> Path:
        return self.reports / "briefing.pdf"

    @property
    def figures(self) -> Path:
        return self.root / "figures"

    @property
    def knowledge(self) -> Path:
        return self.root / "analysis" / "knowledge"

    @property
    def curated(self) -> KnowledgeFiles:
        return KnowledgeFiles(self.knowledge)

    @property
    def reference(self) -> Path:
        return self.root / "analysis" / "reference"

    @property
    def sample_corpus(self) -> Path:
        """A small synthetic archive in the repository, for the corpus notebook and its tests."""
        return self.root / SAMPLE_CORPUS

    @property
    def staging(self) -> Path:
        return self.root / ".build"

    def relative(self, path: Path) -> str:
        """A path as users see it in messages: relative to the project root when possible."""
        return shown_path(path, self.root)


def shown_path(path: Path, base: Path | None = None) -> str:
    """A path as a user would type it: relative to ``base`` (default: the working directory)
    when it lies inside, else as given. The folder is resolved, not the file, so a link in
    ``seeds/`` is shown where it is rather than where it points."""
    path = Path(path)
    try:
        return (path.parent.resolve() / path.name).relative_to(
            (base or Path.cwd()).resolve()).as_posix()
    except (ValueError, OSError):
        return str(path)


def slug(text: str) -> str:
    """A file- and anchor-safe name: lower-case letters and digits joined by hyphens."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
