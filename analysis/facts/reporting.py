"""The reporting clause of a quotation, read from its parse: the verb, and the words naming who spoke.

A quotation is attributed by a reporting verb (``said``, ``told``, ``announced``, ``posted``…) or a
reporting preposition (``according to``, ``as per``), whose subject names the speaker. The parse
gives what word patterns cannot: the subject across an appositive (``Zhang Weimin, spokesperson
for the CMSA (CMSA), told``), after the verb (``announced Zhang Weimin, spokesperson of the
CMSA``), of a participle (``Sharif, calling China …``), of ``quoted X as saying``. What the subject
is comes next: a name, a surname, a pronoun, a role noun (``the spokesperson``), an organisation,
a statement, or an anonymous description (``a SUPARCO official``). Resolving a surname, pronoun
or role to a person is the discourse's job (:mod:`.discourse`); this module only reads the clause.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from .syntax import Parse, Token

# Reporting verbs, as written (no lemmatizer is loaded: a form list costs nothing).
_BASES = ("say", "tell", "add", "state", "note", "explain", "warn", "announce", "write", "post", "tweet",
          "insist", "stress", "emphasise", "emphasize", "declare", "reply", "recall", "continue", "ask",
          "argue", "acknowledge", "confirm", "reveal", "highlight", "express", "describe", "call", "laud",
          "remark", "comment", "observe", "assert", "predict", "promise", "urge", "report", "answer",
          "respond", "admit", "claim", "quote", "hail", "praise", "welcome", "congratulate", "vow",
          "pledge", "suggest", "concede", "mention", "read", "affirm", "caution", "point", "tell",
          "recount", "boast", "joke", "muse", "announce", "underline", "reiterate", "maintain")
_IRREGULAR = {"say": ("said", "says", "saying"), "tell": ("told", "tells", "telling"),
              "write": ("wrote", "writes", "writing", "written"), "read": ("reads", "reading")}


def _forms(base: str) -> tuple[str, ...]:
    if base in _IRREGULAR:
        return (base, *_IRREGULAR[base])
    stem = base[:-1] if base.endswith("e") else base
    if base.endswith("y") and base not in ("say", "stay"):
        return (base, base[:-1] + "ied", base[:-1] + "ies", base + "ing")
    if base in ("admit", "regret"):
        return (base, base + "ted", base + "s", base + "ting")
    return (base, stem + "ed", base + "s" if not base.endswith(("s", "sh")) else base + "es", stem + "ing")


REPORTING = frozenset(form for base in _BASES for form in _forms(base))
# Verbs whose object is the audience or the thing described, never the speaker (``told reporters``).
OBJECT_IS_NOT_SPEAKER = frozenset(_forms("tell") + _forms("ask") + _forms("call") + _forms("describe")
                                  + _forms("congratulate") + _forms("welcome") + _forms("praise")
                                  + _forms("hail") + _forms("laud") + _forms("urge"))
# Verbs of attitude or description: their object is often a quotation describing what someone
# else felt or said (``the delegation expressed a "keen interest"``), so a plain reporting verb in
# the same sentence, when there is one, says who the words belong to.
WEAK = frozenset(_forms("express") + _forms("call") + _forms("describe") + _forms("laud") + _forms("hail")
                 + _forms("praise") + _forms("welcome") + _forms("congratulate") + _forms("highlight")
                 + _forms("quote"))
PRONOUNS = {"he": "male", "she": "female", "they": "plural", "it": "organisation", "we": "plural",
            "i": ""}
TITLES = {"Mr", "Mr.", "Mrs", "Mrs.", "Ms", "Ms.", "Dr", "Dr.", "Prof", "Prof.", "Professor", "Sir", "Madam",
          "Ambassador", "Minister", "President", "Premier", "PM", "Chairman", "Chairwoman", "Commander",
          "General", "Gen.", "Colonel", "Col.", "Captain", "Capt.", "Senator", "Governor", "Director",
          "Spokesman", "Spokeswoman", "Spokesperson", "Deputy", "Secretary", "Chief", "Engineer"}
FEMALE_WORDS = {"spokeswoman", "chairwoman", "ms", "ms.", "mrs", "mrs.", "madam", "she", "woman"}
MALE_WORDS = {"spokesman", "chairman", "mr", "mr.", "he", "man", "sir"}
ROLES = frozenset({
    "spokesman", "spokeswoman", "spokesperson", "minister", "official", "officials", "director",
    "chairman", "chairwoman", "chair", "chief", "head", "analyst", "scientist", "researcher", "engineer",
    "professor", "ambassador", "secretary", "adviser", "advisor", "president", "premier", "astronaut",
    "commander", "envoy", "diplomat", "expert", "officer", "governor", "pilot", "veteran", "leader",
    "representative", "source", "sources", "member", "members", "insider", "insiders", "specialist"})
STATEMENTS = frozenset({"statement", "release", "communique", "communiqué", "announcement", "post",
                        "notice", "readout", "notification", "tweet", "bulletin"})
ORGANISATION_NOUNS = frozenset({"ministry", "agency", "commission", "embassy", "company", "office",
                                "department", "military", "government", "administration", "university",
                                "institute", "centre", "center", "consulate", "army", "navy", "corporation",
                                "academy", "bureau", "council", "directorate", "firm"})
PARTICLES = frozenset({"ul", "ur", "al", "bin", "binti", "ibn", "de", "da", "di", "du", "del", "van", "von",
                       "der", "le", "la", "el", "ud"})
ACRONYM = re.compile(r"[A-Z][A-Z&-]{1,7}")
ORG_HEADS = frozenset({"Agency", "Administration", "Commission", "Ministry", "Department", "Bureau",
                       "Office", "Authority", "Directorate", "Wing", "Force", "Army", "Navy", "Council",
                       "Government", "Institute", "University", "Academy", "College", "Laboratory",
                       "Observatory", "Society", "Foundation", "Association", "Centre", "Center",
                       "Corporation", "Company", "Group", "Embassy", "Consulate", "Media", "Television",
                       "News", "Post", "Times", "Daily", "Press", "Radio", "Network", "Broadcasting"})
NOMINAL = frozenset({"NOUN", "PROPN", "PRON"})


@dataclass(frozen=True)
class Cue:
    """Who the reporting clause says spoke, as written.

    ``kind``: name (a full name), surname (one word of a name, titles dropped), pronoun, role (a
    definite role noun: ``the spokesperson``), organisation (named, or a common noun such as
    ``the ministry``), statement (``the statement said``), anonymous (``a SUPARCO official``).
    """

    kind: str
    name: str  # the name or words as written (titles dropped from names)
    start: int  # of the speaker words in the source
    end: int
    cue_start: int  # the speaker words and the verb together, when they are next to each other
    cue_end: int
    roles: tuple[str, ...] = ()  # role words said of the speaker (``spokesperson``)
    gender: str = ""
    head: tuple[int, int] = (-1, -1)  # the word the phrase is built on: ``ministry`` of ``Pakistan's
    # foreign ministry`` (a name the phrase holds elsewhere, ``Pakistan``, is not the speaker)
    lead: bool = False  # the subject of the sentence before a quotation that has no attribution
    issuer: tuple[int, int] | None = None  # a statement's issuer: ``a statement from <the embassy>``
    issuer_head: tuple[int, int] | None = None


def reporting_cue(parse: Parse, quote_start: int, quote_end: int, text: str) -> Cue | None:
    """The cue of the quotation ``text[quote_start:quote_end]``, or None when its sentence in the
    parse holds no reporting verb or preposition."""
    mine = parse.quote_tokens(quote_start, quote_end)
    if not mine:
        return None
    root = next((t for t in mine if t.head == t.i or not parse.tokens[t.head].quote
                 or parse.tokens[t.head].start != quote_start), mine[0])
    sentence = root.sent
    verbs = [t for t in parse.tokens if t.sent == sentence and _reporting(t)]
    verb = next((a for a in parse.ancestors(root.i) if _reporting(a)), None)
    if verb is None:
        if not verbs:
            return None
        verb = min(verbs, key=lambda t: min(abs(t.start - quote_end), abs(quote_start - t.end)))
    cue = _cue_of(parse, verb, text)
    strong = [v for v in verbs if v.text.lower() not in WEAK and v.i != verb.i]
    if verb.text.lower() in WEAK and strong:
        # "The delegation expressed a 'keen interest', the statement added": the words are the
        # statement's; the participle or verb of attitude only says what they describe
        outer = _cue_of(parse, min(strong, key=lambda t: abs(t.start - verb.start)), text)
        if outer is not None and (cue is None or outer.start != cue.start):
            return outer
    return cue


def subject_before(parse: Parse, quote_start: int, quote_end: int, text: str) -> Cue | None:
    """For a quotation standing alone after a sentence about someone (``Hu, who …, sounded
    confident. "Our partners are moving quickly."``): a person that sentence's subject names."""
    mine = parse.quote_tokens(quote_start, quote_end)
    if not mine or mine[0].sent == 0:
        return None
    sentence = mine[0].sent - 1
    roots = [t for t in parse.tokens if t.sent == sentence and (t.head == t.i or t.dep == "ROOT")]
    for root in roots:
        subjects = [t for t in parse.kids(root.i, "nsubj") if not t.quote]
        if subjects:
            cue = _describe(parse, subjects[0], root, text)
            if cue.kind in ("name", "surname", "pronoun") and cue.gender != "organisation":
                return replace(cue, cue_start=cue.start, cue_end=cue.end, lead=True)
    return None


