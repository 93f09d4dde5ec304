"""Which column is which: suggested roles from question text and values, journey links.

Helpers for :mod:`cxkit.surveys.responses`; :func:`suggest_roles` is public (re-exported there).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from cxkit.errors import Term, Words, did_you_mean
from cxkit.i18n.messages import word
from cxkit.surveys._fast import pooled
from cxkit.surveys._fast.distinct import distinct
from cxkit.surveys.answers import (
    DEFAULT_CES,
    DEFAULT_CSAT,
    NPS_SCALE,
    builtin_labels,
    normalise_label,
    parse_answers,
)
from cxkit.surveys.dates import _small_int, parse_dates
from cxkit.surveys.dates import periods as periods  # re-exported (responses)
from cxkit.surveys.fit import check_fit, describe, fits
from cxkit.surveys.formats import RawSurvey, clean_text
from cxkit.workbook.model import Journey, Persona, Scale, SurveyColumns, SurveyFormat

GROUP_ROLES = ("stage", "touchpoint", "persona", "segment")
# Every role a survey column can play: the fields of the workbook's ``columns`` mapping.
ROLES: tuple[str, ...] = tuple(SurveyColumns.model_fields)

# Patterns on the cleaned, casefolded "column id + question text"; an earlier pattern
# is a stronger hint. Hebrew verbs come with their prefixes, hence no \b there.
ROLE_PATTERNS: dict[str, list[str]] = {
    "nps": [
        r"\bnps\b",
        r"recommend",
        # Hebrew, any person and gender: ממליץ/ה, תמליץ/י, להמליץ, ימליצו, המלצה
        r"מליצ|מליץ|המלצ",
        r"recomend|recomiend",  # Spanish: recomendaría, recomiende
        r"recommand",  # French: recommanderiez-vous
        r"рекоменд",  # Russian: порекомендуете, рекомендовать
        r"توص|تنصح|ينصح|ترشح|ترشيح",  # Arabic: توصي, توصية, تنصح, ترشح
        r"likely.*\b(friend|colleague)",
    ],
    "csat": [
        r"\bcsat\b",
        r"satisf",
        r"מרוצ",
        r"שביעות רצון",
        r"удовлетвор",
        r"رضا|راض",
    ],
    "ces": [
        r"\bces\b",
        r"effort",
        r"מאמץ",
        r"\beas(y|ily|ier)\b",
        r"hassle",
        r"בקלות|קלות|\bקל\b",
        r"\bהקל(ה|ו)?\b",  # "X made it easy for me" (הקלה עליי)
        r"esfuerzo|\bfácil",
        r"усили|\bлегко",
        r"جهد|سهل",
    ],
    "id": [
        r"^(responseid|response id|respondent id|respondentid|response_id)\b",
        r"^#$",
        r"^id$",
    ],
    "date": [
        r"recordeddate|recorded date|submit date|timestamp|חותמת זמן",
        r"end ?date|completion time|slutf.randetid",  # Microsoft Forms: English, Swedish
        r"start ?date|start time|starttid",
        r"\bdate\b|תאריך",
    ],
    "stage": [r"\bstage\b", r"שלב", r"\bphase\b", r"\bstep\b"],
    "touchpoint": [r"touch ?point", r"נקודת (ה)?מגע", r"\binteraction\b", r"אינטראקציה"],
    "persona": [r"\bpersonas?\b", r"פרסונה"],
    "segment": [
        r"segment",
        r"פלח",
        r"customer type|סוג (ה)?לקוח",
        r"\bregion\b|אזור",
        r"\bplan\b|מסלול",
        r"מי הייתם|who were you with",
    ],
    "weight": [r"^weights?$", r"משקל"],
    "comment": [
        r"comment|הער(ה|ות)",
        r"open-ended|_text$",
        r"\bwhy\b|למה|מדוע",
        r"improve|do better|לשפר|suggest|הצע",
        r"feedback|משוב|anything else|משהו נוסף|ספר(ו|י)?\b",
    ],
}
# Tool metadata that may only be an id or a date, never a question.
METADATA = {
    "status",
    "ipaddress",
    "progress",
    "duration (in seconds)",
    "finished",
    "responseid",
    "recipientlastname",
    "recipientfirstname",
    "recipientemail",
    "externalreference",
    "locationlatitude",
    "locationlongitude",
    "distributionchannel",
    "userlanguage",
    "startdate",
    "enddate",
    "recordeddate",
    "respondent id",
    "collector id",
    "start date",
    "end date",
    "ip address",
    "email address",
    "first name",
    "last name",
    "custom data 1",
    "#",
    "response type",
    "start date (utc)",
    "stage date (utc)",
    "submit date (utc)",
    "network id",
    "tags",
    "timestamp",
    "חותמת זמן",
    "id",
    "start time",
    "completion time",
    "last modified time",
    "email",
    "name",
    "language",
    "starttid",
    "slutförandetid",
    "e-post",
    "namn",
    "språk",
    "respondentid",
    "collectorid",
    "responseset",
    "externaldatareference",
}


def suggest_roles(
    raw: RawSurvey, scales: Mapping[str, Scale | None] | None = None
) -> dict[str, str]:
    """Suggest a column for each role from question text (several languages) and values.

    Returns ``{role: column id}`` for the roles found, e.g. ``{"nps": "Q3",
    "date": "RecordedDate"}``. A metric column must hold answers on the metric's
    usual scale (see :mod:`cxkit.surveys.fit`); Qualtrics' ``..._NPS_GROUP``
    columns are never NPS. ``scales`` gives CSAT/CES scales other than 1-5 and 1-7.
    """
    return explain_roles(raw, scales)[0]


def explain_roles(
    raw: RawSurvey, scales: Mapping[str, Scale | None] | None = None
) -> tuple[dict[str, str], dict[str, str]]:
    """:func:`suggest_roles` and, per column whose text names a metric its values do
    not fit, why it was not offered ("holds a 4-point labelled scale ...")."""
    texts = {c: clean_text(f"{c} {raw.questions.get(c, '')}").casefold() for c in raw.columns}
    taken: set[str] = set()
    found: dict[str, str] = {}
    passed: dict[str, str] = {}
    for role in ROLES:
        best: tuple[int, int, str] | None = None
        for pos, col in enumerate(raw.columns):
            if col in taken or not _eligible(role, col, raw):
                continue
            target = col.casefold().strip() if role in {"id", "weight"} else texts[col]
            for rank, pattern in enumerate(ROLE_PATTERNS[role]):
                if re.search(pattern, target) and (best is None or (rank, pos) < best[:2]):
                    why = _values_fit(role, raw.df[col], (scales or {}).get(role))
                    if why is None:
                        best = (rank, pos, col)
                    elif role in METRIC_SCALES:
                        passed.setdefault(col, f"not offered as {role.upper()}: {why}")
                    break
        if best is not None:
            found[role] = best[2]
            taken.add(best[2])
    return found, {c: w for c, w in passed.items() if c not in found.values()}


METRIC_SCALES = {"nps": NPS_SCALE, "csat": DEFAULT_CSAT, "ces": DEFAULT_CES}


def _eligible(role: str, col: str, raw: RawSurvey) -> bool:
    name = col.casefold().strip()
    if name.endswith("_nps_group"):
        return False
    if name in METADATA or clean_text(raw.questions.get(col, "")).casefold() in METADATA:
        return role in {"id", "date"}
    return True


def _values_fit(role: str, values: pd.Series, given: Scale | None = None) -> str | None:
    """None if the column's values fit ``role``, else why not (for a metric, in words)."""
    sample = values.dropna().head(2000).reset_index(drop=True)
    if sample.empty:
        return "no answers" if role in METRIC_SCALES else None
    if role in METRIC_SCALES:
        scale = given or METRIC_SCALES[role]
        parsed = parse_answers(sample, scale, builtin_labels(role, scale))
        if not fits(role, sample, parsed, scale):
            refusal = check_fit(role, str(values.name), sample, parsed, scale)
            looks = refusal.looks_like if refusal else describe(sample)
            return f"its answers are {looks}, not the {scale.min}-{scale.max} scale"
        # An NPS column reaches past 5 (a 1-5 rating is no 0-10 NPS).
        if role == "nps" and not np.nanmax(parsed.values, initial=-1) > 5:
            return f"its answers are {describe(sample)}, which never pass 5"
        return None
    if role == "date":
        return None if parse_dates(sample)[1] <= len(sample) // 5 else "not dates"
    if role == "comment":
        return None if not pd.api.types.is_numeric_dtype(sample.dtype) else "numbers"
    return None


