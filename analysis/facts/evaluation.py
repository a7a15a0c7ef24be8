"""Scoring the extractors against hand annotations: dates, clock times, quotes, candidates, datelines.

A folder of articles (``NAME.txt``, header line first) each with ``NAME.gold.yaml`` beside it is
extracted with the project's knowledge, and every annotation is looked up by where its words
stand in the article, so an extractor is judged on what it resolved, not on how it cut the
words. ``python -m analysis score FOLDER`` prints the table; ``tests/test_styles.py`` holds the
floors on the project's own corpus (``tests/fixtures/styles/``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError
from ..inputs.curated import Entry, load_yaml
from ..inputs.sources import Source, load_sources, read_source
from ..paths import ProjectPaths
from .extract import Facts, extract_facts

MEASURES = ("dates", "times", "quotes", "candidates", "datelines")


@dataclass
class Tally:
    """Found-and-right against the gold count (recall) and against what was extracted (precision)."""

    right: int = 0
    gold: int = 0
    extracted: int = 0
    misses: list[str] = field(default_factory=list)

    def add(self, other: Tally) -> None:
        self.right += other.right
        self.gold += other.gold
        self.extracted += other.extracted
        self.misses += other.misses

    @property
    def recall(self) -> float:
        return self.right / self.gold if self.gold else 1.0

    @property
    def precision(self) -> float:
        return self.right / self.extracted if self.extracted else 1.0


@dataclass
class ArticleScore:
    source_id: str
    style: str
    tallies: dict[str, Tally]
    noise: list[str]  # candidate suggestions that are neither worth curating nor acceptable


def occurrence(source: Source, words: str, seen: dict[str, int], where: Entry) -> tuple[int, int]:
    """The span of the next occurrence of ``words`` (the k-th annotation with the same words takes
    the k-th occurrence)."""
    start = -1
    for _ in range(seen.get(words, 0) + 1):
        start = source.text.find(words, start + 1)
        if start < 0:
            raise where.fail(f"{words!r} does not occur (that often) in {source.source_id}",
                             fix="copy the words exactly from the article")
    seen[words] = seen.get(words, 0) + 1
    return start, start + len(words)


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _score_dates(source: Source, gold: list[Entry], events) -> Tally:
    tally = Tally(gold=len(gold), extracted=len(events))
    seen: dict[str, int] = {}
    for item in gold:
        span = occurrence(source, str(item["text"]), seen, item)
        rows = [r for r in events.itertuples() if _overlaps(span, (r.start, r.end))]
        want = (str(item["date"]), str(item.get("date_end") or ""), str(item["precision"]))
        got = [(r.date, r.date_end, r.precision) for r in rows]
        if any(g == want or ((g[0], g[2]) == (want[0], want[2]) and g[1] in ("", want[0]) and not want[1])
               for g in got):
            tally.right += 1
        else:
            tally.misses.append(f"{item['text']!r}: want {_shown(want)}, got "
                                f"{', '.join(_shown(g) for g in got) or 'nothing'}")
    return tally


def _shown(value: tuple[str, str, str]) -> str:
    date, end, precision = value
    return f"{date}{'..' + end if end else ''} ({precision})"


def _score_times(source: Source, gold: list[Entry], events) -> Tally:
    timed = events[events.time_utc != ""]
    tally = Tally(gold=len(gold), extracted=sum(1 + r.time_check.count(" = ") if r.time_check else 1
                                                for r in timed.itertuples()))
    seen: dict[str, int] = {}
    for item in gold:
        words = str(item["text"])
        span = occurrence(source, words, seen, item)
        utc = str(item["utc"])
        found = any(r.time_utc == utc and (_overlaps(span, (r.time_start, r.time_end))
                                           or words in r.time_check)
                    for r in timed.itertuples())
        if found:
            tally.right += 1
        else:
            got = "; ".join(f"{r.time_evidence} → {r.time_utc}" for r in timed.itertuples()) or "nothing"
            tally.misses.append(f"{words!r}: want {utc}, got {got}")
    return tally


def _score_quotes(source: Source, gold: list[Entry], quotes) -> Tally:
    tally = Tally(gold=len(gold), extracted=len(quotes))
    seen: dict[str, int] = {}
    for item in gold:
        words = str(item["text"])
        start, _ = occurrence(source, words, seen, item)
        rows = [r for r in quotes.itertuples() if r.start <= start < r.end]
        wanted = {str(s).casefold() for s in item["speaker"]}
        said = [{r.speaker_id.casefold(), r.speaker_name.casefold(),
                 *(i.casefold() for i in r.issuers.split("|") if i)} - {""} for r in rows]
        if any(s & wanted for s in said):
            tally.right += 1
        else:
            got = ", ".join(r.speaker_name or r.speaker_id or "no speaker" for r in rows) or "no quote found"
            tally.misses.append(f"{words!r}: want {'/'.join(map(str, item['speaker']))}, got {got}")
    return tally


def _score_candidates(gold: Entry, candidates, mentions) -> tuple[Tally, list[str]]:
    """A name worth curating is found when it is suggested, or when the analyst has curated it
    already and it is found as a mention of that entity: the score must not fall because the
    gazetteer grew."""
    names = [str(n) for n in gold.get("names") or []]
    acceptable = set(names) | {str(n) for n in gold.get("also_ok") or []}
    suggested = list(dict.fromkeys(candidates.text))
    curated = set(mentions.text)
    tally = Tally(gold=len(names), extracted=len(suggested))
    for name in names:
        if name in suggested or name in curated:
            tally.right += 1
        else:
            near = [s for s in suggested if name in s or s in name]
            tally.misses.append(f"{name!r} not suggested" + (f" (got {near})" if near else ""))
    return tally, [s for s in suggested if s not in acceptable]


def _score_dateline(gold: Entry, source: Source) -> Tally:
    want = (str(gold.get("place") or ""), str(gold.get("outlet") or ""))
    got = (source.dateline_place, source.dateline_outlet)
    tally = Tally(gold=1, extracted=1, right=int(got == want))
    if got != want:
        tally.misses.append(f"dateline: want {want}, got {got}")
    return tally


def score_folder(folder: Path, paths: ProjectPaths | None = None) -> list[ArticleScore]:
    """Extract the folder's articles with the project's knowledge and score each one."""
    paths = paths or ProjectPaths.default()
    articles = sorted(Path(folder).glob("*.txt"))
    if not articles:
        raise InputError(folder, "no *.txt articles to score",
                         fix="give a folder of NAME.txt, each with NAME.gold.yaml beside it")
    golds = {}
    for article in articles:
        gold_path = article.with_suffix(".gold.yaml")
        gold = load_yaml(gold_path)
        if not isinstance(gold, Entry):
            raise InputError(gold_path, "expected a mapping with dates, times, quotes and candidates", line=1)
        golds[article.stem] = gold
    scored = [read_source(a) for a in articles]
    facts = extract_facts(paths, sources=[*load_sources(paths.seeds), *scored])
    return [_score_article(facts, source, golds[source.source_id]) for source in scored]


def _score_article(facts: Facts, source: Source, gold: Entry) -> ArticleScore:
    def rows(table: str):
        frame = facts[table]
        return frame[frame.source_id == source.source_id]

    events = rows("events")
    candidates, noise = _score_candidates(gold.get("candidates") or Entry(), rows("candidates"),
                                         rows("mentions"))
    tallies = {
        "dates": _score_dates(source, gold.get("dates") or [], events),
        "times": _score_times(source, gold.get("times") or [], events),
        "quotes": _score_quotes(source, gold.get("quotes") or [], rows("quotes")),
        "candidates": candidates,
        "datelines": _score_dateline(gold.get("dateline") or Entry(), source),
    }
    return ArticleScore(source.source_id, str(gold.get("style", "")), tallies, noise)


def totals(scores: list[ArticleScore]) -> dict[str, Tally]:
    total = {measure: Tally() for measure in MEASURES}
    for score in scores:
        for measure, tally in score.tallies.items():
            total[measure].add(tally)
    return total


def table(scores: list[ArticleScore]) -> str:
    """Per article (style) and overall: recall / precision of each measure, and candidate noise."""
    head = f"{'article':<28}" + "".join(f"{m:>17}" for m in MEASURES) + f"{'noise':>7}"
    lines = [head, "-" * len(head)]

    def cells(tallies: dict[str, Tally]) -> str:
        return "".join(f"{t.right:>3}/{t.gold:<3} R{t.recall:4.0%} P{t.precision:4.0%}".rjust(17)
                       for t in (tallies[m] for m in MEASURES))

    for score in scores:
        lines.append(f"{score.source_id:<28}{cells(score.tallies)}{len(score.noise):>7}")
    total = totals(scores)
    noise = sum(len(s.noise) for s in scores)
    lines += ["-" * len(head), f"{'all (' + str(len(scores)) + ' articles)':<28}{cells(total)}"
              f"{noise / max(len(scores), 1):>7.1f}"]
    return "\n".join(lines)


def misses(scores: list[ArticleScore]) -> str:
    lines = []
    for score in scores:
        for measure, tally in score.tallies.items():
            lines += [f"{score.source_id} {measure}: {m}" for m in tally.misses]
        lines += [f"{score.source_id} noise: {n!r}" for n in score.noise]
    return "\n".join(lines)
