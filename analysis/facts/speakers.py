"""Who is speaking, in the words around a quotation, when the gazetteer does not know them.

Reporters attribute quotes in a few set ways, whatever the outlet: a name next to a speech verb
(``said Tan Yuhang``, ``spokesman Gao Ruiming told reporters``, ``Tan added``), an anonymous
source (``a SUPARCO official said``), an organisation by a common noun (``the ministry said``,
resolved to the ``Ministry of Planning`` named before), a pronoun (``she told``), or a statement
whose issuers were named earlier. These patterns read only the words outside quotation marks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

VERBS = (r"said|says|say|told|tells|added|adds|stated|noted|explained|warned|announced|wrote|writes|posted|"
         r"insisted|stressed|emphasi[sz]ed|declared|replied|recalled|continued|asked|argued|acknowledged|"
         r"confirmed|[Aa]ccording to")
# verbs whose object is the audience, not the speaker: "told reporters", never "told Gao"
SPEAKER_AFTER_VERBS = r"said|says|added|adds|wrote|writes|asked|replied|continued|[Aa]ccording to"
_TOKEN = r"(?:[A-Z][a-z]+(?:[-'’][A-Z]?[a-z]+)*|[A-Z]\.|Mc[A-Z][a-z]+)"
NAME = rf"{_TOKEN}(?:\s+{_TOKEN}){{0,3}}"
STOP = {"The", "A", "An", "It", "He", "She", "They", "We", "I", "This", "That", "These", "Those", "But",
        "And", "Or", "As", "In", "On", "At", "By", "For", "Asked", "According", "Officials", "Analysts",
        "Meanwhile", "However", "Also", "Space", "Chinese", "Pakistani", "Indian", "Federal", "Former",
        "Mr", "Mrs", "Ms", "Dr", "Prof", "Sir", "Madam", "Professor", "Chairman", "Chairwoman"}
ROLES = (r"spokesman|spokeswoman|spokesperson|minister|official|director|chairman|chairwoman|chief|head|"
         r"analyst|scientist|researcher|engineer|professor|ambassador|secretary|adviser|advisor|president|"
         r"astronaut|commander|envoy|diplomat|expert")

NAME_AFTER_VERB = re.compile(rf"\b(?:{SPEAKER_AFTER_VERBS})\s+(?P<name>{NAME})")
NAME_BEFORE_VERB = re.compile(rf"(?P<name>{NAME})(?:,\s+(?:a|an|the)\s+[^,]{{1,80}},)?,?\s+"
                              rf"(?:also\s+|later\s+|then\s+)?(?P<verb>{VERBS})\b")
ROLE_NAME = re.compile(rf"\b(?i:{ROLES})\s+(?P<name>{NAME})")
ANONYMOUS = re.compile(rf"\b(?P<who>(?:(?:an?|one|two|three|several|the|some)\s+)?(?:[\w’'-]+\s+){{0,3}}?"
                       rf"(?:officials?|scientists?|spokes(?:man|woman|person)|sources?|diplomats?|engineers?|"
                       rf"analysts?|experts?|researchers?|insiders?|members?))\s*,?\s+(?P<verb>{VERBS})\b")
ORGANISATION_NOUN = re.compile(rf"\bthe\s+(?P<noun>ministry|agency|commission|embassy|company|office|"
                               rf"department|military|government|administration|university|institute|"
                               rf"centre|center)\s+(?P<verb>{VERBS})\b", re.I)
PRONOUN = re.compile(rf"\b(?P<pronoun>[Hh]e|[Ss]he|[Tt]hey)\s+(?:also\s+)?(?P<verb>{VERBS}|\w+s)\b")
STATEMENT_SAID = re.compile(r"\bthe\s+(?:joint\s+)?statement\s+(?:said|says|added|adds|read|reads)\b", re.I)
SAID_IN_STATEMENT = re.compile(r"\b(?:said|says)\s+in\s+a\s+(?:joint\s+)?statement\b", re.I)
# A name run just after "for"/"of" opens with the rest of an office: "Minister for Planning Karim …"
OFFICE_OF = re.compile(r"\b(?:for|of)\s+$")
FEMALE = re.compile(r"\b(?:spokeswoman|chairwoman|Ms\.?|Mrs\.?|Madam|woman)\s*$", re.I)
MALE = re.compile(r"\b(?:spokesman|chairman|Mr\.?)\s*$", re.I)


@dataclass(frozen=True)
class Phrase:
    """Words naming a speaker: where they stand, and how they name."""

    start: int
    end: int
    name: str
    kind: str  # name | anonymous | organisation | pronoun
    cue_start: int
    cue_end: int
    gender: str = ""  # female | male | plural | "" (unknown)
    with_verb: bool = True  # next to a speech verb (a role before a name is not enough to speak)


def clean_name(text: str, run_start: int, name: str) -> tuple[int, str] | None:
    """Drop leading function words and the tail of an office (``Minister for Planning Karim
    Yusufzai`` → ``Karim Yusufzai``); None when nothing of a name is left."""
    tokens = name.split()
    offset = 0
    while tokens and tokens[0] in STOP:
        offset += len(tokens[0]) + 1
        tokens.pop(0)
    if len(tokens) >= 3 and OFFICE_OF.search(text[max(0, run_start - 5):run_start + offset]):
        offset += len(tokens[0]) + 1
        tokens.pop(0)
    if not tokens:
        return None
    return run_start + offset, " ".join(tokens)


def speaker_phrases(text: str, start: int, end: int) -> list[Phrase]:
    """Every way a speaker is named in ``text[start:end]`` (words outside quotation marks)."""
    found: list[Phrase] = []
    for pattern in (NAME_AFTER_VERB, NAME_BEFORE_VERB, ROLE_NAME):
        with_verb = pattern is not ROLE_NAME
        for m in pattern.finditer(text, start, end):
            cleaned = clean_name(text, m.start("name"), m["name"])
            if cleaned is None:
                continue
            at, name = cleaned
            gender = gender_before(text, at)
            found.append(Phrase(at, at + len(name), name, "name", m.start(), m.end(), gender, with_verb))
    for m in ANONYMOUS.finditer(text, start, end):
        who = m["who"]
        if who.split()[0][0].isupper() and who.split()[0] not in STOP:
            continue  # "Space analyst Priya Raman" is a name, found above
        plural = who.endswith("s") and not who.endswith(("ss", "us"))
        found.append(Phrase(m.start("who"), m.end("who"), who, "anonymous", m.start(), m.end(),
                            "plural" if plural else ""))
    for m in ORGANISATION_NOUN.finditer(text, start, end):
        found.append(Phrase(m.start(), m.end("noun"), m["noun"].lower(), "organisation", m.start(), m.end()))
    for m in PRONOUN.finditer(text, start, end):
        word = m["pronoun"].lower()
        found.append(Phrase(m.start(), m.end("pronoun"), word, "pronoun", m.start(), m.end(),
                            {"she": "female", "he": "male", "they": "plural"}[word]))
    return found


def gender_before(text: str, offset: int) -> str:
    """``female``/``male`` when the words just before a name say so (``spokeswoman``, ``Mr``)."""
    before = text[max(0, offset - 16):offset]
    return "female" if FEMALE.search(before) else "male" if MALE.search(before) else ""


def organisation_named_before(text: str, before: int, noun: str) -> str | None:
    """The latest proper name ending in or built on ``noun`` before an offset: ``the ministry`` →
    ``Ministry of Planning``."""
    word = noun[0].upper() + noun[1:]
    pattern = re.compile(rf"(?:[A-Z][\w’'-]+\s+)*{word}(?:\s+(?:of|for)\s+(?:the\s+)?[A-Z][\w’'-]+"
                         rf"(?:\s+(?:and\s+)?[A-Z][\w’'-]+)*)?")
    names = [m.group() for m in pattern.finditer(text, 0, before) if m.group() != word]
    return names[-1] if names else None


def statement_issuer_span(text: str, before: int) -> tuple[int, int] | None:
    """The words naming who issued the latest statement before an offset: the subject of
    ``… said in a joint statement``, up to 90 characters before the verb."""
    said = [m for m in SAID_IN_STATEMENT.finditer(text, 0, before)]
    if not said:
        return None
    verb = said[-1]
    return max(0, verb.start() - 90), verb.start()


ACRONYM = re.compile(r"\b[A-Z]{3,6}\b")
