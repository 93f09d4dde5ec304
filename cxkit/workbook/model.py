"""The workbook model: what a client's CX workbook is.

A workbook holds a client's brand, personas, journeys (stages -> touchpoints,
plus opportunities) and the survey exports that measure them. Models are
pydantic v2 classes that reject unknown keys; cross-references (a journey's
persona, an opportunity's touchpoints, a survey's stage mapping...) are checked
by :func:`check_references`, which returns every broken reference at once.

Ids are slugs (``caravan-weekend``); names and all free text may be in any
language.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
)

from cxkit.errors import Reason, Term, Words, did_you_mean
from cxkit.i18n.messages import format_loc, word

FORMAT_VERSION = 1

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
Slug = Annotated[
    str,
    StringConstraints(pattern=SLUG_PATTERN, max_length=80),
    Field(description="An id: lowercase letters, digits and single hyphens, e.g. 'first-contact'."),
]
HexColour = Annotated[
    str,
    StringConstraints(pattern=r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$"),
    Field(description="A colour as #rgb or #rrggbb."),
]
Emotion = Annotated[
    int,
    Field(ge=-2, le=2, description="How the customer feels: -2 very negative .. +2 very positive."),
]
OneToFive = Annotated[int, Field(ge=1, le=5)]
Text = Annotated[str, StringConstraints(strip_whitespace=True)]


class Language(StrEnum):
    HE = "he"
    EN = "en"


class Scope(StrEnum):
    TASK = "task"
    LIFECYCLE = "lifecycle"


class State(StrEnum):
    CURRENT = "current"
    FUTURE = "future"


class Channel(StrEnum):
    PHONE = "phone"
    WEB = "web"
    MOBILE = "mobile"
    CHAT = "chat"
    EMAIL = "email"
    MAIL = "mail"
    SMS = "sms"
    MESSAGING = "messaging"
    SOCIAL = "social"
    FACE_TO_FACE = "face-to-face"
    IVR = "ivr"
    VIDEO = "video"
    SELF_SERVICE = "self-service"
    OTHER = "other"


class Value(StrEnum):
    """Value-stream class of a touchpoint, seen from the customer."""

    ADDS = "adds"
    NEEDED = "needed"
    WASTE = "waste"


class OpportunityStatus(StrEnum):
    IDEA = "idea"
    PLANNED = "planned"
    IN_PROGRESS = "in-progress"
    DONE = "done"
    DROPPED = "dropped"


class SurveyFormat(StrEnum):
    AUTO = "auto"
    QUALTRICS = "qualtrics"
    SURVEYMONKEY = "surveymonkey"
    GOOGLE_FORMS = "google-forms"
    TYPEFORM = "typeform"
    MICROSOFT_FORMS = "microsoft-forms"
    GENERIC = "generic"


class _Model(BaseModel):
    """Base: unknown keys are errors, assignments are validated."""

    model_config = ConfigDict(
        extra="forbid",
        validate_assignment=True,
        use_enum_values=False,
        str_strip_whitespace=True,
    )

    @field_validator("*", mode="before")
    @classmethod
    def _blank_is_unset(cls, value: Any, info: ValidationInfo) -> Any:
        """An empty answer in an optional field means "not filled in yet" (None)."""
        if isinstance(value, str) and not value.strip() and info.field_name:
            field = cls.model_fields[info.field_name]
            if not field.is_required() and field.default is None:
                return None
        return value


class Brand(_Model):
    primary: HexColour = Field("#1f4e79", description="Main brand colour, used for headings.")
    secondary: HexColour | None = Field(None, description="Second colour for accents.")
    logo: str | None = Field(
        None,
        description="Logo image (PNG, JPEG, GIF, WebP or SVG, at most 400 KB), relative to "
        "the workbook and inside its folder.",
    )


class Client(_Model):
    name: Text = Field(min_length=1, description="The client's name as it appears on the report.")
    language: Language = Field(Language.EN, description="Report language: 'he' or 'en'.")
    industry: Text | None = None
    description: Text | None = None
    brand: Brand = Field(default_factory=Brand)


class Persona(_Model):
    id: Slug
    name: Text = Field(min_length=1)
    quote: Text | None = None
    segment: Text | None = None
    description: Text | None = None
    goals: list[Text] = Field(default_factory=list)
    expectations: list[Text] = Field(default_factory=list)
    frustrations: list[Text] = Field(default_factory=list)
    motivations: list[Text] = Field(default_factory=list)
    channels: list[Channel] = Field(default_factory=list)


class Touchpoint(_Model):
    id: Slug
    name: Text = Field(min_length=1)
    channel: Channel
    action: Text | None = Field(None, description="What the customer does here.")
    questions: list[Text] = Field(
        default_factory=list, description="What the customer asks or thinks."
    )
    expectation: Text | None = Field(None, description="What the customer expects, in their words.")
    emotion: Emotion | None = Field(None, description="Assumed emotion, -2..+2.")
    emotion_by_persona: dict[Slug, Emotion] = Field(
        default_factory=dict,
        description="Assumed emotion for other personas that share this journey.",
    )
    effort: OneToFive | None = Field(None, description="Customer effort, 1 (easy) .. 5 (hard).")
    moment_of_truth: bool = False
    moment_of_truth_reason: Text | None = None
    pain_points: list[Text] = Field(default_factory=list)
    owner: Text | None = Field(None, description="Department or role responsible backstage.")
    backstage: list[Text] = Field(
        default_factory=list, description="Processes and systems behind the touchpoint."
    )
    documents: list[Text] = Field(
        default_factory=list, description="Documents or forms the customer must provide."
    )
    value: Value | None = Field(None, description="Value stream: adds, needed or waste.")


class Stage(_Model):
    id: Slug
    name: Text = Field(min_length=1)
    description: Text | None = None
    touchpoints: list[Touchpoint] = Field(default_factory=list)


class Opportunity(_Model):
    id: Slug
    title: Text = Field(min_length=1)
    description: Text | None = None
    touchpoints: list[Slug] = Field(
        default_factory=list, description="Ids of the touchpoints this opportunity addresses."
    )
    impact: OneToFive = Field(description="Value for customer and organisation, 1..5.")
    effort: OneToFive = Field(description="Cost to implement, 1 (cheap) .. 5 (expensive).")
    owner: Text | None = None
    status: OpportunityStatus = OpportunityStatus.IDEA


class Journey(_Model):
    id: Slug
    title: Text = Field(min_length=1)
    persona: Slug = Field(description="Id of the persona whose journey this is.")
    scope: Scope = Scope.TASK
    state: State = State.CURRENT
    redesigns: Slug | None = Field(
        None,
        description="For a future-state journey: id of the current-state journey it redesigns.",
    )
    description: Text | None = None
    stages: list[Stage] = Field(default_factory=list)
    opportunities: list[Opportunity] = Field(default_factory=list)

    def touchpoints(self) -> Iterator[tuple[Stage, Touchpoint]]:
        for stage in self.stages:
            for tp in stage.touchpoints:
                yield stage, tp


class Scale(_Model):
    """A rating scale: its range, its direction and the labels tools write."""

    min: int
    max: int
    higher_is_better: bool = True
    labels: dict[str, int] = Field(
        default_factory=dict, description="Answer text -> number, e.g. 'Very satisfied': 5."
    )


class SurveyColumns(_Model):
    """Which column of the export plays which role (a column id or its question text).

    Its fields are the roles a survey column can play (``cxkit.surveys.roles.ROLES``).
    """

    nps: str | None = None
    csat: str | None = None
    ces: str | None = None
    stage: str | None = None
    touchpoint: str | None = None
    persona: str | None = None
    segment: str | None = None
    date: str | None = None
    comment: str | None = None
    id: str | None = None
    weight: str | None = None


class SurveySource(_Model):
    id: Slug
    file: str = Field(
        min_length=1,
        description="Path of the export, relative to the workbook and inside its folder "
        "(`cxkit --allow-folder DIR` allows another folder).",
    )
    format: SurveyFormat = SurveyFormat.AUTO
    journey: Slug | None = Field(None, description="Journey the responses belong to.")
    sheet: str | None = Field(None, description="Sheet name, for Excel files.")
    encoding: str | None = Field(None, description="Force an encoding instead of detecting it.")
    columns: SurveyColumns = Field(default_factory=SurveyColumns)
    csat_scale: Scale | None = None
    ces_scale: Scale | None = None
    value_labels: dict[str, dict[str, int]] = Field(
        default_factory=dict, description="Per column id: answer text -> number."
    )
    stage_map: dict[str, Slug] = Field(
        default_factory=dict, description="Survey answer -> stage id."
    )
    touchpoint_map: dict[str, Slug] = Field(
        default_factory=dict, description="Survey answer -> touchpoint id."
    )


class Course(_Model):
    """Set on course exercises: which exercise this workbook answers, and whose it is."""

    exercise: int = Field(
        ge=1, le=99, description="Exercise number, as in `cxkit check --exercise`."
    )
    student: Text | None = Field(None, description="The student's name, for the class overview.")


class Workbook(_Model):
    """A client's CX workbook: one YAML file (or the Excel template)."""

    model_config = ConfigDict(title="cxkit workbook")

    cxkit: Literal[1] = Field(description="File format version.")
    client: Client
    personas: list[Persona] = Field(default_factory=list)
    journeys: list[Journey] = Field(default_factory=list)
    surveys: list[SurveySource] = Field(default_factory=list)
    course: Course | None = Field(None, description="Only for course exercises.")

    def persona(self, persona_id: str) -> Persona:
        for p in self.personas:
            if p.id == persona_id:
                return p
        raise KeyError(persona_id)

    def journey(self, journey_id: str) -> Journey:
        for j in self.journeys:
            if j.id == journey_id:
                return j
        raise KeyError(journey_id)


