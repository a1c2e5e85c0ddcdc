"""Typed models of the handbook's shared data.

Every field an editor can write is declared here, with what it is for. The
"Data reference" page and the JSON Schema are generated from these classes, so
the description strings are written for editors.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, timedelta
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StrictInt,
    StringConstraints,
    model_validator,
)

ID_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"

Text = Annotated[
    str,
    StringConstraints(strict=True, strip_whitespace=True, min_length=1),
    AfterValidator(lambda text: unicodedata.normalize("NFC", text)),
]
"""A piece of plain text. Markdown and HTML are not interpreted: they are shown as typed.
Stored in Unicode NFC, so a term typed with a combined or a separate accent is the same term."""

Id = Annotated[str, StringConstraints(strict=True, pattern=ID_PATTERN)]

EvidenceStrength = Literal["high", "moderate", "low", "very-low", "insufficient"]
EVIDENCE_LABELS: dict[str, str] = {
    "high": "High",
    "moderate": "Moderate",
    "low": "Low",
    "very-low": "Very low",
    "insufficient": "Insufficient",
}
EVIDENCE_MEANINGS: dict[str, str] = {
    "high": "Several good trials agree; further research is unlikely to change the picture.",
    "moderate": "Good trials exist, but further research could change the picture.",
    "low": "Few or flawed trials, or trials that disagree; the true effect may be quite different.",
    "very-low": "Very little trustworthy evidence; any estimate is very uncertain.",
    "insufficient": "Not enough research to say whether it helps.",
}

Category = Literal[
    "injection",
    "nerve-block",
    "ablation",
    "neuromodulation",
    "infusion",
    "regenerative",
    "spinal-augmentation-decompression",
]
CATEGORY_LABELS: dict[str, str] = {
    "injection": "Injections",
    "nerve-block": "Nerve blocks",
    "ablation": "Ablation",
    "neuromodulation": "Neuromodulation",
    "infusion": "Infusions",
    "regenerative": "Regenerative injections",
    "spinal-augmentation-decompression": "Spinal augmentation and decompression",
}

Purpose = Literal["diagnostic", "therapeutic", "diagnostic-and-therapeutic"]
PURPOSE_LABELS: dict[str, str] = {
    "diagnostic": "Diagnostic (finds the source of pain)",
    "therapeutic": "Therapeutic (treats pain)",
    "diagnostic-and-therapeutic": "Diagnostic and therapeutic",
}

Role = Literal["diagnostic", "first-line", "second-line", "selected-cases", "not-recommended"]
ROLE_LABELS: dict[str, str] = {
    "diagnostic": "Diagnostic",
    "first-line": "First-line",
    "second-line": "Second-line",
    "selected-cases": "Selected cases",
    "not-recommended": "Not recommended",
}
ROLE_MEANINGS: dict[str, str] = {
    "diagnostic": "Used to find out where the pain comes from, not mainly to treat it.",
    "first-line": "A usual early option once conservative care has been tried.",
    "second-line": "Considered when first-line options have not helped enough.",
    "selected-cases": "Only for some people, after careful selection by a specialist.",
    "not-recommended": "Guidelines advise against it for this condition; listed because people ask about it.",
}

BodyRegion = Literal[
    "head-and-face",
    "neck",
    "back",
    "arms-and-legs",
    "joints",
    "pelvis-and-abdomen",
    "widespread",
]
BODY_REGION_LABELS: dict[str, str] = {
    "head-and-face": "Head and face",
    "neck": "Neck",
    "back": "Back",
    "arms-and-legs": "Arms and legs",
    "joints": "Joints",
    "pelvis-and-abdomen": "Pelvis and abdomen",
    "widespread": "Widespread",
}


def _unique(items: list[str]) -> list[str]:
    seen: set[str] = set()
    for item in items:
        if item in seen:
            raise ValueError(f"'{item}' is listed twice")
        seen.add(item)
    return items


UniqueIds = Annotated[list[Id], AfterValidator(_unique)]
ReferenceIds = Annotated[
    list[Id],
    Field(min_length=2, description="Ids of entries in data/references/, at least two."),
    AfterValidator(_unique),
]
TextList = Annotated[list[Text], Field(min_length=1)]
UniqueTexts = Annotated[list[Text], AfterValidator(_unique)]


class DataModel(BaseModel):
    """Base: unknown fields are errors, values cannot change after loading."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


