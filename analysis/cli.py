"""Command line: ``python -m analysis build`` and friends; ``make`` only calls these."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from .build.browser import BrowserMissing, find_chromium
from .errors import InputError, RunFailed
from .markup import terminal
from .paths import PREVIOUS_ENV, ProjectPaths, shown_path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m analysis",
        description="Build the China space-diplomacy briefing from the articles in seeds/.",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    build = sub.add_parser("build", help="execute the notebooks and write reports/ and figures/")
    build.add_argument("--force", action="store_true",
                       help="ignore the cache: re-run every notebook and rebuild every output")
    build.add_argument("--no-pdf", action="store_true", help="skip printing reports/briefing.pdf")
    build.add_argument("--no-figures", action="store_true", help="skip the static copies in figures/")
    build.add_argument("--as-of", metavar="DATE",
                       help="build the edition of DATE (YYYY-MM-DD) in editions/DATE/: only the sources "
                            "published and the reference rows dated by then")
    build.add_argument("--previous", metavar="DATA_DIR", type=Path,
                       help="a previous edition's reports/data/: the briefing then says what is new since")
    sub.add_parser("browser", help="say which Chromium the build will use")
    cand = sub.add_parser("candidates", help="list names in the sources that the gazetteer lacks")
    cand.add_argument("--source", help="only this source_id")
    cand.add_argument("--yaml", action="store_true",
                      help="print stubs to paste into analysis/knowledge/entities.yaml")
    add = sub.add_parser("add", help="add articles to seeds/: saved pages (.html, or a folder of them), "
                                     "URLs, RSS/Atom feeds (files or URLs), or .txt files; then list "
                                     "their names to curate")
    add.add_argument("inputs", nargs="+", metavar="PATH_OR_URL")
    add.add_argument("--date", help="publication date, YYYY-MM-DD (instead of the page's)")
    add.add_argument("--by", help="the byline, e.g. 'Jane Doe and John Roe' (instead of the page's)")
    add.add_argument("--outlet", help="the outlet (instead of the page's site name)")
    add.add_argument("--timeout", type=float, default=20.0, help="seconds to wait for a URL (default 20)")
    sub.add_parser("facts", help="extract and check every fact table; print their sizes")
    sub.add_parser("check", help="validate every input (sources, curated files, reference tables, "
                                 "judgements) without building; print warnings")
    score = sub.add_parser("score", help="score the extractors on a folder of articles with hand "
                                         "annotations (NAME.txt + NAME.gold.yaml)")
    score.add_argument("folder", nargs="?", default="tests/fixtures/styles")
    score.add_argument("--misses", action="store_true", help="also list every miss and noise suggestion")
    sub.add_parser("graph", help="print the build's steps (notebooks/graph.yaml), what each reads, "
                                 "and why each stale step would run again")
    diff = sub.add_parser("diff", help="compare reports/data/ with an earlier edition's data: new "
                                       "sources and statements, resolved schedules, changed verdicts")
    diff.add_argument("old", type=Path, help="the earlier edition's data folder (its reports/data/)")
    diff.add_argument("--new", type=Path,
                      help="the later data folder (default: this project's reports/data/)")
    _corpus_parser(sub)
    args = parser.parse_args(argv)

    try:
        commands = {"browser": _browser,
                    "candidates": lambda: _candidates([args.source] if args.source else None, args.yaml),
                    "add": lambda: _add(args),
                    "facts": _facts, "check": _check, "graph": _graph,
                    "score": lambda: _score(Path(args.folder), args.misses),
                    "diff": lambda: _diff(args.old, args.new)}
        if args.command == "corpus":
            code = _corpus(args)
            sys.stdout.flush()
            return code
        if args.command in commands:
            code = commands[args.command]()
            sys.stdout.flush()  # a closed pipe surfaces here, not at interpreter exit
            return code
        from .build.run import BuildFailed
        from .build.run import build as run_build

        paths = ProjectPaths(ProjectPaths.default().root)  # the date comes from --as-of only
        os.environ.pop(PREVIOUS_ENV, None)
        if args.previous is not None:
            from .story.editions import Edition

            Edition.read(args.previous)  # a wrong folder stops here, before any kernel starts
            os.environ[PREVIOUS_ENV] = str(args.previous.resolve())
        try:
            if args.as_of:
                from .build.edition import build_edition, edition_date

                build_edition(paths, edition_date(args.as_of), force=args.force,
                              pdf=not args.no_pdf, figures=not args.no_figures)
            else:
                run_build(paths, force=args.force, pdf=not args.no_pdf,
                          figures=not args.no_figures)
        except BuildFailed as exc:
            print(f"build failed: {exc}", file=sys.stderr)
            print("previous outputs in reports/ and figures/ are untouched", file=sys.stderr)
            return 1
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except RunFailed as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except BrowserMissing as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 3
    except KeyboardInterrupt:
        print("interrupted: previous outputs are untouched", file=sys.stderr)
        return 130
    except BrokenPipeError:  # the reader stopped early (`| head`): not a disk problem, say nothing
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141  # as a shell reports a process ended by SIGPIPE
    except OSError as exc:  # a full disk, a vanished folder: one line, not a traceback
        where = shown_path(Path(exc.filename)) if exc.filename else "build"
        print(f"error: {where}: {exc.strerror or exc} — free space or fix the folder, then build again; "
              "previous outputs in reports/ and figures/ are untouched", file=sys.stderr)
        return 1
    return 0


def _positive(text: str) -> int:
    """A whole number of at least 1 (argparse turns the error into one line and exit 2)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} is less than 1")
    return value


