"""Command line: ``python -m analysis build`` and friends; ``make`` only calls these."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from .build.browser import BrowserMissing, find_chromium
from .errors import InputError
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
    args = parser.parse_args(argv)

    try:
        commands = {"browser": _browser, "candidates": lambda: _candidates(args.source, args.yaml),
                    "facts": _facts, "check": _check, "graph": _graph,
                    "score": lambda: _score(Path(args.folder), args.misses),
                    "diff": lambda: _diff(args.old, args.new)}
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

                build_edition(paths, edition_date(args.as_of), force=args.force or args.previous is not None,
                              pdf=not args.no_pdf, figures=not args.no_figures)
            else:
                run_build(paths, force=args.force or args.previous is not None, pdf=not args.no_pdf,
                          figures=not args.no_figures)
        except BuildFailed as exc:
            print(f"build failed: {exc}", file=sys.stderr)
            print("previous outputs in reports/ and figures/ are untouched", file=sys.stderr)
            return 1
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
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


def _browser() -> int:
    print(find_chromium())
    return 0


def _candidates(source_id: str | None, as_yaml: bool = False) -> int:
    from .facts.extract import extract_facts

    paths = ProjectPaths.default()
    facts = extract_facts(paths)
    gazetteer = paths.relative(paths.curated.entities)
    frame = facts["candidates"]
    if source_id:
        if source_id not in facts.by_id:
            print(f"error: no source {source_id!r}; sources: {', '.join(facts.by_id)}", file=sys.stderr)
            return 2
        frame = frame[frame.source_id == source_id]
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
        print(f"  {row.source_id}@{row.first_offset}\t{row.text}\t({row.type}, {row.kind}, "
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
    print(describe(compare(Edition.read(old), Edition.read(new)), shown_path(old), shown_path(new)))
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
    from .build.plan import NotebookSpec, Plan
    from .build.run import discover_notebooks

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
    lines += [f"warning: {w.message}" for w in caught
              if "has no mention and no relation" not in str(w.message)]
    for line in lines:
        print(line, file=sys.stderr)
    print(f"OK: {len(facts.sources)} source(s), {len(gazetteer.entities)} entities, "
          f"{len(facts['claims'])} claims with verdicts, {len(lines)} warning(s)")
    return 0
