"""Survey exports -> tidy responses: one row per response, one column per role.

Read a file as its tool wrote it (:func:`read_survey`), see which column is which
(:func:`suggest_roles`), then turn it into :class:`Responses`: numbers for NPS,
CSAT and CES, journey ids for stage and touchpoint, dates with their month and
quarter. Nothing is dropped silently: every rejected answer and row is counted
by reason, and answers that name no stage of the journey are listed with the
closest name.

>>> from cxkit.surveys.responses import read_survey, suggest_roles, responses_from_raw
>>> raw = read_survey("tests/fixtures/surveys/generic.csv")
>>> sorted(suggest_roles(raw))[:3]
['ces', 'comment', 'csat']
>>> responses = responses_from_raw(raw, suggest_roles(raw))
>>> responses.frame["nps"].notna().sum() > 0
np.True_
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from cxkit._limits import regular_file_size, resolve_inside
from cxkit.errors import LimitExceeded, Problem, Reason, SurveyError, Words
from cxkit.i18n.messages import word
from cxkit.surveys._fast import pooled
from cxkit.surveys.answers import (
    BLANK,
    DEFAULT_CES,
    DEFAULT_CSAT,
    NPS_SCALE,
    REASONS,
    normalise_label,
)
from cxkit.surveys.columns import (
    answer_issues,
    comments,
    default_id,
    has,
    parse_metric,
    resolve_all,
    shared,
    weights,
)
from cxkit.surveys.fit import check_fit
from cxkit.surveys.formats import RawSurvey, read_survey
from cxkit.surveys.frame import (
    FRAME_COLUMNS,
    METRICS,
    ImportPolicy,
    Responses,
    SourceSummary,
    combine,
)
from cxkit.surveys.roles import (
    GROUP_ROLES,
    ROLES,
    Unmatched,
    constant,
    link_roles,
    none_of,
    parse_dates,
    periods,
    status_filters,
    suggest_roles,
)
from cxkit.workbook.model import Journey, Persona, Scale, SurveySource, Workbook

__all__ = [
    "FRAME_COLUMNS",
    "GROUP_ROLES",
    "METRICS",
    "ImportPolicy",
    "RawSurvey",
    "Responses",
    "SourceSummary",
    "Unmatched",
    "combine",
    "count_responses",
    "load_all_responses",
    "load_responses",
    "read_survey",
    "responses_from_raw",
    "suggest_roles",
    "survey_problems",
]


def responses_from_raw(
    raw: RawSurvey,
    mapping: Mapping[str, str],
    *,
    source_id: str = "survey",
    csat_scale: Scale | None = None,
    ces_scale: Scale | None = None,
    value_labels: Mapping[str, Mapping[str, int]] | None = None,
    journeys: Sequence[Journey] = (),
    personas: Sequence[Persona] = (),
    stage_map: Mapping[str, str] | None = None,
    touchpoint_map: Mapping[str, str] | None = None,
    keep: Sequence[str] = (),
    policy: ImportPolicy | None = None,
    suggested: bool = False,
) -> Responses:
    """Turn a read export into :class:`Responses`.

    ``mapping`` is role -> column (a column id or its question text), roles from
    :class:`cxkit.workbook.model.SurveyColumns`. ``journeys`` (usually the one the survey
    measures) lets stage and touchpoint answers be linked by id, by name or through
    ``stage_map``/``touchpoint_map``; without journeys those columns keep the
    answers as written. ``keep`` carries extra columns into the frame under their
    column ids (for grouping by any column). Raises :class:`SurveyError` if a
    mapped column is not in the file.
    """
    policy = policy or ImportPolicy()
    for name, given in (("csat_scale", csat_scale), ("ces_scale", ces_scale)):
        if given is not None and given.min >= given.max:
            words = Words.of("scale-backwards", name=name, min=given.min, max=given.max)
            raise SurveyError(
                [Problem(str(raw.path), word(words), Reason.BAD_VALUE, where=name, words=words)]
            )
    cols = resolve_all(raw, mapping)
    extra = [raw.resolve(k) for k in keep]
    df = raw.df
    id_col = cols.get("id") or default_id(raw)
    keep_mask, excluded_rows = status_filters(
        raw, id_col, policy.keep_previews, policy.keep_partial, policy.drop_duplicates
    )
    if not keep_mask.all():
        df = df.loc[keep_mask].reset_index(drop=True)
    row_numbers = (
        raw.row_numbers
        if raw.row_numbers is not None
        else np.arange(raw.rows, dtype="int64") + raw.first_data_row
    )
    rows_kept = pooled.copy(row_numbers) if len(df) == raw.rows else row_numbers[keep_mask]
    scales = {"nps": NPS_SCALE, "csat": csat_scale or DEFAULT_CSAT, "ces": ces_scale or DEFAULT_CES}
    summary = SourceSummary(
        id=source_id,
        file=str(raw.path),
        format=raw.format,
        encoding=raw.encoding,
        rows=raw.rows,
        kept=len(df),
        mapping=cols,
        suggested=suggested,
        excluded_rows=excluded_rows,
        notes=list(raw.notes),
        layout=raw.layout,
        layout_reason=raw.layout_reason,
        header_rows=raw.header_rows,
        encoding_alternatives=list(raw.encoding_alternatives),
    )
    issues: list[Problem] = []
    data: dict[str, object] = {
        "source": constant(source_id, len(df)),
        "row": rows_kept,
        "id": df[id_col] if id_col else np.nan,
        "journey": constant(journeys[0].id, len(df)) if len(journeys) == 1 else none_of(len(df)),
    }
    rejected: dict[str, np.ndarray] = {}
    labels_by_col = {raw.resolve(c): v for c, v in (value_labels or {}).items() if has(raw, c)}
    for metric in METRICS:
        if metric not in cols:
            data[metric] = np.full(len(df), np.nan)
            continue
        col = cols[metric]
        parsed = parse_metric(
            raw, df[col], metric, scales[metric], labels_by_col.get(col, {}), summary
        )
        mapped_labels = {
            normalise_label(k) for k in (*scales[metric].labels, *labels_by_col.get(col, {}))
        }
        refusal = check_fit(metric, col, df[col], parsed, scales[metric], mapped_labels)
        if refusal is not None:
            summary.refused[metric] = refusal
            data[metric] = pooled.full(len(df), np.nan)
            continue
        data[metric] = shared(parsed.values, df[col])
        summary.excluded[metric] = {str(k): v for k, v in parsed.counts().items()}
        not_counted = (parsed.codes >= 0) & (parsed.codes != REASONS.index(BLANK))
        if not_counted.any():
            rejected[metric] = not_counted
        issues += answer_issues(raw, col, metric, scales[metric], parsed, df[col], rows_kept)
    unmatched: list[Unmatched] = []
    link_roles(
        df,
        cols,
        data,
        journeys,
        personas,
        stage_map or {},
        touchpoint_map or {},
        source_id,
        unmatched,
    )
    if "date" in cols:
        dates, bad = parse_dates(df[cols["date"]].reset_index(drop=True))
        data["date"] = dates
        data["month"], data["quarter"] = periods(dates)
        blanks = int(df[cols["date"]].isna().sum())
        summary.excluded["date"] = {k: v for k, v in (("blank", blanks), ("unparseable", bad)) if v}
    else:
        data["date"] = pd.NaT
        data["month"] = data["quarter"] = np.nan
    data["comment"] = comments(df[cols["comment"]]) if "comment" in cols else none_of(len(df))
    data["weight"] = (
        weights(df[cols["weight"]], summary) if "weight" in cols else pooled.full(len(df), np.nan)
    )
    for c in extra:
        data[c] = df[c]
    # copy=False: each column stays its own block (no stacking of a million-row copy).
    # Columns taken over from the export are passed as Series, so pandas' copy-on-write
    # copies one only if somebody edits the frame; everything else is the frame's own.
    frame = pd.DataFrame(data, index=pd.RangeIndex(len(df)), copy=False)
    for u in unmatched:
        issues.append(
            Problem(
                str(raw.path),
                str(u),
                Reason.BAD_REFERENCE,
                where=f"column '{u.column}'",
                words=u.words,
                at=Words.of("at-column", column=u.column),
            )
        )
    summary.excluded = {k: v for k, v in summary.excluded.items() if v}
    return Responses(
        frame=frame,
        sources=[summary],
        scales=scales,
        unmatched=unmatched,
        issues=issues,
        rejected=rejected,
    )


def count_responses(
    raw: RawSurvey, policy: ImportPolicy | None = None
) -> tuple[int, dict[str, int]]:
    """Rows that are responses (the file's own previews, tests, partial and duplicate
    rows left out, as :func:`responses_from_raw` does), and the rows left out by reason."""
    policy = policy or ImportPolicy()
    keep, excluded = status_filters(
        raw, default_id(raw), policy.keep_previews, policy.keep_partial, policy.drop_duplicates
    )
    return int(keep.sum()), excluded


# --------------------------------------------------------------------------- workbook


def _journeys_for(workbook: Workbook, source: SurveySource) -> list[Journey]:
    if source.journey is not None:
        return [j for j in workbook.journeys if j.id == source.journey]
    if len(workbook.journeys) == 1:
        return list(workbook.journeys)
    return list(workbook.journeys)  # unknown: link against every journey's stages


def load_responses(
    workbook: Workbook,
    workbook_path: str | Path,
    source: SurveySource,
    *,
    policy: ImportPolicy | None = None,
    keep: Sequence[str] = (),
) -> Responses:
    """Read one of the workbook's surveys and link it to its journey.

    The export is read relative to the workbook's folder. Columns come from the
    source's ``columns``; when it maps none, they are suggested from question text
    (:func:`suggest_roles`) and the summary says so. Raises :class:`SurveyError`
    (naming the workbook entry) if the file is missing or a mapped column is not in
    it, or if no NPS, CSAT or CES column can be found.
    """
    wb_path = Path(workbook_path)
    folder = wb_path.parent if wb_path.suffix else wb_path
    index = next((i for i, s in enumerate(workbook.surveys) if s is source or s.id == source.id), 0)
    where = f"surveys[{index}]"
    inside = resolve_inside(folder, source.file)  # symlinks followed; see cxkit._limits
    if inside.problem:
        raise SurveyError(
            [
                Problem(
                    str(wb_path),
                    inside.problem,
                    inside.reason,
                    where=f"{where}.file",
                    loc=("surveys", index, "file"),
                    words=inside.words,
                )
            ]
        )
    try:  # a device or a named pipe would never end (or never start) reading
        regular_file_size(inside.path, "survey export")
    except LimitExceeded as exc:
        raise SurveyError([_in_export(p, str(wb_path), index) for p in exc.problems]) from None
    except OSError:
        pass  # missing or a folder: read_survey says so, as before
    try:
        raw = read_survey(
            folder / source.file, format=source.format, encoding=source.encoding, sheet=source.sheet
        )
    except SurveyError as exc:
        raise SurveyError([_in_export(p, str(wb_path), index) for p in exc.problems]) from None
    given = {k: v for k, v in source.columns.model_dump().items() if v}
    mapping = given or suggest_roles(raw, {"csat": source.csat_scale, "ces": source.ces_scale})
    if not any(m in mapping for m in METRICS):
        words = Words.of("no-metric-column", file=raw.path)
        raise SurveyError(
            [
                Problem(
                    str(wb_path),
                    word(words),
                    Reason.MISSING_COLUMN,
                    where=f"{where}.columns",
                    loc=("surveys", index, "columns"),
                    words=words,
                )
            ]
        )
    try:
        return responses_from_raw(
            raw,
            mapping,
            source_id=source.id,
            csat_scale=source.csat_scale,
            ces_scale=source.ces_scale,
            value_labels=source.value_labels,
            journeys=_journeys_for(workbook, source),
            personas=workbook.personas,
            stage_map=source.stage_map,
            touchpoint_map=source.touchpoint_map,
            keep=keep,
            policy=policy,
            suggested=not given,
        )
    except SurveyError as exc:
        raise SurveyError(
            [
                Problem(
                    str(wb_path),
                    f"{p.file}: {p.message}",
                    p.reason,
                    where=f"{where}.{p.where}"
                    if p.where in ("csat_scale", "ces_scale")
                    else f"{where}.columns" + (f".{p.subject}" if p.subject in ROLES else ""),
                    loc=("surveys", index, "columns", p.subject) if p.subject in ROLES else (),
                    words=Words.of("in-file", file=p.file, said=p.words) if p.words else None,
                )
                for p in exc.problems
            ]
        ) from None


def _in_export(p: Problem, workbook: str, index: int) -> Problem:
    """A problem reading survey ``index``'s export, said at the workbook's ``file`` entry."""
    inner = p.words
    if inner is not None and p.where:
        inner = Words.of("at-said", place=p.at if p.at is not None else p.where, said=inner)
    return Problem(
        workbook,
        f"{p.file}: {p.where + ': ' if p.where else ''}{p.message}",
        p.reason,
        where=f"surveys[{index}].file",
        loc=("surveys", index, "file"),
        words=Words.of("in-file", file=p.file, said=inner) if inner is not None else None,
    )


def load_all_responses(
    workbook: Workbook, workbook_path: str | Path, *, policy: ImportPolicy | None = None
) -> Responses:
    """Every survey of the workbook as one :class:`Responses` (``source`` tells them apart).

    All problems across sources are raised together. Sources that read CSAT or
    CES on different scales cannot be pooled and raise :class:`SurveyError`.
    """
    parts: list[Responses] = []
    problems: list[Problem] = []
    for source in workbook.surveys:
        try:
            parts.append(load_responses(workbook, workbook_path, source, policy=policy))
        except SurveyError as exc:
            problems += exc.problems
    if problems:
        raise SurveyError(problems)
    return combine(parts, file=str(workbook_path))


def survey_problems(workbook: Workbook, workbook_path: str | Path) -> list[Problem]:
    """What ``cxkit validate`` says about the workbook's surveys, once their files exist.

    Each survey is read and linked as ``cxkit score`` would: a mapped column that is
    not in the file or whose answers are not on the metric's scale, and stage or
    touchpoint answers that match nothing in the journey, are problems at
    ``surveys[i].columns`` or ``surveys[i].stage_map`` / ``touchpoint_map``, so the fix
    is named where it is made.
    """
    out: list[Problem] = []
    for i, source in enumerate(workbook.surveys):
        try:
            responses = load_responses(workbook, workbook_path, source)
        except SurveyError as exc:
            out += [p for p in exc.problems if p.reason is not Reason.FILE_NOT_FOUND]
            continue
        for r in responses.refusals:
            said = Words.of("in-file", file=source.file, said=r.words) if r.words else None
            out.append(
                Problem(
                    str(workbook_path),
                    f"{source.file}: {r.message}",
                    Reason.OUT_OF_RANGE,
                    where=f"surveys[{i}].columns.{r.metric}",
                    loc=("surveys", i, "columns", r.metric),
                    words=said,
                )
            )
        for u in responses.unmatched:
            key = f"{u.role}_map" if u.role in {"stage", "touchpoint"} else f"columns.{u.role}"
            words = Words.of("in-column", file=source.file, column=u.column, said=u.words)
            out.append(
                Problem(
                    str(workbook_path),
                    word(words),
                    Reason.BAD_REFERENCE,
                    where=f"surveys[{i}].{key}",
                    loc=("surveys", i, *key.split(".")),
                    words=words,
                )
            )
    return out