def _corpus_parser(sub: argparse._SubParsersAction) -> None:
    corpus = sub.add_parser("corpus", help="an archive of articles: extract to Parquet, report, select, "
                                                  "synthesise")
    do = corpus.add_subparsers(dest="corpus_command", required=True)
    extract = do.add_parser("extract", help="extract every document's facts into Parquet, by month; a re-run "
                                            "extracts only new or changed documents")
    extract.add_argument("input", type=Path, help="a folder of seed-format *.txt articles, a .parquet "
                                                  "/ .jsonl file with columns id, published, outlet, "
                                                  "authors, text (and optionally url, retrieved, "
                                                  "original_sha256), or .warc / .warc.gz files (or a "
                                                  "folder of them)")
    extract.add_argument("--out", type=Path, required=True, help="the corpus folder (created or updated)")
    extract.add_argument("--engine", choices=("inprocess", "dask"), default="inprocess",
                         help="inprocess (default, no service) or dask (dask.distributed)")
    extract.add_argument("--scheduler", metavar="tcp://HOST:8786",
                         help="with --engine dask: an existing cluster's scheduler (default: a local "
                              "cluster with a worker per core)")
    extract.add_argument("--workers", type=_positive,
                         help="with --engine dask and no --scheduler: local workers")
    extract.add_argument("--batch-size", type=int, default=200, help="documents per batch (default 200)")
    report = do.add_parser("report", help="mentions per week, outlets, speakers and names to curate (DuckDB)")
    report.add_argument("folder", type=Path)
    report.add_argument("--actors", help="entity ids, comma-separated (default: the ones the briefing's "
                                         "sources name most)")
    report.add_argument("--weeks", type=_positive, default=12, help="weeks of mentions to show (default 12)")
    report.add_argument("--top", type=_positive, default=10, help="rows per ranking (default 10)")
    select = do.add_parser("select", help="write the documents naming every given actor as seed files")
    select.add_argument("folder", type=Path)
    select.add_argument("--actors", required=True, help="entity ids, comma-separated: all must be named")
    select.add_argument("--since", help="first publication date, YYYY-MM-DD")
    select.add_argument("--until", help="last publication date, YYYY-MM-DD")
    select.add_argument("--to", type=Path, required=True, help="the folder to write into, e.g. seeds/")
    synth = do.add_parser("synth", help="a synthetic archive from the seed and fixture articles")
    synth.add_argument("count", type=int)
    synth.add_argument("--out", type=Path, required=True, help="a .jsonl or .parquet file, or a folder")
    synth.add_argument("--seed", type=int, default=20250424)


def _corpus(args: argparse.Namespace) -> int:
    command = args.corpus_command
    if command == "extract":
        return _corpus_extract(args)
    if command == "synth":
        from .corpus.synthetic import synthetic_records, write_corpus

        if args.count < 0:
            raise InputError(args.out, f"cannot make {args.count} documents", fix="give a count of 0 or more")
        written = write_corpus(synthetic_records(args.count, args.seed), args.out)
        print(f"{written:,} synthetic documents written to {shown_path(args.out)}")
        return 0
    actors = _actors(args.actors) if args.actors else None
    if command == "report":
        from .corpus.queries import Corpus, story_actors
        from .corpus.report import report_text

        with Corpus(args.folder) as corpus:
            print(terminal(report_text(corpus, actors or story_actors(), weeks=args.weeks, top=args.top)))
        return 0
    from .corpus.select import select_articles

    for flag, value in (("--since", args.since), ("--until", args.until)):
        _iso_date(flag, value)
    from .briefing.story import too_many_sources
    from .wording import plural

    selected = select_articles(args.folder, actors or [], args.to, args.since, args.until)
    held = sum(1 for p in args.to.glob("*.txt") if p.is_file()) if args.to.is_dir() else 0
    print(f"{plural(len(selected.written), 'article')} written to {shown_path(args.to)}, "
          f"{len(selected.unchanged):,} already there; it now holds {plural(held, 'source')}")
    warning = too_many_sources(held, shown_path(args.to))
    if warning:
        print(f"warning: {warning}", file=sys.stderr)
    return 0


