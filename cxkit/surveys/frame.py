"""Tidy responses and what happened to each source on the way in (the importer's output).

:class:`Responses` is what :mod:`cxkit.surveys.responses` builds and
:mod:`cxkit.scoring` scores; :func:`combine` pools several of them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from cxkit.errors import Problem, Reason, SurveyError, Words
from cxkit.i18n.messages import word
from cxkit.surveys.answers import DEFAULT_CES, DEFAULT_CSAT, NPS_SCALE
from cxkit.surveys.fit import Refusal
from cxkit.surveys.roles import Unmatched
from cxkit.workbook.model import Scale, SurveyFormat

METRICS = ("nps", "csat", "ces")
FRAME_COLUMNS = (
    "source",
    "row",
    "id",
    "journey",
    "nps",
    "csat",
    "ces",
    "stage",
    "touchpoint",
    "persona",
    "segment",
    "date",
    "month",
    "quarter",
    "comment",
    "weight",
)


@dataclass(frozen=True)
class ImportPolicy:
    """Which rows count. Defaults follow what a CX analyst expects; all are reported."""

    keep_previews: bool = False  # Qualtrics "Survey Preview", "Survey Test", spam
    keep_partial: bool = False  # unfinished Qualtrics responses, partial Typeform ones
    drop_duplicates: bool = True  # same response id twice: keep the first


@dataclass
class SourceSummary:
    """What happened to one survey file on the way in."""

    id: str
    file: str
    format: SurveyFormat
    encoding: str
    rows: int  # data rows in the file
    kept: int  # rows that became responses
    mapping: dict[str, str]  # role -> column id
    suggested: bool  # mapping suggested from question text, not given
    excluded_rows: dict[str, int] = field(default_factory=dict)  # reason -> rows
    excluded: dict[str, dict[str, int]] = field(default_factory=dict)  # role -> reason -> n
    notes: list[str] = field(default_factory=list)
    refused: dict[str, Refusal] = field(default_factory=dict)  # metric -> why not scored
    layout: str = ""  # the tool's layout ("qualtrics-legacy", ...)
    layout_reason: str = ""
    header_rows: int = 1
    encoding_alternatives: list[str] = field(default_factory=list)


@dataclass
class Responses:
    """Tidy survey responses, ready to score.

    ``frame`` has the columns of :data:`FRAME_COLUMNS` (``nps``/``csat``/``ces``
    as floats, NaN where not answered or rejected; ``stage``/``touchpoint``/
    ``persona`` as workbook ids; ``month``/``quarter`` as ordered labels like
    ``2024-03``/``2024-Q1``; ``row`` the row in the source file) plus any extra
    columns asked for. ``scales`` holds the scale each metric was read on.
    """

    frame: pd.DataFrame
    sources: list[SourceSummary]
    scales: dict[str, Scale]
    unmatched: list[Unmatched] = field(default_factory=list)
    issues: list[Problem] = field(default_factory=list)
    # metric -> per row, True where an answer was given but not counted (absent: none)
    rejected: dict[str, np.ndarray] = field(default_factory=dict)

    @property
    def rows(self) -> int:
        return len(self.frame)

    @property
    def excluded(self) -> dict[str, dict[str, int]]:
        """Counts by role then reason over all sources; ``rows`` holds whole-row exclusions."""
        out: dict[str, dict[str, int]] = {}
        for s in self.sources:
            parts = {"rows": s.excluded_rows, **s.excluded}
            for role, counts in parts.items():
                bucket = out.setdefault(role, {})
                for reason, n in counts.items():
                    bucket[reason] = bucket.get(reason, 0) + n
        return {k: v for k, v in out.items() if v}

    def mapped(self, role: str) -> bool:
        """True if any source mapped a column to ``role`` (and, for a metric, scored it)."""
        return any(role in s.mapping and role not in s.refused for s in self.sources)

    @property
    def refusals(self) -> list[Refusal]:
        """Every metric column not scored because its answers are not on the scale."""
        return [r for s in self.sources for r in s.refused.values()]


def combine(parts: Sequence[Responses], *, file: str = "") -> Responses:
    """Pool several :class:`Responses` (same scales) into one."""
    if not parts:
        return Responses(
            frame=pd.DataFrame({c: [] for c in FRAME_COLUMNS}),
            sources=[],
            scales={"nps": NPS_SCALE, "csat": DEFAULT_CSAT, "ces": DEFAULT_CES},
        )
    scales = dict(parts[0].scales)
    problems = []
    for part in parts[1:]:
        for metric in ("csat", "ces"):
            a, b = scales[metric], part.scales[metric]
            if (
                part.mapped(metric)
                and parts[0].mapped(metric)
                and (a.min, a.max, a.higher_is_better) != (b.min, b.max, b.higher_is_better)
            ):
                words = Words.of(
                    "scales-differ",
                    name=metric.upper(),
                    a=f"{a.min}-{a.max}",
                    first=parts[0].sources[0].id,
                    b=f"{b.min}-{b.max}",
                    second=part.sources[0].id,
                )
                problems.append(
                    Problem(file, word(words), Reason.BAD_VALUE, where="surveys", words=words)
                )
            elif part.mapped(metric) and not parts[0].mapped(metric):
                scales[metric] = b
    if problems:
        raise SurveyError(problems)
    frame = pd.concat([p.frame for p in parts], ignore_index=True)
    rejected = {
        m: np.concatenate([p.rejected.get(m, np.zeros(p.rows, dtype=bool)) for p in parts])
        for m in METRICS
        if any(m in p.rejected for p in parts)
    }
    for col in ("source", "journey", "stage", "touchpoint", "persona", "segment"):
        cats: list[object] = []
        for p in parts:  # keep each part's category order (the journey's stage order)
            s = p.frame[col]
            seen = s.cat.categories if isinstance(s.dtype, pd.CategoricalDtype) else s.dropna()
            cats += [c for c in dict.fromkeys(seen) if c not in cats]
        frame[col] = pd.Categorical(frame[col], categories=cats)
    for col in ("month", "quarter"):
        labels = sorted(frame[col].dropna().unique())
        frame[col] = pd.Categorical(frame[col], categories=labels, ordered=True)
    return Responses(
        frame=frame,
        sources=[s for p in parts for s in p.sources],
        scales=scales,
        unmatched=[u for p in parts for u in p.unmatched],
        issues=[i for p in parts for i in p.issues],
        rejected=rejected,
    )