EARLIEST_REVIEW = date(2000, 1, 1)
MAX_REVIEW_INTERVAL = timedelta(days=3 * 365 + 1)
"""A page is reviewed at least every three years."""


class Review(DataModel):
    """When the page and its data were last checked against their sources."""

    last_reviewed: date = Field(description="Date of the last review, as YYYY-MM-DD; not in the future.")
    next_review_due: date = Field(
        description="Date the next review is due, as YYYY-MM-DD; after last_reviewed, at most three years later."
    )

    @model_validator(mode="after")
    def _due_after_reviewed(self) -> Review:
        if self.last_reviewed > date.today():
            raise ValueError(f"last_reviewed ({self.last_reviewed}) is in the future")
        if self.last_reviewed < EARLIEST_REVIEW:
            raise ValueError(f"last_reviewed ({self.last_reviewed}) is before {EARLIEST_REVIEW.year}")
        if self.next_review_due <= self.last_reviewed:
            raise ValueError(
                f"next_review_due ({self.next_review_due}) must be after "
                f"last_reviewed ({self.last_reviewed})"
            )
        if self.next_review_due > self.last_reviewed + MAX_REVIEW_INTERVAL:
            raise ValueError(
                f"next_review_due ({self.next_review_due}) is more than three years after "
                f"last_reviewed ({self.last_reviewed})"
            )
        return self


class Evidence(DataModel):
    """How strong the evidence is, in a word and a sentence or two."""

    strength: EvidenceStrength = Field(description="Overall strength of evidence.")
    summary: Text = Field(description="Plain-language summary of what trials show.")


DOI_PATTERN = re.compile(r"^10\.\d{4,9}/\S+$")

Day = date
"""A calendar date (an alias, so a field may itself be called 'date')."""

ReadDepth = Literal["abstract", "full-text", "guideline-page", "web-page"]


class SourceCheck(DataModel):
    """How a reference was last checked against what the handbook says it supports."""

    date: Day = Field(description="When it was checked, as YYYY-MM-DD; not in the future.")

    @model_validator(mode="after")
    def _not_in_the_future(self) -> SourceCheck:
        if self.date > Day.today():
            raise ValueError(f"checked.date ({self.date}) is in the future")
        return self
    read: ReadDepth = Field(
        description="What was read: the abstract, the full text, the guideline's own page, or the web page cited."
    )


class Reference(DataModel):
    """A published source. At least one of doi, pmid or url is required."""

    id: Id = Field(description="Short unique id, lower case with hyphens, e.g. nice-ng59.")
    title: Text = Field(description="Title of the article, guideline or web page.")
    authors: Text | None = Field(
        default=None,
        description="First author et al., or the organisation. "
        "Leave out for an organisation that is also the publisher.",
    )
    published_in: Text = Field(
        description="Journal with volume and pages, or the publishing organisation."
    )
    year: StrictInt = Field(ge=1900, le=2100, description="Year of publication.")
    doi: Annotated[str, StringConstraints(strict=True, pattern=DOI_PATTERN.pattern)] | None = (
        Field(default=None, description="DOI without the https://doi.org/ prefix, e.g. 10.1136/bmj.l6273.")
    )
    pmid: Annotated[str, StringConstraints(strict=True, pattern=r"^[1-9][0-9]{0,8}$")] | None = (
        Field(default=None, description="PubMed id: digits only. Quote it: '25668411'.")
    )
    url: Annotated[str, StringConstraints(strict=True, pattern=r"^https://[^\s/]+\.[^\s]+$")] | None = (
        Field(default=None, description="https:// address of the publishing organisation's page.")
    )
    checked: SourceCheck | None = Field(
        default=None,
        description="When and how deeply the source was read to confirm the claims it is cited for.",
    )

    @model_validator(mode="after")
    def _has_identifier(self) -> Reference:
        if not (self.doi or self.pmid or self.url):
            raise ValueError("a reference needs at least one of doi, pmid or url")
        return self


class ConditionLink(DataModel):
    """A condition this procedure is used for, and its place in care."""

    condition: Id = Field(description="Id of a condition (its file name in data/conditions/).")
    role: Role = Field(description="Place of the procedure in care for this condition.")
    evidence: EvidenceStrength = Field(
        description="Strength of evidence for this procedure in this condition."
    )
    note: Text | None = Field(default=None, description="One short sentence of context.")


