"""Typed results of narrative extraction: mentions, proposals and the Extraction.

Two layers, kept apart on purpose:

* **Mentions** (``Casualty``, ``TimeMention``, ``Place``, ``Actor``, ``Weapon``,
  ``Organisation``, ``ArabicTerm``, ``Quotation``) are what the rules found in the
  text. Each carries the character span ``[start, end)`` into
  :attr:`Extraction.text`, the exact matched ``text`` and a ``confidence`` in
  ``[0, 1]``.
* **Proposals** (``ProposedIncident``, ``ProposedClaim``) are candidate records for
  the project store. They start with ``status="proposed"``; a reviewer accepts,
  corrects or rejects each one (see :mod:`._review`), and only accepted or
  corrected proposals become incidents or claims with the report as their source.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

Outcome = Literal[
    "killed", "injured", "casualties", "displaced", "trapped", "missing", "harmed"
]
VictimGroup = Literal[
    "civilians",
    "people",
    "children",
    "women",
    "men",
    "families",
    "family_members",
    "combatants",
    "unspecified",
]
QuantityKind = Literal[
    "exact",
    "at_least",
    "more_than",
    "at_most",
    "approximate",
    "range",
    "vague",
    "unspecified",
]
ReviewStatus = Literal["proposed", "accepted", "corrected", "rejected"]


class _Mention(BaseModel):
    """Fields shared by every mention: identity, span, matched text, confidence."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(description="Stable id within one extraction, e.g. 'cas-3'.")
    start: int = Field(ge=0, description="Start offset into Extraction.text.")
    end: int = Field(ge=0, description="End offset (exclusive) into Extraction.text.")
    text: str = Field(description="Extraction.text[start:end], kept for review.")
    confidence: float = Field(ge=0.0, le=1.0)


class Casualty(_Mention):
    """A statement that people were killed, injured, displaced, trapped or missing.

    ``low``/``high`` is the interval the quantity phrase allows (``None`` for an
    open end): "at least 105" is ``[105, None]``, "between 15 and a hundred" is
    ``[15, 100]``, "thousands" is ``[2000, 9999]`` (see docs/extract.md for the
    table of vague quantities).
    """

    kind: Literal["casualty"] = "casualty"
    quantity_text: str = Field(description="The original quantity phrase.")
    quantity_kind: QuantityKind
    low: int | None
    high: int | None
    outcomes: tuple[Outcome, ...]
    victims: VictimGroup
    victims_text: str | None = None
    relative: bool = Field(
        default=False,
        description="True for 'thousands more', 'another 50': an addition to a "
        "figure stated elsewhere, not a total.",
    )


class TimeMention(_Mention):
    """A date, month, year, relative day or duration, resolved where possible."""

    kind: Literal["time"] = "time"
    time_kind: Literal["date", "month", "year", "relative", "duration", "season"]
    value: str | None = Field(
        default=None,
        description="ISO value with its precision: '2017-03-17', '2017-03', '2017'.",
    )
    period_start: str | None = Field(
        default=None, description="Earliest ISO date the mention can mean."
    )
    period_end: str | None = Field(
        default=None, description="Latest ISO date the mention can mean."
    )
    duration_days: int | None = None
    resolved_with_report_date: bool = False


class Place(_Mention):
    """A place name found in the shipped gazetteer."""

    kind: Literal["place"] = "place"
    place_id: str
    name: str
    level: str
    country: str
    parent_id: str | None = None
    lat: float | None = None
    lon: float | None = None
    script: Literal["latin", "arabic"] = "latin"


class Actor(_Mention):
    """An armed actor or a party to the conflict (ISIS, Iraqi forces, coalition...)."""

    kind: Literal["actor"] = "actor"
    actor_id: str
    name: str
    group: str = Field(description="Side: isis, iraqi_forces, coalition, ...")


class Organisation(_Mention):
    """A monitor, NGO, UN body or news organisation (a source, not a party)."""

    kind: Literal["organisation"] = "organisation"
    org_id: str
    name: str
    org_type: Literal["ngo", "un", "media", "monitor", "government", "military"]


class Weapon(_Mention):
    """A weapon, munition or attack type."""

    kind: Literal["weapon"] = "weapon"
    weapon_id: str
    name: str
    category: str = Field(description="air, indirect_fire, improvised, ...")


class ArabicTerm(_Mention):
    """A run of Arabic script inside English text that is not a gazetteer place."""

    kind: Literal["arabic"] = "arabic"