def _cue_of(parse: Parse, verb: Token, text: str) -> Cue | None:
    speaker = _speaker(parse, verb)
    return None if speaker is None else _describe(parse, speaker, verb, text)


def _reporting(token: Token) -> bool:
    if token.quote:
        return False
    word = token.text.lower()
    if word in ("according", "per"):
        return True
    return word in REPORTING and token.pos in ("VERB", "AUX") and not (
        word == "point" or (word.startswith("point") and token.text != "pointed"))


def _speaker(parse: Parse, verb: Token) -> Token | None:
    """The token heading the words that name the speaker of ``verb``."""
    word = verb.text.lower()
    if word in ("according", "per"):
        for prep in ([verb] if word == "per" else parse.kids(verb.i, "prep")):
            objects = parse.kids(prep.i, "pobj")
            if objects:
                return objects[0]
        return None
    for _ in range(5):  # a participle or a second verb takes the subject of the verb it hangs on
        if verb.text.lower() in _forms("quote"):  # "quoted the agency as saying": the object spoke
            objects = parse.kids(verb.i, "dobj")
            if objects:
                return objects[0]
        subjects = [t for t in parse.kids(verb.i, "nsubj", "nsubjpass") if not t.quote]
        if subjects:
            return subjects[0]
        head = parse.tokens[verb.head]
        if verb.dep in ("acl", "relcl") and head.pos in NOMINAL and not head.quote:
            return head
        after = [t for t in parse.kids(verb.i, "dobj", "attr", "npadvmod", "appos", "dative", "oprd")
                 if t.start > verb.start and t.pos == "PROPN" and not t.quote]
        if after and word not in OBJECT_IS_NOT_SPEAKER:
            return after[0]  # inverted: "announced Zhang Weimin, spokesperson of …"
        if verb.dep in ("advcl", "conj", "xcomp", "ccomp", "parataxis", "pcomp", "prep") and head.i != verb.i:
            verb = head
            continue
        return None
    return None