class ComparisonOption(DataModel):
    """The answers to the questions the comparison tables ask of every option."""

    name: Text = Field(description="Name readers know it by.")
    summary: Text = Field(description="What is done, in one or two plain sentences.")
    time_taken: Text = Field(description="How long the procedure or session takes.")
    setting: Text = Field(description="Where it is done and whether the person goes home the same day.")
    onset: Text = Field(description="When relief, if any, usually starts.")
    relief_duration: Text = Field(description="How long relief usually lasts.")
    recovery: Text = Field(description="Time off and limits afterwards.")
    common_risks: TextList = Field(description="Common, usually mild side effects.")
    serious_risks: TextList = Field(description="Rare but serious risks.")
    evidence: Evidence
    references: ReferenceIds


class ConservativeCare(ComparisonOption):
    """The 'conservative care / no procedure' option shown in every comparison."""


class Procedure(ComparisonOption):
    """One interventional procedure. Its id is its file name in data/procedures/."""

    short_name: Text | None = Field(default=None, description="Abbreviation, e.g. ESI.")
    also_called: list[Text] = Field(default_factory=list, description="Other names.")
    lay_names: UniqueTexts = Field(
        default_factory=list,
        description="Everyday words readers use for it, e.g. 'pain pump'. Shown with the other names "
                    "and weighed like the title in search.",
    )
    category: Category = Field(description="Group used for the comparison tables.")
    purpose: Purpose
    target: Text = Field(description="What is treated or injected (nerve, joint, space).")
    imaging: Text = Field(description="Imaging used to guide the needle, or 'None'.")
    anesthesia: Text = Field(description="Numbing or sedation used.")
    contraindications: TextList = Field(description="Reasons not to have it.")
    conditions: Annotated[list[ConditionLink], Field(min_length=1)] = Field(
        description="Conditions it is used for, with role and evidence."
    )
    review: Review

    @model_validator(mode="after")
    def _conditions_unique(self) -> Procedure:
        _unique([link.condition for link in self.conditions])
        return self


class Condition(DataModel):
    """One condition. Its id is its file name in data/conditions/."""

    name: Text = Field(description="Name readers know it by.")
    also_called: list[Text] = Field(default_factory=list, description="Other names.")
    lay_names: UniqueTexts = Field(
        default_factory=list,
        description="Everyday words readers use for it, e.g. 'pain pump'. Shown with the other names "
                    "and weighed like the title in search.",
    )
    body_regions: Annotated[list[BodyRegion], Field(min_length=1), AfterValidator(_unique)] = (
        Field(description="Where in the body it is felt (used to filter the matrix).")
    )
    summary: Text = Field(description="What it is, in one or two plain sentences.")
    chronic_when: Text = Field(description="When it counts as chronic (long-lasting).")
    symptoms: TextList
    first_line_care: TextList = Field(description="Self-care and conservative treatment to try first.")
    prevention: list[Text] = Field(
        default_factory=list,
        description=(
            "Optional. Ways to lower the chance of getting the condition at all, such as a vaccine; "
            "shown as a 'Prevention' row of the at-a-glance table. Treatment belongs in first_line_care."
        ),
    )
    red_flags: TextList = Field(description="Signs that need urgent medical help.")
    references: ReferenceIds
    review: Review


class CareApproachRow(DataModel):
    """One question answered for conventional and for interventional care."""

    question: Text
    conventional: Text
    interventional: Text


class CareApproaches(DataModel):
    """The side-by-side table of conventional and interventional pain care."""

    caption: Text = Field(description="Title of the table.")
    rows: Annotated[list[CareApproachRow], Field(min_length=1)]
    references: ReferenceIds


class GlossaryEntry(DataModel):
    """A term explained in the glossary and shown as a tooltip where it appears."""

    term: Text = Field(description="The term as it is written in pages.")
    abbreviation: Text | None = Field(default=None, description="Its abbreviation, if any.")
    definition: Text = Field(description="Plain-language definition, one or two sentences.")


class PageMeta(BaseModel):
    """Front matter of a Markdown page."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    title: Text | None = None
    description: Text = Field(description="One sentence for search engines and link previews.")
    render_macros: bool = Field(default=False, description="true lets the page call macros.")
    review: Review | None = Field(
        default=None,
        description="Review record of a page without a data entry (overview pages).",
    )
    references: UniqueIds = Field(
        default_factory=list,
        description="Reference ids cited on a page without a data entry (overview pages).",
    )
    hide: list[Literal["navigation", "toc", "footer", "path", "tags", "feedback"]] = Field(
        default_factory=list
    )
    search: dict[str, bool] | None = None