# --------------------------------------------------------------------------- linking


@dataclass(frozen=True)
class Unmatched:
    """A survey answer that names no stage/touchpoint/persona of the workbook."""

    source: str
    role: str
    column: str
    value: str
    count: int
    suggestion: str | None

    @property
    def words(self) -> Words:
        """What is said about it, as a template and its values (``cxkit.i18n.messages``)."""
        hint = Words.of("did-you-mean", suggestion=self.suggestion) if self.suggestion else None
        mapped = self.role in {"stage", "touchpoint"}
        fix = Words.of("map-it", map=f"{self.role}_map", value=self.value, role=Term(self.role))
        many = "responses.one" if self.count == 1 else "responses.many"
        return Words.of(
            "unmatched",
            role=Term(self.role),
            value=self.value,
            responses=Words.of(many, n=self.count),
            hint=hint,
            fix=fix if mapped else None,
        )

    def __str__(self) -> str:
        return word(self.words)


def link_values(
    values: pd.Series,
    lookup: dict[str, str],
    names: Iterable[str],
    *,
    source: str,
    role: str,
    column: str,
) -> tuple[pd.Categorical[str], list[Unmatched]]:
    """Map answers to ids through ``lookup`` (normalised text -> id).

    Returns a categorical of ids (missing where blank or unmatched) and the
    unmatched answers with counts and the closest known name.
    """
    found = distinct(values)
    names = list(names)
    ids: list[str | None] = []
    unmatched: list[Unmatched] = []
    for i, u in enumerate(found.values):
        key = normalise_label(u)
        hit = lookup.get(key) if key else None
        ids.append(hit)
        if hit is None and key:
            unmatched.append(
                Unmatched(
                    source, role, column, str(u), int(found.counts[i]), did_you_mean(str(u), names)
                )
            )
    used = {i for i in ids if i is not None}
    order = list(dict.fromkeys(lookup.values()))  # workbook order: stages as the journey runs
    cats = [c for c in order if c in used]
    index = {c: k for k, c in enumerate(cats)}
    table = np.array([index[i] if i is not None else -1 for i in ids], dtype=_small_int(len(cats)))
    codes = found.spread(table, missing=-1)
    return pd.Categorical.from_codes(codes, categories=pd.Index(cats)), unmatched