def _core(parse: Parse, head: Token) -> list[Token]:
    """The head and what it is built of (compounds, names, possessors, determiners), without its
    appositives, clauses and prepositional phrases."""
    keep, stack = [head], [head.i]
    while stack:
        for child in parse.kids(stack.pop()):
            if child.dep in ("compound", "flat", "poss", "case", "det", "amod", "nmod", "nummod", "quantmod",
                             "prt") and not child.quote:
                keep.append(child)
                stack.append(child.i)
    return sorted(keep, key=lambda t: t.start)


def _name_run(tokens: list[Token], head: Token) -> list[Token]:
    """The capitalised words around ``head`` (a lower-case particle between two of them kept:
    ``Naveed ul Hassan``)."""
    at = next(i for i, t in enumerate(tokens) if t.i == head.i)
    if not _capitalised(head):
        return []
    lo = hi = at
    while lo > 0 and (_capitalised(tokens[lo - 1]) or (
            tokens[lo - 1].text in PARTICLES and lo > 1 and _capitalised(tokens[lo - 2]))) \
            and tokens[lo - 1].end >= tokens[lo].start - 2:
        lo -= 1
    while hi + 1 < len(tokens) and (_capitalised(tokens[hi + 1]) or (
            tokens[hi + 1].text in PARTICLES and hi + 2 < len(tokens) and _capitalised(tokens[hi + 2]))) \
            and tokens[hi + 1].start <= tokens[hi].end + 2:
        hi += 1
    return tokens[lo:hi + 1]