# --------------------------------------------------------------------------- references

Loc = tuple[str | int, ...]


@dataclass(frozen=True)
class RefIssue:
    """A cross-reference or uniqueness problem, located by its path in the workbook."""

    loc: Loc
    words: Words  # the message as a template and its values (cxkit.i18n.messages)
    reason: Reason
    target: str | None = None  # the id named: the broken reference, or the duplicated id
    suggestion: str | None = None  # the valid id offered as "did you mean"

    @property
    def message(self) -> str:
        return word(self.words)


def _hint(suggestion: str | None) -> Words | None:
    return Words.of("did-you-mean", suggestion=suggestion) if suggestion else None


def _duplicates(items: list[tuple[Loc, str]], what: str) -> Iterator[RefIssue]:
    seen: dict[str, Loc] = {}
    for loc, ident in items:
        if ident in seen:
            words = Words.of(
                "duplicate-id", what=Term(what), id=ident, first=format_loc(seen[ident])
            )
            yield RefIssue(loc, words, Reason.DUPLICATE_ID, target=ident)
        else:
            seen[ident] = loc


def _missing(loc: Loc, what: str, ident: str, journey: str | None, valid: list[str]) -> RefIssue:
    best = did_you_mean(ident, valid)
    key = "not-found" if journey is None else "not-found-in"
    words = Words.of(key, what=Term(what), id=ident, journey=journey, hint=_hint(best))
    return RefIssue(loc, words, Reason.BAD_REFERENCE, target=ident, suggestion=best)


