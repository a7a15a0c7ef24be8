"""The project's quotation attribution next to an off-the-shelf peer, on the same hand-annotated text.

The peer is what a desk would try first: spaCy's ``en_core_web_sm`` pipeline (the same pinned
package the project parses with, all its components on) and textacy's ``direct_quotations``,
with no rules of ours. For every article of a folder of ``NAME.txt`` + ``NAME.gold.yaml`` (default:
the style corpus), it prints how many of the annotated quotations each gives the right speaker,
and marks the articles where the two differ. A peer speaker counts as right when its words are
one of the annotation's answers or a gazetteer alias of one (``SUPARCO`` for ``suparco``), when
they hold such an answer whole (``spokeswoman Hu Lanfang``), or when they are part of one that no
other speaker of the article shares (``Liu`` for the article's only Liu); a pronoun it leaves
unresolved is not right. textacy gives up on an article with an odd number of
quotation marks; it is then run paragraph by paragraph, which only helps it.

    .venv/bin/pip install -e '.[peer]'          # textacy, once
    .venv/bin/python benchmarks/attribution_peer.py [FOLDER]
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from analysis.facts.evaluation import occurrence, score_folder
from analysis.facts.extract import Knowledge
from analysis.facts.syntax import PIPELINE
from analysis.inputs.curated import load_yaml
from analysis.inputs.sources import read_source
from analysis.paths import ProjectPaths

ROOT = Path(__file__).resolve().parents[1]


def peer_quotations(text: str, nlp) -> list[tuple[int, int, str]]:
    """(content start, content end, speaker words) for each quotation textacy attributes."""
    from textacy.extract.triples import direct_quotations

    found = []
    try:
        doc = nlp(text)
        triples = list(direct_quotations(doc))
        docs = [(0, doc, triples)]
    except ValueError:  # an odd number of quotation marks: paragraph by paragraph
        docs = []
        offset = 0
        for paragraph in text.split("\n\n"):
            doc = nlp(paragraph)
            with contextlib.suppress(ValueError):  # this paragraph's marks are odd too: none
                docs.append((offset, doc, list(direct_quotations(doc))))
            offset += len(paragraph) + 2
    for offset, doc, triples in docs:
        for speaker, _cue, content in triples:
            words = doc[speaker[0].i:speaker[-1].i + 1].text if speaker else ""
            found.append((offset + content.start_char, offset + content.end_char, words))
    return found


PRONOUNS = {"he", "she", "they", "it", "we", "i"}


def _names(words: str, answers: set[str], others: set[str]) -> bool:
    """Do the peer's speaker words name one of the answers (see the module's docstring)?"""
    if not words or words in PRONOUNS:
        return False
    if words in answers or any(f" {a} " in f" {words} " for a in answers):
        return True
    return any(f" {words} " in f" {a} " for a in answers) and not any(
        f" {words} " in f" {o} " for o in others)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", type=Path, default=ROOT / "tests" / "fixtures" / "styles")
    args = parser.parse_args(argv)
    try:
        import spacy
        import textacy  # noqa: F401
    except ImportError:
        print("the peer needs textacy: .venv/bin/pip install -e '.[peer]'", file=sys.stderr)
        return 2
    nlp = spacy.load(PIPELINE)
    paths = ProjectPaths.default()
    gazetteer = Knowledge.load(paths.knowledge).gazetteer
    ours = {s.source_id: s.tallies["quotes"] for s in score_folder(args.folder, paths)}
    print(f"{'article':<34}{'quotes':>7}{'project':>9}{'peer':>6}")
    total = [0, 0, 0]
    peer_ahead = []
    for article in sorted(args.folder.glob("*.txt")):
        source = read_source(article)
        gold = load_yaml(article.with_suffix(".gold.yaml")).get("quotes") or []
        peer = peer_quotations(source.text, nlp)
        right, seen = 0, {}
        speakers = [{str(a).casefold() for a in item["speaker"]} for item in gold]
        for item, answers in zip(gold, speakers, strict=True):
            start, _ = occurrence(source, str(item["text"]), seen, item)
            for answer in list(answers):
                if answer in gazetteer:
                    answers |= {alias.casefold() for alias, a in gazetteer.aliases.items()
                                if a.entity_id == answer}
            others = set().union(*(s for s in speakers if s != answers))
            if any(a <= start < b and _names(words.casefold(), answers, others) for a, b, words in peer):
                right += 1
        mine = ours[source.source_id].right
        differ = "" if mine == right else "  ← project ahead" if mine > right else "  ← PEER AHEAD"
        if mine < right:
            peer_ahead.append(source.source_id)
        print(f"{source.source_id:<34}{len(gold):>7}{mine:>9}{right:>6}{differ}")
        total = [total[0] + len(gold), total[1] + mine, total[2] + right]
    print(f"{'all':<34}{total[0]:>7}{total[1]:>9}{total[2]:>6}   "
          f"(project {total[1] / max(total[0], 1):.0%}, peer {total[2] / max(total[0], 1):.0%})")
    if peer_ahead:
        print(f"the peer is ahead on: {', '.join(peer_ahead)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