def _capitalised(token: Token) -> bool:
    return token.text[:1].isupper() and token.pos in ("PROPN", "NOUN", "ADJ", "X", "VERB") \
        and token.text.lower() not in ("the", "a", "an")


def _describe(parse: Parse, head: Token, verb: Token, text: str) -> Cue:
    core = _core(parse, head)
    words = [t.text.lower() for t in core]
    appositives = [a for a in parse.kids(head.i, "appos") if not a.quote]
    roles = tuple(w for w in words if w in ROLES)
    for a in appositives:
        roles += tuple(t.text.lower() for t in _core(parse, a) if t.text.lower() in ROLES)
    gender = "female" if FEMALE_WORDS & set(words) else "male" if MALE_WORDS & set(words) else ""

    def cue(start: int, end: int, **extra) -> Cue:
        cue_start, cue_end = min(start, verb.start), max(end, verb.end)
        between = text[cue_start:cue_end]
        if any(mark in between for mark in "“”\"") or cue_end - cue_start > 160:
            cue_start, cue_end = start, end  # the words alone: the verb stands beyond a quotation
        return Cue(start=start, end=end, cue_start=cue_start, cue_end=cue_end, roles=roles,
                   gender=extra.pop("gender", gender), head=extra.pop("head", (head.start, head.end)),
                   **extra)

    if head.pos == "PRON":
        word = head.text.lower()
        if word in PRONOUNS:
            return cue(head.start, head.end, kind="pronoun", name=word, gender=PRONOUNS[word])
    run = _name_run(core, head)
    if not run or head.text.lower() in ROLES | STATEMENTS | ORGANISATION_NOUNS:
        for a in appositives:  # "The Spokesperson, Liu Haoran," / "the ambassador to China, X,"
            named = _name_run(_core(parse, a), a)
            if named and not _organisation(named):
                return _named(named, cue, text)
    if run:
        if _organisation(run):
            return cue(run[0].start, run[-1].end, kind="organisation", name=text[run[0].start:run[-1].end],
                       head=(run[0].start, run[-1].end))
        return _named(run, cue, text)
    lowered = head.text.lower()
    start, end = core[0].start, core[-1].end
    definite = any(t.text.lower() in ("the", "this", "that") or t.dep == "poss" for t in core)
    if lowered in STATEMENTS:
        issuer = next((o for p in parse.kids(head.i, "prep") if p.text.lower() in ("from", "by", "of")
                       for o in parse.kids(p.i, "pobj")), None)
        if issuer is None:  # "a statement issued by the ministry"
            issuer = next((o for v in parse.kids(head.i, "acl") for p in parse.kids(v.i, "agent", "prep")
                           if p.text.lower() in ("by", "through") for o in parse.kids(p.i, "pobj")), None)
        if issuer is not None:
            words = _core(parse, issuer)
            return cue(start, end, kind="statement", name=text[start:end],
                       issuer=(words[0].start, words[-1].end), issuer_head=(issuer.start, issuer.end))
        return cue(start, end, kind="statement", name=text[start:end])
    if lowered in ORGANISATION_NOUNS and definite:
        return cue(start, end, kind="organisation", name=lowered)
    if lowered in ROLES and definite and not lowered.endswith("s"):
        return cue(start, end, kind="role", name=text[start:end])
    return cue(start, end, kind="anonymous", name=text[start:end])


def _named(run: list[Token], cue, text: str) -> Cue:
    titles = {t.text.lower().rstrip(".") for t in run}
    while run and run[0].text in TITLES and len(run) > 1:
        run = run[1:]
    name = text[run[0].start:run[-1].end]
    gender = "female" if titles & {"ms", "mrs", "madam"} else "male" if titles & {"mr", "sir"} else ""
    kind = "name" if len(run) > 1 else "surname"
    return cue(run[0].start, run[-1].end, kind=kind, name=name, head=(run[0].start, run[-1].end),
               **({"gender": gender} if gender else {}))


def _organisation(run: list[Token]) -> bool:
    words = [t.text for t in run]
    return words[-1] in ORG_HEADS or (len(words) == 1 and bool(ACRONYM.fullmatch(words[0]))) \
        or any(w in ORG_HEADS for w in words[1:])