def _corpus_extract(args: argparse.Namespace) -> int:
    from rich.progress import (
        BarColumn,
        DownloadColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )

    from .corpus.archive import Archive
    from .corpus.engines import InProcess, OnDask
    from .corpus.run import extract_corpus

    if args.scheduler and args.engine != "dask":
        raise InputError(args.out, "--scheduler needs --engine dask", fix="add --engine dask")
    with Progress(TextColumn("checking WARC records"), BarColumn(), DownloadColumn(), TimeRemainingColumn(),
                  console=_stderr_console(), transient=True, disable=not sys.stderr.isatty()) as progress:
        task = progress.add_task("scan", total=None)
        # also checks the input (a WARC input whole) before any cluster starts
        archive = Archive(args.input, scanning=lambda done, size: progress.update(task, completed=done,
                                                                                  total=size))
    total = archive.size
    engine = OnDask(args.scheduler, args.workers) if args.engine == "dask" else InProcess()
    columns = [TextColumn("extracting"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn()]
    with Progress(*columns, console=_stderr_console(), transient=True,
                  disable=not sys.stderr.isatty()) as progress:
        task = progress.add_task("extract", total=total)

        def advance(done: int) -> None:
            progress.advance(task, done)

        if isinstance(engine, OnDask):
            with engine:
                summary = extract_corpus(archive, args.out, engine, ProjectPaths.default().knowledge,
                                         batch_size=args.batch_size, progress=advance)
        else:
            summary = extract_corpus(archive, args.out, engine, ProjectPaths.default().knowledge,
                                     batch_size=args.batch_size, progress=advance)
    how = "all (first run, or the knowledge or extractors changed)" if summary.full else "new or changed only"
    print(f"{summary.documents:,} documents: {summary.extracted:,} extracted ({how}), {summary.unchanged:,} "
          f"unchanged, {summary.removed:,} removed; {summary.errors:,} in the errors table")
    print(f"{summary.seconds:.1f} s on {engine.name}; tables in {shown_path(args.out)}")
    return 0


def _actors(text: str) -> list[str]:
    return [a.strip() for a in text.split(",") if a.strip()]


def _iso_date(flag: str, value: str | None) -> None:
    import datetime as dt

    if value is None:
        return
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        raise InputError(flag, f"{value!r} is not a YYYY-MM-DD date",
                         fix="give a date like 2025-01-01") from None


def _stderr_console():
    from rich.console import Console

    return Console(stderr=True)


def _browser() -> int:
    print(find_chromium())
    return 0


def _add(args: argparse.Namespace) -> int:
    """``add``: every input read and checked before anything is written; then what was done, and
    the names the new sources hold that the gazetteer lacks."""
    import functools

    from .inputs.fetch import fetch
    from .inputs.intake import add_articles
    from .inputs.pages import Metadata
    from .inputs.sources import split_byline

    _iso_date("--date", args.date)
    if not 0 < args.timeout <= 3600:  # also refuses nan and inf, which the socket refuses with a traceback
        raise InputError("--timeout", f"{args.timeout:g} s is not a time to wait",
                         fix="give seconds, more than 0 and at most 3600, e.g. 20")
    import datetime as dt

    given = Metadata(dt.date.fromisoformat(args.date) if args.date else None,
                     split_byline(args.by) if args.by else (), " ".join((args.outlet or "").split()))
    paths = ProjectPaths.default()
    from rich.progress import Progress, SpinnerColumn, TextColumn

    with Progress(SpinnerColumn(), TextColumn("reading {task.completed} article(s): {task.description}"),
                  console=_stderr_console(), transient=True, disable=not sys.stderr.isatty()) as progress:
        task = progress.add_task("", total=None)
        added = add_articles(args.inputs, paths.seeds, given,
                             fetcher=functools.partial(fetch, timeout=args.timeout),
                             progress=lambda origin: progress.update(task, advance=1,
                                                                     description=terminal(origin[-60:])))
    for origin, source, copy in added.notes:
        if source is None:
            print(f"skipped {terminal(origin)}: {copy.kind} as {copy.of}")
            continue
        note = f"; a syndicated copy of {copy.of} ({copy.share:.0%} of its sentences)" if copy else ""
        print(f"added {shown_path(source.path)} ({terminal(source.outlet)}, {source.published}, "
              f"{len(source.text.split()):,} words) from {terminal(origin)}{note}")
    if not added.sources:
        print("nothing added")
        return 0
    return _candidates([s.source_id for s in added.sources])


def _candidates(source_ids: list[str] | None, as_yaml: bool = False) -> int:
    from .facts.extract import extract_facts

    paths = ProjectPaths.default()
    facts = extract_facts(paths)
    gazetteer = paths.relative(paths.curated.entities)
    frame = facts["candidates"]
    if source_ids:
        unknown = [s for s in source_ids if s not in facts.by_id]
        if unknown:
            print(f"error: no source {unknown[0]!r}; sources: {', '.join(facts.by_id)}", file=sys.stderr)
            return 2
        frame = frame[frame.source_id.isin(source_ids)]
    if frame.empty:
        print("No candidates: every capitalised name is in the gazetteer." if not as_yaml else
              "# No candidates: every capitalised name is in the gazetteer.")
        return 0
    if as_yaml:
        from .facts.stubs import entity_stubs

        print(f"# Stubs for {gazetteer}: check each type and replace each source, then paste.")
        print(entity_stubs(frame, {s.source_id: s.text for s in facts.sources}, facts.knowledge.gazetteer),
              end="")
        return 0
    grouped = (frame.groupby(["source_id", "text", "kind", "type"], as_index=False)
               .agg(occurrences=("start", "size"), first_offset=("start", "min"))
               .sort_values(["source_id", "first_offset"]))
    print(f"{len(grouped)} name(s) not in {gazetteer}:")
    for row in grouped.itertuples():
        print(f"  {row.source_id}@{row.first_offset}\t{terminal(row.text)}\t({row.type}, {row.kind}, "
              f"{row.occurrences}×)")
    print(f"Add the ones that matter to {gazetteer}, then rebuild.")
    return 0


def _facts() -> int:
    from .facts.extract import extract_facts

    facts = extract_facts(ProjectPaths.default())
    for name, frame in facts.tables.items():
        print(f"{name:<11} {len(frame):>5} rows")
    print("every offset-bearing row matches its source text")
    return 0


def _diff(old: Path, new: Path | None) -> int:
    from .story.editions import Edition, compare, describe

    new = new or ProjectPaths.default().report_data
    print(terminal(describe(compare(Edition.read(old), Edition.read(new)), shown_path(old), shown_path(new))))
    return 0


def _score(folder: Path, show_misses: bool) -> int:
    from .facts.evaluation import misses, score_folder, table

    scores = score_folder(folder, ProjectPaths.default())
    print(table(scores))
    if show_misses:
        print(misses(scores))
    return 0


def _graph() -> int:
    from .build.run import discover_notebooks
    from .build.status import describe

    paths = ProjectPaths.default()
    print(describe(paths, discover_notebooks(paths)))
    return 0


def _check() -> int:
    """Everything the build reads, validated, without running a notebook."""
    import warnings

    from .briefing.content import Briefing
    from .briefing.story import too_many_sources
    from .build.plan import NotebookSpec, Plan
    from .build.run import discover_notebooks
    from .wording import plural

    paths = ProjectPaths.default()
    notebooks = discover_notebooks(paths)
    for notebook in notebooks:
        NotebookSpec.read(notebook)
    Plan.make(paths.root, notebooks)  # the notebook graph: file:line errors
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        briefing = Briefing.assemble(paths)
        briefing.judgements()
        _ = briefing.metrics
    facts = briefing.facts
    mentioned = set(facts["mentions"].entity_id) | set(facts["relations"].subject_id) | set(
        facts["relations"].object_id)
    gazetteer = facts.knowledge.gazetteer
    lines = [f"warning: {shown_path(gazetteer.path)}:{e.line}: entity {e.entity_id!r}: none of its names or "
             "aliases occurs in any source — correct the alias, or keep it for a future article"
             for e in gazetteer.entities.values() if e.entity_id not in mentioned]
    lines += [f"warning: {message}" for message in dict.fromkeys(str(w.message) for w in caught)]
    crowded = too_many_sources(len(facts.sources), shown_path(paths.seeds))
    lines += [f"warning: {crowded}"] if crowded else []
    for line in lines:
        print(line, file=sys.stderr)
    print(f"OK: {plural(len(facts.sources), 'source')}, {plural(len(gazetteer.entities), 'entity')}, "
          f"{plural(len(facts['claims']), 'claim')} with verdicts, {plural(len(lines), 'warning')}")
    return 0
