"""The corpus report as plain text: what ``python -m analysis corpus report`` prints."""

from __future__ import annotations

from .queries import Corpus


def report_text(corpus: Corpus, actors: list[str], weeks: int = 12, top: int = 10) -> str:
    size = corpus.size()
    out = [f"Corpus: {size['documents']:,} documents ({size['errors']:,} not extracted), "
           f"{size['mentions']:,} mentions, {size['quotes']:,} quotes, "
           f"{size['candidates']:,} name suggestions",
           f"The story's actors: {', '.join(actors)} (a document carries the story when it names "
           f"{'at least two of them' if len(actors) > 1 else 'it'})", ""]
    weekly = corpus.mentions_per_week(actors)
    story = corpus.outlets(actors, top=10**9)
    out.append(f"{int(story.documents.sum()):,} documents carry the story, in {len(story):,} outlets.")
    out += ["", f"Mentions per week (the last {weeks} weeks with any):"]
    if weekly.empty:
        out.append("  none")
    else:
        table = weekly.pivot_table(index="week", columns="entity_id", values="mentions", aggfunc="sum",
                                   fill_value=0).reindex(columns=actors, fill_value=0)
        out.append(_indent(table.tail(weeks).rename_axis(None, axis=1).to_string()))
        totals = weekly.groupby("entity_id").mentions.sum().reindex(actors, fill_value=0)
        out.append(_indent("total      " + "  ".join(f"{a}={int(n):,}" for a, n in totals.items())))
    sections = [("Outlets carrying the story", story.head(top)),
                ("Most-quoted speakers", corpus.speakers(actors, top)),
                ("Names not in the gazetteer (curation leads)", corpus.candidates(actors, top))]
    for title, frame in sections:
        out += ["", f"{title}:", _indent(frame.to_string(index=False)) if not frame.empty else "  none"]
    return "\n".join(out)


def _indent(text: str) -> str:
    return "\n".join("  " + line for line in text.splitlines())