def lookup_table(items: Iterable[tuple[str, str]], mapping: dict[str, str]) -> dict[str, str]:
    """Normalised id, name and "id with spaces" -> id, plus the workbook's own mapping."""
    out: dict[str, str] = {}
    for ident, name in items:
        for key in (ident, ident.replace("-", " "), name):
            out.setdefault(normalise_label(key), ident)
    for answer, ident in mapping.items():
        out[normalise_label(answer)] = ident
    return out


def status_filters(
    raw: RawSurvey,
    id_column: str | None,
    keep_previews: bool,
    keep_partial: bool,
    drop_duplicates: bool,
) -> tuple[np.ndarray, dict[str, int]]:
    """Which rows to keep (previews, tests, spam, partial, duplicate ids) and why not."""
    df = raw.df
    keep = pooled.full(len(df), True, bool)
    counts: dict[str, int] = {}

    def drop(mask: np.ndarray, reason: str) -> None:
        mask = mask & keep
        if mask.any():
            counts[reason] = counts.get(reason, 0) + int(mask.sum())
            keep[mask] = False

    cols = {c.casefold(): c for c in raw.columns}
    qualtrics = raw.format is SurveyFormat.QUALTRICS
    if qualtrics and "status" in cols and not keep_previews:
        status = _codes(df[cols["status"]])
        for reason, codes, word in STATUS_EXCLUDED:
            drop((status.isin(codes) | status.str.contains(word, regex=False)).to_numpy(), reason)
    if not keep_partial:
        if qualtrics and "finished" in cols:
            drop(_codes(df[cols["finished"]]).isin(["false", "0"]).to_numpy(), "partial")
        if raw.format is SurveyFormat.TYPEFORM:
            if "response type" in cols:
                kind = df[cols["response type"]].astype("str").str.strip().str.casefold()
                drop((kind == "partial").to_numpy(), "partial")
            elif "submit date (utc)" in cols:
                drop(df[cols["submit date (utc)"]].isna().to_numpy(), "partial")
    if drop_duplicates and id_column is not None and not _increasing(df[id_column]):
        kept = df[id_column][keep]  # a preview that shares an id must not hide the real one
        dup = np.zeros(len(df), dtype=bool)
        dup[np.flatnonzero(keep)] = (kept.duplicated(keep="first") & kept.notna()).to_numpy()
        drop(dup, "duplicate-id")
    return keep, counts