class Quotation(_Mention):
    """Quoted words with the speaker they are attributed to.

    ``start``/``end`` cover the quoted words without the quotation marks. A quote
    that runs over several paragraphs is one ``Quotation`` per paragraph, linked
    by ``continues`` (the id of the previous part).
    """

    kind: Literal["quotation"] = "quotation"
    speaker: str | None = Field(
        default=None, description="Best label: the person's name, else a role."
    )
    speaker_name: str | None = None
    speaker_role: str | None = None
    speaker_organisation: str | None = None
    speaker_start: int | None = None
    speaker_end: int | None = None
    attribution: Literal[
        "same_sentence", "introduced", "continuation", "nearby", "none"
    ] = "none"
    continues: str | None = None


Mention = Annotated[
    Casualty
    | TimeMention
    | Place
    | Actor
    | Organisation
    | Weapon
    | ArabicTerm
    | Quotation,
    Field(discriminator="kind"),
]

ClaimType = Literal[
    "precision",
    "imprecision",
    "denial",
    "accusation",
    "casualty_figure",
    "harm_account",
    "call_to_action",
]
Stance = Literal["defends_conduct", "criticises_conduct", "neutral"]
SpeakerType = Literal["official", "ngo", "un", "media", "witness", "other", "unknown"]


class _Proposal(BaseModel):
    """Fields that make a proposal reviewable: status, evidence span, audit trail."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(description="Deterministic id: same text and rules, same id.")
    status: ReviewStatus = "proposed"
    start: int = Field(ge=0, description="Evidence span start in Extraction.text.")
    end: int = Field(ge=0)
    evidence: str = Field(description="The words the proposal rests on.")
    confidence: float = Field(ge=0.0, le=1.0)
    reviewer: str | None = None
    review_note: str | None = None
    corrections: dict[str, Any] = Field(
        default_factory=dict,
        description="Field values a reviewer changed (original values stay).",
    )


class Figure(BaseModel):
    """One casualty figure inside a proposed incident."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    outcome: Outcome
    victims: VictimGroup
    low: int | None
    high: int | None
    phrase: str
    mention_id: str


class ProposedIncident(_Proposal):
    """A candidate incident (an event or an aggregate such as a whole battle)."""

    kind: Literal["incident"] = "incident"
    scope: Literal["event", "aggregate"]
    summary: str
    figures: tuple[Figure, ...]
    place_ids: tuple[str, ...] = ()
    place_names: tuple[str, ...] = ()
    period_start: str | None = None
    period_end: str | None = None
    actor_ids: tuple[str, ...] = ()
    weapon_ids: tuple[str, ...] = ()
    mention_ids: tuple[str, ...] = ()


class ProposedClaim(_Proposal):
    """A candidate claim: who asserts what about conduct or harm, and where."""

    kind: Literal["claim"] = "claim"
    claim_type: ClaimType
    topic: Literal["weapon_precision", "legality", "civilian_harm", "conduct"]
    stance: Stance
    speaker: str | None
    speaker_role: str | None = None
    speaker_organisation: str | None = None
    speaker_type: SpeakerType = "unknown"
    reported: Literal["quoted", "reported_speech", "narrator"] = "quoted"
    quotation_id: str | None = None
    responds_to: tuple[str, ...] = Field(
        default=(), description="Ids of claims this one answers or disputes."
    )
    contradicts: tuple[str, ...] = Field(
        default=(), description="Ids of claims on the same topic with opposite stance."
    )


class DocumentInfo(BaseModel):
    """Where the text came from and how it was read."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str
    sha256: str
    format: Literal["text", "html", "pdf"]
    encoding: str | None = None
    title: str | None = None
    report_date: str | None = None
    n_bytes: int
    n_chars: int
    n_pages: int | None = None


class Extraction(BaseModel):
    """Everything extracted from one document.

    Attributes
    ----------
    source
        The document's provenance (file name, SHA-256, format, report date).
    text
        The normalised text; every span indexes into it.
    mentions
        Mentions sorted by start offset.
    incidents, claims
        Proposals with ``status="proposed"``, ready for review.
    warnings
        Things a reviewer should know about the reading (e.g. empty PDF pages).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    extractor_version: str
    source: DocumentInfo
    text: str
    mentions: tuple[Mention, ...]
    incidents: tuple[ProposedIncident, ...]
    claims: tuple[ProposedClaim, ...]
    warnings: tuple[str, ...] = ()

    def of_kind(self, kind: str) -> list[Any]:
        """Return the mentions of one kind (``"casualty"``, ``"place"``, ...)."""
        return [m for m in self.mentions if m.kind == kind]

    @property
    def casualties(self) -> list[Casualty]:
        """The casualty statements, in text order."""
        return [m for m in self.mentions if isinstance(m, Casualty)]

    @property
    def quotations(self) -> list[Quotation]:
        """The quotations, in text order."""
        return [m for m in self.mentions if isinstance(m, Quotation)]
