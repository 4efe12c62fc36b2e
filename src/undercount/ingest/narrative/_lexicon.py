"""Lexicons of armed actors, source organisations and weapons, and their matcher.

Each entry is ``(id, name, group/category, pattern, flags)``. Patterns are regular
expressions matched on word boundaries; acronyms that are also English words or
too short to be safe ("IS", "UN", "AP", "CTS") are case-sensitive. When two
entries of the same kind overlap, the longer match wins ("U.S-led coalition"
beats "U.S"; "improvised rocket-assisted munitions" beats "rocket").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

_I = re.IGNORECASE
_US = r"(?:U\.?S\.?A?|United\s+States|American)"
_LED = r"[\s-]*(?:led|backed)"
_MIL = (
    r"(?:forces?|military|army|air\s*forces?|aircraft|jets|warplanes|troops"
    r"|air\s*strikes?|airstrikes?|strikes?|bombing|planes|soldiers|government"
    r"|officials?|commanders?|regime)"
)

# (id, display name, group, pattern, flags)
ACTORS: tuple[tuple[str, str, str, str, int], ...] = (
    ("isis", "ISIS", "isis",
     r"ISIS|ISIL|Daesh|Da['\u2019]?esh|Daish|Islamic\s+State(?:\s+(?:of|in)\s+Iraq"
     r"\s+and\s+(?:the\s+Levant|Syria|al-Sham))?(?:\s+group)?|داعش"
     r"|الدولة\s+الإسلامية", _I),
    ("isis", "ISIS", "isis", r"(?<![A-Za-z])IS(?=\s+(?:fighters|militants|group|"
     r"snipers|members|forces|positions|control|rule|held|jihadists))", 0),
    ("coalition", "US-led coalition", "coalition",
     rf"(?:the\s+)?{_US}{_LED}\s+(?:international\s+|military\s+)?coalition"
     r"|(?:the\s+)?(?:international|global|anti[- ]ISIS|anti[- ]ISIL|Western)"
     r"\s+coalition|coalition(?=\s+(?:forces|air\s*forces?|air\s*strikes?"
     r"|airstrikes?|aircraft|jets|warplanes|partners|officials?|spokes(?:man|person)"
     r"|military|strikes?|bombing|attacks?|planes|members|troops|and\s+Iraqi))"
     r"|(?<=the\s)coalition|(?<=Iraq\s)coalition|CJTF[- ]OIR"
     r"|Combined\s+Joint\s+Task\s+Force(?:[\s\u2013-]+Operation\s+Inherent"
     r"\s+Resolve)?|Operation\s+Inherent\s+Resolve", _I),
    ("coalition", "US-led coalition", "coalition", r"\bOIR\b", 0),
    ("united_states", "United States military", "coalition",
     rf"{_US}\s+{_MIL}|the\s+Pentagon|Pentagon|CENTCOM|US\s+Central\s+Command", _I),
    ("united_states", "United States", "coalition",
     r"(?<=\bthe\s)(?:U\.S\.?|US|United\s+States)(?![-\w])", 0),
    ("united_kingdom", "UK forces", "coalition",
     r"RAF|Royal\s+Air\s+Force|British\s+(?:forces|military|aircraft|jets|troops)"
     r"|UK\s+(?:forces|military|aircraft|jets)", 0),
    ("iraqi_forces", "Iraqi forces", "iraqi_forces",
     rf"(?:{_US}{_LED}\s+)?Iraqi\s+(?:security\s+|government\s+|military\s+|ground\s+"
     r"|armed\s+|special\s+|federal\s+)?(?:forces|troops|army|soldiers|military"
     r"|air\s*force|government|units|police)|Iraqi(?=\s+(?:and|or)\s+(?:the\s+)?"
     rf"(?:{_US}{_LED}\s+)?coalition)|Iraqi\s+Security\s+Forces", _I),
    ("iraqi_forces", "Iraqi forces", "iraqi_forces", r"\bISF\b", 0),
    ("cts", "Counter-Terrorism Service", "iraqi_forces",
     r"(?:Iraqi\s+)?Counter[- ]?Terrorism\s+(?:Service|Forces|Command)|Golden\s+"
     r"Division|\bI?CTS\b", 0),
    ("federal_police", "Federal Police", "iraqi_forces",
     r"(?:Iraqi\s+)?Federal\s+Police", _I),
    ("erd", "Emergency Response Division", "iraqi_forces",
     r"Emergency\s+Response\s+Division|\bERD\b", 0),
    ("rrd", "Rapid Response Division", "iraqi_forces", r"Rapid\s+Response\s+Division",
     _I),
    ("unit", "named unit", "unknown",
     r"\d{1,2}(?:st|nd|rd|th)\s+(?:Armou?red\s+|Infantry\s+|Army\s+|Mechani[sz]ed\s+)?"
     r"(?:Division|Brigade|Regiment|Battalion)", _I),
    ("pmf", "Popular Mobilisation Forces", "pmf",
     r"Popular\s+Mobili[sz]ation\s+(?:Forces|Units|Committee)|\bPMF\b|\bPMU\b"
     r"|(?:al-)?Hashd(?:\s+al-Sha['\u2019]?abi)?|الحشد\s+الشعبي", 0),
    ("peshmerga", "Peshmerga", "kurdish_forces", r"Peshmerga|Pêşmerge", _I),
    ("russia", "Russian forces", "russia",
     rf"Russian(?=[\s-]+(?:and\s+Syrian\s+)?(?:{_MIL}|backed))|Russia(?=\s+and\s+"
     r"(?:the\s+)?Syrian)", _I),
    ("syrian_government", "Syrian government forces", "syrian_government",
     r"Syrian\s+(?:government|regime|Arab\s+Army|army|air\s*force|military|troops"
     r"|forces)(?:\s+forces)?|(?:the\s+)?Assad\s+(?:regime|government|forces)"
     r"|pro-(?:government|regime|Assad)\s+(?:forces|militias)"
     r"|\bSAA\b", 0),
    ("government_forces", "government forces", "government",
     r"(?<!Syrian\s)(?<!Iraqi\s)government\s+(?:forces|troops)", 0),
    ("sdf", "Syrian Democratic Forces", "sdf",
     r"Syrian\s+Democratic\s+Forces|\bSDF\b|\bYPG\b|\bYPJ\b|People['\u2019]s\s+"
     r"Protection\s+Units|Kurdish[- ]led\s+forces", 0),
    ("turkey", "Turkish forces", "turkey",
     r"Turkish(?:[\s-]+backed)?\s+(?:forces|military|army|air\s*force|jets"
     r"|airstrikes?|troops|groups|factions)|Syrian\s+National\s+Army", _I),
    ("hts", "Hayat Tahrir al-Sham", "hts",
     r"Hayat\s+Tahrir\s+al-Sham|\bHTS\b|(?:Jabhat\s+)?al-Nusra(?:\s+Front)?"
     r"|Nusra\s+Front", 0),
)  # fmt: skip

ORGANISATIONS: tuple[tuple[str, str, str, str, int], ...] = (
    ("amnesty", "Amnesty International", "ngo", r"Amnesty(?:\s+International)?", 0),
    ("hrw", "Human Rights Watch", "ngo", r"Human\s+Rights\s+Watch|\bHRW\b", 0),
    ("airwars", "Airwars", "monitor", r"Airwars", 0),
    ("un", "United Nations", "un",
     r"United\s+Nations(?:\s+(?:Assistance\s+Mission\s+for\s+Iraq|Human\s+Rights"
     r"\s+Office|Office\s+for\s+the\s+Coordination\s+of\s+Humanitarian\s+Affairs"
     r"|Children['\u2019]s\s+Fund|High\s+Commissioner\s+for\s+(?:Refugees|Human\s+"
     r"Rights)))?|\bUN(?:\s+(?:human\s+rights\s+office|Human\s+Rights\s+Council"
     r"|Commission\s+of\s+Inquiry|refugee\s+agency|Security\s+Council))?\b|\bU\.N\."
     r"|UNAMI|OHCHR|UNHCR|UNICEF|\bOCHA\b|\bIOM\b|Commission\s+of\s+Inquiry", 0),
    ("ap", "Associated Press", "media", r"Associated\s+Press|\bAP\b", 0),
    ("reuters", "Reuters", "media", r"Reuters", 0),
    ("afp", "AFP", "media", r"\bAFP\b|Agence\s+France[- ]Presse", 0),
    ("nyt", "The New York Times", "media", r"New\s+York\s+Times", 0),
    ("bbc", "BBC", "media", r"\bBBC\b", 0),
    ("guardian", "The Guardian", "media", r"The\s+Guardian", 0),
    ("aljazeera", "Al Jazeera", "media", r"Al\s+Jazeera", 0),
    ("sohr", "Syrian Observatory for Human Rights", "monitor",
     r"Syrian\s+Observatory(?:\s+for\s+Human\s+Rights)?|\bSOHR\b", 0),
    ("snhr", "Syrian Network for Human Rights", "monitor",
     r"Syrian\s+Network\s+for\s+Human\s+Rights|\bSNHR\b", 0),
    ("ibc", "Iraq Body Count", "monitor", r"Iraq\s+Body\s+Count", 0),
    ("rbss", "Raqqa Is Being Slaughtered Silently", "monitor",
     r"Raqqa\s+Is\s+Being\s+Slaughtered\s+Silently|\bRBSS\b", 0),
    ("icrc", "International Committee of the Red Cross", "ngo",
     r"International\s+Committee\s+of\s+the\s+Red\s+Cross|\bICRC\b|Red\s+Cross", 0),
    ("msf", "Médecins Sans Frontières", "ngo",
     r"M[ée]decins\s+Sans\s+Fronti[èe]res|Doctors\s+Without\s+Borders|\bMSF\b", 0),
    ("white_helmets", "Syria Civil Defence", "ngo",
     r"White\s+Helmets|Syria(?:n)?\s+Civil\s+Defen[cs]e", 0),
    ("nrc", "Norwegian Refugee Council", "ngo", r"Norwegian\s+Refugee\s+Council", 0),
    ("save_the_children", "Save the Children", "ngo", r"Save\s+the\s+Children", 0),
    ("civic", "Center for Civilians in Conflict", "ngo",
     r"Cent(?:er|re)\s+for\s+Civilians\s+in\s+Conflict|\bCIVIC\b", 0),
)  # fmt: skip

WEAPONS: tuple[tuple[str, str, str, str, int], ...] = (
    ("airstrike", "airstrike", "air",
     r"air[\s-]?strikes?|air\s+raids?|aerial\s+(?:bombardment|bombing|attacks?|strikes?)"
     r"|air\s+attacks?|bombing\s+raids?|(?<=coalition\s)strikes?"
     r"|(?<=Russian\s)strikes?|(?<=US\s)strikes?|(?<=U\.S\.\s)strikes?"
     r"|(?<=\d\s)strikes", _I),
    ("bombardment", "bombardment", "explosive",
     r"bombardments?|bombarded|bombing(?!\s+raids?)", _I),
    ("precision_munition", "precision-guided munition", "air",
     r"precision[\s-]guided\s+(?:munitions?|bombs?|missiles?)|guided\s+bombs?"
     r"|smart\s+bombs?", _I),
    ("barrel_bomb", "barrel bomb", "air", r"barrel\s+bombs?", _I),
    ("drone", "drone", "air",
     r"(?:armed\s+|weaponi[sz]ed\s+)?drones?|UAVs?|unmanned\s+aerial\s+vehicles?", _I),
    ("aircraft", "warplane", "air",
     r"warplanes?|fighter\s+jets?|helicopter\s+gunships?|attack\s+helicopters?"
     r"|gunships?", _I),
    ("iram", "IRAM", "improvised",
     r"IRAMs?|improvised\s+rocket[\s-]assisted\s+(?:munitions?|mortars?)", _I),
    ("ied", "IED", "improvised",
     r"(?:flying\s+)?IEDs?|improvised\s+explosive\s+devices?|roadside\s+bombs?"
     r"|booby[\s-]traps?|booby[\s-]trapped", _I),
    ("vbied", "VBIED", "improvised",
     r"S?VBIEDs?|(?:suicide\s+)?vehicle[\s-]borne\s+(?:improvised\s+explosive\s+"
     r"devices?|IEDs?)|(?:suicide\s+)?car\s+bomb(?:s|ings?)?|truck\s+bombs?", _I),
    ("suicide_bomb", "suicide bombing", "improvised",
     r"suicide\s+(?:bombers?|bombings?|vests?|belts?|attacks?)", _I),
    ("mortar", "mortar", "indirect_fire",
     r"mortars?(?:\s+(?:fire|shells?|rounds?|bombs?|attacks?))?", _I),
    ("artillery", "artillery", "indirect_fire",
     r"(?:rocket\s+)?artillery(?:\s+(?:fire|shells?|strikes?|shelling|rounds?))?"
     r"|howitzers?|HIMARS", _I),
    ("shelling", "shelling", "indirect_fire", r"shelling|shelled", _I),
    ("rocket", "rocket", "indirect_fire",
     r"rockets?(?:\s+(?:fire|attacks?|launchers?))?(?![\s-]assisted)|Grad\s+rockets?"
     r"|Katyushas?|MLRS|multiple[\s-]launch\s+rocket\s+systems?", _I),
    ("missile", "missile", "air",
     r"(?:cruise\s+|ballistic\s+|Hellfire\s+)?missiles?", _I),
    ("sniper", "sniper", "small_arms", r"snipers?(?:\s+fire)?|sniping", _I),
    ("small_arms", "small arms", "small_arms",
     r"gunfire|small[\s-]arms(?:\s+fire)?|machine[\s-]guns?|gunmen", _I),
    ("cluster_munition", "cluster munition", "air",
     r"cluster\s+(?:munitions?|bombs?)", _I),
    ("white_phosphorus", "white phosphorus", "incendiary", r"white\s+phosphorus", _I),
    ("chemical", "chemical weapon", "chemical",
     r"chemical\s+(?:weapons?|attacks?)|chlorine(?:\s+gas)?|sarin|mustard\s+(?:gas"
     r"|agent)", _I),
    ("landmine", "landmine", "improvised", r"land\s?mines?|anti-personnel\s+mines?",
     _I),
    ("erw", "explosive remnants of war", "remnants",
     r"explosive\s+remnants\s+of\s+war|unexploded\s+ordnance|\bUXO\b", _I),
    ("explosive_weapons", "explosive weapons", "explosive",
     r"(?:imprecise\s+)?explosive\s+(?:and\s+imprecise\s+)?weapons(?:\s+with\s+wide"
     r"[\s-]area\s+effects)?|imprecise\s+weapons|heavy\s+weapons", _I),
    ("ground_attack", "ground attack", "ground",
     r"ground\s+(?:attacks?|assaults?|offensive|operations)", _I),
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class LexiconHit:
    """A lexicon match: span, entry id, display name and group or category."""

    start: int
    end: int
    entry_id: str
    name: str
    group: str


@lru_cache(maxsize=4)
def _compiled(
    table: tuple[tuple[str, str, str, str, int], ...],
) -> tuple[tuple[str, str, str, re.Pattern[str]], ...]:
    return tuple(
        (eid, name, group, re.compile(rf"(?<![\w-])(?:{pattern})(?![\w])", flags))
        for eid, name, group, pattern, flags in table
    )


@lru_cache(maxsize=4)
def _any_term(table: tuple[tuple[str, str, str, str, int], ...]) -> re.Pattern[str]:
    """One zero-width pattern that matches where any entry of ``table`` starts.

    Scanning the text once with it and trying the entries only at the few
    positions it reports is several times faster on long documents than one
    full scan per entry, and gives the same matches.
    """
    alternatives = "|".join(
        f"(?{'i' if flags & re.IGNORECASE else '-i'}:{pattern})"
        for _, _, _, pattern, flags in table
    )
    return re.compile(rf"(?<![\w-])(?=(?:{alternatives})(?![\w]))")


def find_terms(
    text: str, table: tuple[tuple[str, str, str, str, int], ...]
) -> list[LexiconHit]:
    """All non-overlapping matches of ``table`` in ``text``, longest first.

    Each entry's matches are those of its own ``finditer`` (non-overlapping
    among themselves); overlaps between entries are resolved longest first.
    """
    hits: list[LexiconHit] = []
    entries = _compiled(table)
    resume = [0] * len(entries)  # per entry: where its previous match ended
    for candidate in _any_term(table).finditer(text):
        pos = candidate.start()
        for index, (eid, name, group, pattern) in enumerate(entries):
            if pos < resume[index]:
                continue
            m = pattern.match(text, pos)
            if m is not None and m.end() > m.start():
                hits.append(LexiconHit(m.start(), m.end(), eid, name, group))
                resume[index] = m.end()
    hits.sort(key=lambda h: (-(h.end - h.start), h.start))
    kept: list[LexiconHit] = []
    taken = bytearray(len(text))
    for hit in hits:
        if not any(taken[hit.start : hit.end]):
            kept.append(hit)
            taken[hit.start : hit.end] = b"\x01" * (hit.end - hit.start)
    kept.sort(key=lambda h: h.start)
    return [_refine_unit(text, h) for h in kept]


def _refine_unit(text: str, hit: LexiconHit) -> LexiconHit:
    """Give a numbered unit the side named just before it ("Iraqi army's 9th...")."""
    if hit.entry_id != "unit":
        return hit
    before = text[max(0, hit.start - 40) : hit.start]
    group = "iraqi_forces" if re.search(r"Iraqi", before) else hit.group
    return LexiconHit(hit.start, hit.end, "unit", text[hit.start : hit.end], group)