# Qualtrics' Status column: text in choice-text exports, codes in numeric ones
# (0 normal, 1 preview, 2 test, 4 imported, 8 spam, 9 preview spam, 12 imported spam,
# 16 offline, 17 offline preview). Offline responses are real ones and are kept.
STATUS_EXCLUDED = (
    ("preview", ["survey preview", "1", "9", "17"], "preview"),
    ("test", ["survey test", "2"], "test"),
    ("spam", ["8", "12"], "spam"),
    ("imported", ["4"], "imported"),
)


def _codes(values: pd.Series) -> pd.Series:
    """Casefolded text of a status-like column; ``1.0`` (a float column) reads as ``1``."""
    text = values.astype("str").str.strip().str.casefold()
    return text.str.replace(r"^(\d+)\.0$", r"\1", regex=True).fillna("")


def _increasing(ids: pd.Series) -> bool:
    """True for numeric ids in strictly increasing order (so none repeats): one cheap pass."""
    if not pd.api.types.is_numeric_dtype(ids.dtype) or pd.api.types.is_bool_dtype(ids.dtype):
        return False
    a = ids.to_numpy()
    return bool(len(a) < 2 or (a[1:] > a[:-1]).all())


# --------------------------------------------------------------------------- roles -> frame


def link_roles(
    df: pd.DataFrame,
    cols: dict[str, str],
    data: dict[str, object],
    journeys: Sequence[Journey],
    personas: Sequence[Persona],
    stage_map: Mapping[str, str],
    touchpoint_map: Mapping[str, str],
    source: str,
    unmatched: list[Unmatched],
) -> None:
    stages = [(s.id, s.name) for j in journeys for s in j.stages]
    tps = [(t.id, t.name) for j in journeys for _, t in j.touchpoints()]
    stage_of = {t.id: s.id for j in journeys for s, t in j.touchpoints()}
    known = {
        "stage": (stages, dict(stage_map)),
        "touchpoint": (tps, dict(touchpoint_map)),
        "persona": ([(p.id, p.name) for p in personas], {}),
    }
    for role in GROUP_ROLES:
        if role not in cols:
            data[role] = none_of(len(df))
            continue
        values = df[cols[role]].reset_index(drop=True)
        items, mapping = known.get(role, ([], {}))
        if not items:  # nothing to link to: keep the answers as written
            data[role] = clean_values(values)
            continue
        names = [n for pair in items for n in pair] + list(mapping)
        linked, missing = link_values(
            values, lookup_table(items, mapping), names, source=source, role=role, column=cols[role]
        )
        data[role] = linked
        unmatched += missing
    if "touchpoint" in cols and stage_of:
        # A touchpoint answer places the response in its stage when no stage was given.
        tp = pd.Series(data["touchpoint"])
        implied = tp.map(stage_of).astype("object")
        given = pd.Series(data["stage"]).astype("object") if "stage" in cols else None
        merged = implied if given is None else given.where(given.notna(), implied)
        data["stage"] = pd.Categorical(merged)


def constant(value: str, n: int) -> pd.Categorical[str]:
    return pd.Categorical.from_codes(pooled.full(n, 0, "int8"), categories=pd.Index([value]))


def none_of(n: int) -> pd.Categorical[str]:
    """A role nobody answered: all missing, one byte a row (not a column of float NaN)."""
    return pd.Categorical.from_codes(
        pooled.full(n, -1, "int8"), categories=pd.Index([], dtype="str")
    )


def clean_values(values: pd.Series) -> pd.Categorical[str]:
    """Answers as categories, whitespace collapsed (each distinct answer cleaned once)."""
    found = distinct(values)
    cleaned = [" ".join(str(u).split()) for u in found.values]
    merged, labels = pd.factorize(pd.Series(cleaned, dtype="object"), sort=True)  # "a "="a"
    cats = [str(label) for label in labels]
    table = np.asarray(merged, dtype=_small_int(len(cats)))
    if "" in cats:  # a blank answer is no answer
        table[table == cats.index("")] = -1
    return pd.Categorical.from_codes(found.spread(table, missing=-1), categories=pd.Index(cats))
