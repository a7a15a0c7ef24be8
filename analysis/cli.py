"""Command line: ``python -m analysis build`` and friends; ``make`` only calls these."""

from __future__ import annotations

import argparse
import sys

from .browser import BrowserMissing, find_chromium
from .errors import InputError
from .paths import ProjectPaths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m analysis",
        description="Build the China space-diplomacy briefing from the articles in seeds/.",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    build = sub.add_parser("build", help="execute the notebooks and write reports/ and figures/")
    build.add_argument("--no-pdf", action="store_true", help="skip printing reports/briefing.pdf")
    build.add_argument("--no-figures", action="store_true", help="skip the static copies in figures/")
    sub.add_parser("browser", help="say which Chromium the build will use")
    args = parser.parse_args(argv)

    try:
        if args.command == "browser":
            print(find_chromium())
            return 0
        from .build import BuildFailed
        from .build import build as run_build

        try:
            run_build(ProjectPaths.default(), pdf=not args.no_pdf, figures=not args.no_figures)
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
    return 0
