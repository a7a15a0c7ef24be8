"""A first guess at what kind of entity a new name is, from the name's own cues and its context.

Heads (``… Agency``, ``… Institute``, ``… Center``), designators (``Shenzhou-21``, ``Long March
2F``, ``PakSat-MM1``), acronyms, titles and speech verbs next to it, a craft's noun after it
(``the ICUBE-Q cubesat``), or a preposition of place before it. The guess only fills a stub for
``entities.yaml``: the analyst confirms it.
"""

from __future__ import annotations

import re

AGENCY_HEADS = {"Agency", "Administration", "Commission", "Ministry", "Department", "Bureau", "Office",
                "Authority", "Directorate", "Wing", "Force", "Army", "Navy", "Council", "Government"}
INSTITUTION_HEADS = {"Institute", "University", "Academy", "College", "School", "Laboratory", "Observatory",
                     "Society", "Foundation", "Association", "Centre", "Center"}
COMPANY_HEADS = {"Inc", "Ltd", "Corp", "Corporation", "Company", "Group", "Technologies", "Systems", "Co"}
FACILITY_WORDS = {"Launch", "Satellite Launch", "Spaceport", "Cosmodrome", "Range", "Base", "Port"}
MISSION_PREFIXES = ("Shenzhou", "Tianzhou", "Chang", "Axiom", "Apollo", "Soyuz", "Gaganyaan", "Crew",
                    "Ax", "Artemis", "Tianwen", "Mengzhou", "Expedition")
ROCKET_PREFIXES = ("Long March", "Falcon", "Kuaizhou", "Kinetica", "Zenit", "Ariane", "Atlas", "Delta",
                   "Vega", "Electron", "Zhuque", "Ceres", "Lijian", "Proton", "Angara")
PERSON_BEFORE = re.compile(r"(?i:spokes(?:man|woman|person)|minister|official|director|chairman|chairwoman|"
                           r"chief|analyst|scientist|researcher|engineer|professor|ambassador|secretary|"
                           r"adviser|advisor|president|astronaut|commander|envoy|Mr\.?|Ms\.?|Mrs\.?|Dr\.?)\s+$")
SPEECH_AFTER = re.compile(r"^,?\s+(?:said|says|told|added|wrote|noted|explained|who\b)")
DIGIT = re.compile(r"\d")
ACRONYM = re.compile(r"[A-Z]{2,6}")
PROGRAMME_AFTER = re.compile(r"\s+(?:programme|program|project|initiative)\b")
CRAFT_AFTER = re.compile(r"\s+(?:cubesat|satellite|probe|rover|lander|orbiter|spacecraft|capsule|module)s?\b",
                         re.I)  # "the ICUBE-Q cubesat", "the Rashid rover"
PLACE_BEFORE = re.compile(r"\b(?:in|at|from|to|near|across|over|of)\s+(?:the\s+)?$")


def guess_type(name: str, kind: str, before: str, after: str, speakers: set[str]) -> str:
    """``before``/``after``: the text just around the name in its source; ``speakers``: names
    the source quotes."""
    tokens = name.split()
    head = tokens[:tokens.index("of")] if "of" in tokens[1:] else tokens  # Astronaut Centre of China
    last = head[-1].rstrip(".")
    if kind == "designator" or DIGIT.search(name):
        if name.startswith(ROCKET_PREFIXES):
            return "spacecraft"
        return "mission" if name.startswith(MISSION_PREFIXES) else "spacecraft"
    if ACRONYM.fullmatch(name):
        return "agency"
    if last in COMPANY_HEADS:
        return "company"
    if last in ("Center", "Centre") and any(w in name for w in FACILITY_WORDS):
        return "facility"
    if last in AGENCY_HEADS or tokens[0] in ("Ministry", "Department", "Office"):
        return "agency"
    if last in INSTITUTION_HEADS or tokens[0] in INSTITUTION_HEADS:
        return "institution"
    if PROGRAMME_AFTER.match(after):
        return "programme"
    if CRAFT_AFTER.match(after):
        return "spacecraft"
    if name in speakers or PERSON_BEFORE.search(before) or (SPEECH_AFTER.match(after) and len(tokens) > 1):
        return "person"
    if PLACE_BEFORE.search(before):
        return "place"
    return "person" if 2 <= len(tokens) <= 3 else "place"
