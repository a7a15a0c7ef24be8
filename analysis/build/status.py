"""The build's steps as ``python -m analysis graph`` shows them: what each reads, and why it is stale.

A stale step runs again on the next ``make report``; the reasons come from the parts the
manifest recorded for it."""

from __future__ import annotations

from ..paths import ALL_INPUTS, DATA_EXCLUDES, MANIFEST, ProjectPaths
from .plan import Manifest, Plan, file_hash


def describe(paths: ProjectPaths, notebooks: list) -> str:
    plan = Plan.make(paths.root, notebooks)
    manifest = Manifest(paths.staging / MANIFEST)
    root = paths.root
    current = {s.name: file_hash(s.path) for s in plan.notebooks}
    lines = [f"The build's steps ({paths.relative(plan.graph.path)} declares the notebooks; "
             "steps in one wave run side by side).", ""]

    def status(step: str, key: str) -> list[str]:
        reasons = manifest.reasons(step, key, plan.parts_by_key[key], root)
        if not reasons:
            return ["    up to date"]
        shown = reasons[:8] + ([f"… and {len(reasons) - 8} more"] if len(reasons) > 8 else [])
        return ["    stale: " + shown[0], *(f"           {r}" for r in shown[1:])]

    excluded = ", ".join(DATA_EXCLUDES)
    lines += [f"data package → {paths.relative(paths.report_data)}/",
              f"    reads: {', '.join(ALL_INPUTS)} (not {excluded})", *status("data", plan.data_key), ""]
    for number, wave in enumerate(plan.waves(), 1):
        lines.append(f"wave {number}")
        for spec in wave:
            declaration = plan.graph.of(spec.name)
            where = (f"{paths.relative(plan.graph.path)}:{declaration.line}" if declaration.declared
                     else "not in the graph: reads every input")
            lines += [f"  {spec.name}  ({where})", f"    reads: {', '.join(spec.inputs)}"]
            if spec.after:
                lines.append(f"    after: {', '.join(spec.after)}")
            lines += status(f"notebook:{spec.name}", plan.notebook_key(spec, current))
        lines.append("")
    briefing = current[paths.briefing_notebook.stem]
    lines += [f"briefing → {paths.relative(paths.briefing_html)}",
              f"    from: {paths.relative(paths.briefing_notebook)}",
              *status("html", plan.html_key(briefing)),
              f"print → {paths.relative(paths.briefing_pdf)}, {paths.relative(paths.figures)}/",
              "    reads: the briefing and every input (its running header dates the article and record)",
              *status("print", plan.print_key(briefing, True, True))]
    return "\n".join(lines)
