"""Who a passage is about: the people a source names, in order, for speakers it does not name again.

A reporter names a speaker once and then writes ``he said``, ``Zhang explained``, ``Mr Lin
added``, ``the spokesperson said``, or names them only after the quotation (``"…," he said.`` /
``Foreign Ministry spokesperson Lin Jian said …``). A careful reader resolves each to the person
the passage is about: the latest person named (or quoted) before whom the words fit — gender for a
pronoun, a word of the full name for a surname, the role for ``the spokesperson`` — and, when
nobody before fits, the person named next, within the following paragraph.

The people come from the gazetteer's person mentions, from names with a person's cue around them
(a role or title before, a reporting verb after, an appositive role: ``Chen Dong, a veteran``),
from the subjects of reported speech (``CMSA spokesperson Lin Xiqiang said that …``), and from
the speakers the attribution has found so far. Everything is found once per source and looked up
by bisection, and a look-back is bounded, so an article of thousands of people stays linear.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from ..inputs.gazetteer import Gazetteer
from ..inputs.sources import Source
from .mentions import Mention
from .reporting import PARTICLES, ROLES, TITLES
from .spans import Spans
from .speakers import STOP, VERBS, gender_before, speaker_phrases

# How many people back a pronoun, surname or role may reach: no passage refers further, and a
# bound keeps an article of thousands of people linear.
LOOKBACK = 200
LISTED_REACH = 20_000  # characters back a surname may find a full name no cue marked as a person's
_WORD = r"(?:[A-Z][a-z]+(?:[-'’][A-Z]?[a-z]+)*|Mc[A-Z][a-z]+)"
PERSON_NAME = re.compile(rf"\b{_WORD}(?:\s+(?:(?:{'|'.join(sorted(PARTICLES))})\s+)?{_WORD}){{1,3}}\b")
_ROLE_WORDS = "|".join(sorted(ROLES | {"astronauts", "officials", "scientists", "engineers", "pilots"}))
ROLE_BEFORE = re.compile(rf"\b(?i:{_ROLE_WORDS}|Mr|Ms|Mrs|Dr|Prof|Madam|Sir)\.?\s+$")
ROLE_APPOSITION = re.compile(rf"\b(?i:{_ROLE_WORDS})\b(?:\s+(?:to|of|for|at|in)\s+[^,.;:]{{1,40}})?,\s+$")
ROLE_AFTER = re.compile(rf"^,\s+(?:(?:a|an|the|who)\s+)?(?:[\w'’-]+\s+){{0,4}}?(?i:{_ROLE_WORDS})\b")
SPEECH_AFTER = re.compile(rf"^,?\s+(?:also\s+|later\s+)?(?:{VERBS}|pointed out|made the remarks|remarked)\b")
LIST_JOIN = re.compile(r"^(?:,\s+|,?\s+and\s+)$")
NOT_PEOPLE = re.compile(r"Agency|Administration|Commission|Ministry|Office|Center|Centre|Institute|"
                        r"University|Academy|Station|Mission|Programme|Program|Launch|Space|Satellite|"
                        r"Corridor|Initiative|Road|Sea|Ocean|Mountains?|Desert|River|Province|Region|"
                        r"Street|News|Post|Times|Daily|Television|Media|Press|Wire|Network|Group|"
                        r"January|February|March|April|May|June|July|August|September|October|November|"
                        r"December|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|Foreign|"
                        r"Prime|Minister|Chinese|Pakistani|Indian|American|Russian|South|North|East|West|"
                        r"Inner|Outer|Long|March|Beijing|Islamabad")
FEMALE_ROLES = re.compile(r"\b(?:spokeswoman|chairwoman|Ms\.?|Mrs\.?|Madam)\s+$")
REPORTED_SPEECH = re.compile(rf"\b(?:{VERBS}|pointed out|remarked)\b")


@dataclass
class Referent:
    """Someone a passage can be about, from where the source names them."""

    offset: int
    name: str
    entity_id: str | None = None
    gender: str = ""  # female | male | plural | "" (unknown)
    roles: set[str] = field(default_factory=set)
    organisation: bool = False
    speaker: bool = False  # quoted, or the subject of reported speech
    anonymous: bool = False  # described, not named: "a Chinese Foreign Ministry spokesperson"
    named_as: Referent | None = None  # the name a description turned out to have

    @property
    def person(self) -> Referent:
        return self.named_as or self


class Discourse:
    """The referents of one source, in text order: found when first asked for (most quotations
    name their speaker, and most sources never ask)."""

    def __init__(self, source: Source, mentions: list[Mention], gazetteer: Gazetteer, inside: Spans) -> None:
        self.source = source
        self.text = source.text
        self._inputs: tuple[list[Mention], Gazetteer, Spans] | None = (mentions, gazetteer, inside)
        self._added: list[Referent] = []
        self._referents: list[Referent] = []
        self._offsets: list[int] = []

    @property
    def referents(self) -> list[Referent]:
        self._find()
        return self._referents

    @property
    def offsets(self) -> list[int]:
        self._find()
        return self._offsets

    def _find(self) -> None:
        if self._inputs is None:
            return
        mentions, gazetteer, inside = self._inputs
        self._inputs = None
        found: list[Referent] = []
        people = [m for m in mentions if gazetteer[m.entity_id].type == "person" and not m.nested]
        for m in people:
            if not inside.covers(m.start):
                found.append(Referent(m.start, gazetteer[m.entity_id].name, m.entity_id,
                                      gender_before(self.text, m.start), _roles_before(self.text, m.start)))
        covered = Spans((m.start, m.end) for m in mentions)
        others = Spans((m.start, m.end) for m in mentions if gazetteer[m.entity_id].type != "person")
        found += self._names(inside, covered)
        found += self._reported_speech(inside, others, people)
        found += self._added  # speakers the attribution found before anyone asked
        found.sort(key=lambda r: r.offset)
        self._referents = found
        self._offsets = [r.offset for r in found]

    def _names(self, inside: Spans, covered: Spans) -> list[Referent]:
        """Names with a person's cue around them, and the names listed with such a name."""
        found: list[Referent] = []
        previous_end, previous_person = -10, False
        for m in PERSON_NAME.finditer(self.text):
            start, end = m.span()
            words = m.group().split()
            while words and (words[0] in STOP or words[0] in TITLES):
                start += len(words.pop(0)) + 1
            if len(words) < 2 or inside.covers(start) or covered.covers(start) or any(
                    NOT_PEOPLE.fullmatch(w) for w in words):
                previous_end, previous_person = end, False
                continue
            before, after = self.text[max(0, start - 40):start], self.text[end:end + 60]
            listed = previous_person and LIST_JOIN.match(self.text[previous_end:start]) is not None
            cue = ROLE_BEFORE.search(before) or ROLE_APPOSITION.search(before) or ROLE_AFTER.match(after) \
                or SPEECH_AFTER.match(after)
            if cue or listed:
                gender = "female" if FEMALE_ROLES.search(before) else gender_before(self.text, start)
                roles = _roles_before(self.text, start) | _roles_after(after)
                found.append(Referent(start, self.text[start:end], gender=gender, roles=roles,
                                      speaker=bool(SPEECH_AFTER.match(after))))
            previous_end, previous_person = end, bool(cue or listed)
        return found

    def _reported_speech(self, inside: Spans, others: Spans, people: list[Mention]) -> list[Referent]:
        """Who speaks in sentences without quotation marks: ``X said that …``, ``a ministry
        spokesperson said on Monday that …`` (a description a later name may identify). A
        gazetteer person speaking so keeps their entity."""
        found = []
        starts = [m.start for m in people]  # sorted, as the mentions are
        for sentence in self.source.sentences:
            if inside.overlaps(sentence.start, sentence.end) or not REPORTED_SPEECH.search(sentence.text):
                continue
            for phrase in speaker_phrases(self.text, sentence.start, sentence.end):
                if others.covers(phrase.start):
                    continue  # "the University of Hong Kong, emphasized": a place, not who spoke
                if phrase.kind == "name" and phrase.with_verb and " " in phrase.name:
                    i = bisect.bisect_left(starts, phrase.end) - 1  # the person mention in the words
                    entity = people[i].entity_id if i >= 0 and people[i].end > phrase.start else None
                    found.append(Referent(phrase.start, phrase.name, entity, gender=phrase.gender,
                                          speaker=True, roles=_roles_before(self.text, phrase.start)))
                elif phrase.kind == "anonymous" and phrase.gender != "plural":
                    words = phrase.name.split()
                    if words[0].lower() in ("a", "an", "one"):
                        found.append(Referent(phrase.start, phrase.name, speaker=True, anonymous=True,
                                              roles={w.lower() for w in words if w.lower() in ROLES}))
        return found

    def add(self, referent: Referent) -> None:
        """A speaker the attribution found (it goes in text order, after what is known)."""
        if self._inputs is not None:
            self._added.append(referent)
            return
        i = bisect.bisect_right(self._offsets, referent.offset)
        self._referents.insert(i, referent)
        self._offsets.insert(i, referent.offset)

    def before(self, offset: int) -> Iterator[Referent]:
        """Referents named before ``offset``, latest first, at most ``LOOKBACK``."""
        i = bisect.bisect_left(self.offsets, offset)
        for j in range(i - 1, max(-1, i - 1 - LOOKBACK), -1):
            yield self.referents[j]

    def pronoun(self, offset: int, gender: str) -> Referent | None:
        """The latest referent the pronoun fits: an organisation for ``it``, a group or
        organisation for ``they``/``we``, else a person whose gender does not rule it out."""
        for r in self.before(offset):
            person = r.person
            if gender == "organisation":
                if person.organisation:
                    return r
                continue
            if gender == "plural":
                if person.organisation or person.gender == "plural":
                    return r
                continue
            if person.organisation or person.gender == "plural":
                continue
            if not person.gender or not gender or person.gender == gender:
                return r
        return None

    def full_name(self, word: str, offset: int) -> Referent | None:
        """The latest person whose full name has ``word`` as its first or last word."""
        for r in self.before(offset):
            parts = [p for p in r.person.name.split() if p not in PARTICLES]
            if not r.person.organisation and len(parts) > 1 and word in (parts[0], parts[-1]):
                return r.person
        return self._listed(word, offset)

    def _listed(self, word: str, offset: int) -> Referent | None:
        """A full name holding ``word`` anywhere before, when no cue marked it as a person."""
        best = None
        for m in PERSON_NAME.finditer(self.text, max(0, offset - LISTED_REACH), offset):
            parts = [p for p in m.group().split() if p not in PARTICLES and p not in STOP and p not in TITLES]
            if len(parts) > 1 and word in (parts[0], parts[-1]) and not any(
                    NOT_PEOPLE.fullmatch(p) for p in parts):
                best = m
        if best is None:
            return None
        name = " ".join(p for p in best.group().split() if p not in STOP and p not in TITLES)
        start = best.start() + best.group().index(name)
        return Referent(start, name)

    def with_role(self, roles: set[str], offset: int) -> Referent | None:
        """The latest person named with one of ``roles`` (``the spokesperson`` → the person
        introduced as a spokesperson)."""
        wanted = {_plain_role(r) for r in roles}
        for r in self.before(offset):
            person = r.person
            if not person.organisation and not person.anonymous and wanted & {_plain_role(x)
                                                                             for x in person.roles}:
                return person
        return None

    def named_after(self, offset: int, until: int, gender: str) -> Referent | None:
        """Cataphora: the first person named after ``offset`` and before ``until`` with a speaker's
        cue (a reporting verb, a role), whose gender fits."""
        i = bisect.bisect_right(self.offsets, offset)
        for r in self.referents[i:i + LOOKBACK]:
            if r.offset >= until:
                break
            if r.anonymous or r.organisation or not (r.speaker or r.roles):
                continue
            if not r.gender or not gender or r.gender == gender or gender == "":
                return r
        return None


def _plain_role(role: str) -> str:
    return "spokesperson" if role.startswith("spokes") else role.rstrip("s")


def _roles_before(text: str, offset: int) -> set[str]:
    """Role words just before a name (``CMSA spokesperson Lin``), or in the appositive it closes
    (``Pakistan's ambassador to China, Naveed ul Hassan``)."""
    before = text[max(0, offset - 60):offset]
    apposition = ROLE_APPOSITION.search(before)
    words = apposition.group() if apposition else before.split(",")[-1]
    return {w.lower() for w in re.findall(r"[A-Za-z]+", words) if w.lower() in ROLES}


def _roles_after(after: str) -> set[str]:
    m = ROLE_AFTER.match(after)
    if not m:
        return set()
    return {w.lower() for w in re.findall(r"[A-Za-z]+", m.group()) if w.lower() in ROLES}