def check_references(wb: Workbook) -> list[RefIssue]:
    """Every broken reference and duplicate id in ``wb``, in file order."""
    issues: list[RefIssue] = []
    persona_ids = [p.id for p in wb.personas]
    journey_ids = [j.id for j in wb.journeys]
    issues += _duplicates(
        [(("personas", i, "id"), p.id) for i, p in enumerate(wb.personas)], "persona"
    )
    issues += _duplicates(
        [(("journeys", i, "id"), j.id) for i, j in enumerate(wb.journeys)], "journey"
    )
    issues += _duplicates(
        [(("surveys", i, "id"), s.id) for i, s in enumerate(wb.surveys)], "survey"
    )

    for ji, journey in enumerate(wb.journeys):
        jloc: Loc = ("journeys", ji)
        if journey.persona not in persona_ids:
            issues.append(
                _missing((*jloc, "persona"), "persona", journey.persona, None, persona_ids)
            )
        if journey.redesigns is not None:
            if journey.state is not State.FUTURE:
                issues.append(
                    RefIssue((*jloc, "redesigns"), Words("redesigns-current"), Reason.BAD_VALUE)
                )
            others = [j for j in journey_ids if j != journey.id]
            if journey.redesigns not in others:
                issues.append(
                    _missing((*jloc, "redesigns"), "journey", journey.redesigns, None, others)
                )
        stage_locs = [((*jloc, "stages", si, "id"), s.id) for si, s in enumerate(journey.stages)]
        issues += _duplicates(stage_locs, "stage")
        tp_locs: list[tuple[Loc, str]] = []
        for si, stage in enumerate(journey.stages):
            for ti, tp in enumerate(stage.touchpoints):
                tloc: Loc = (*jloc, "stages", si, "touchpoints", ti)
                tp_locs.append(((*tloc, "id"), tp.id))
                for pid in tp.emotion_by_persona:
                    if pid not in persona_ids:
                        issues.append(
                            _missing(
                                (*tloc, "emotion_by_persona", pid),
                                "persona",
                                pid,
                                None,
                                persona_ids,
                            )
                        )
        issues += _duplicates(tp_locs, "touchpoint")
        tp_ids = [ident for _, ident in tp_locs]
        opp_locs = [
            ((*jloc, "opportunities", oi, "id"), o.id) for oi, o in enumerate(journey.opportunities)
        ]
        issues += _duplicates(opp_locs, "opportunity")
        for oi, opp in enumerate(journey.opportunities):
            for ri, ref in enumerate(opp.touchpoints):
                if ref not in tp_ids:
                    issues.append(
                        _missing(
                            (*jloc, "opportunities", oi, "touchpoints", ri),
                            "touchpoint",
                            ref,
                            journey.id,
                            tp_ids,
                        )
                    )

    for si, survey in enumerate(wb.surveys):
        sloc: Loc = ("surveys", si)
        target: Journey | None = None
        if survey.journey is not None:
            if survey.journey in journey_ids:
                target = wb.journey(survey.journey)
            else:
                issues.append(
                    _missing((*sloc, "journey"), "journey", survey.journey, None, journey_ids)
                )
        elif len(wb.journeys) == 1:
            target = wb.journeys[0]
        if (survey.stage_map or survey.touchpoint_map) and target is None:
            if survey.journey is None:
                issues.append(
                    RefIssue((*sloc, "journey"), Words("survey-needs-journey"), Reason.MISSING)
                )
            continue
        if target is None:
            continue
        stage_ids = [s.id for s in target.stages]
        for answer, ref in survey.stage_map.items():
            if ref not in stage_ids:
                issues.append(
                    _missing((*sloc, "stage_map", answer), "stage", ref, target.id, stage_ids)
                )
        tp_ids = [tp.id for _, tp in target.touchpoints()]
        for answer, ref in survey.touchpoint_map.items():
            if ref not in tp_ids:
                issues.append(
                    _missing(
                        (*sloc, "touchpoint_map", answer), "touchpoint", ref, target.id, tp_ids
                    )
                )
    return issues
