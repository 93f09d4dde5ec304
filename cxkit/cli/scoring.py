"""``cxkit score`` and ``cxkit survey inspect``: the face of the scoring modules.

Only this module prints or exits. User mistakes (missing file, unknown column,
bad option) print the problems and exit 1, never a traceback.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.text import Text

from cxkit.cli import speak
from cxkit.cli.console import out
from cxkit.cli.scoretable import print_scores, print_warnings
from cxkit.cli.survey import fail, inspect_command
from cxkit.errors import CxkitError, Problem, Reason
from cxkit.i18n.messages import in_language, worded_error
from cxkit.workbook.model import SurveyFormat

if TYPE_CHECKING:  # pandas/scipy load only when a scoring command runs, not on `cxkit --help`
    from cxkit.scoring.compare import Comparison
    from cxkit.scoring.scores import ScoreTable
    from cxkit.surveys.responses import Responses

WORKBOOK_SUFFIXES = {".yml", ".yaml"}
PERIODS = ("month", "quarter", "period")


def register(app: typer.Typer) -> None:
    """Add ``score`` and the ``survey`` group (``survey inspect``) to ``app``."""
    app.command("score")(score_command)
    survey = typer.Typer(help="Look inside survey exports.", no_args_is_help=True)
    survey.command("inspect")(inspect_command)
    app.add_typer(survey, name="survey")


# --------------------------------------------------------------------------- score


def score_command(
    target: Annotated[
        Path,
        typer.Argument(
            help="A workbook (workbook.yml or its folder) or a raw survey export (CSV/XLSX)."
        ),
    ],
    nps: Annotated[str | None, typer.Option(help="NPS column: id or question text.")] = None,
    csat: Annotated[str | None, typer.Option(help="CSAT column: id or question text.")] = None,
    ces: Annotated[str | None, typer.Option(help="CES column: id or question text.")] = None,
    by: Annotated[
        list[str] | None,
        typer.Option(
            help="Group by a column (id or question text) or a role: stage, touchpoint, persona, "
            "segment, month, quarter. Repeat for a cross-tab."
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Also write the scores to .csv or .xlsx.")
    ] = None,
    format: Annotated[
        SurveyFormat,
        typer.Option("--format", help="Export format of a raw file (default: detect)."),
    ] = SurveyFormat.AUTO,
    encoding: Annotated[str | None, typer.Option(help="Force the file's encoding.")] = None,
    sheet: Annotated[str | None, typer.Option(help="Excel sheet to read.")] = None,
    compare: Annotated[
        tuple[str, str] | None,
        typer.Option(
            "--compare",
            help="Test whether two groups of the --by column really differ, e.g. "
            "--by segment --compare web phone.",
        ),
    ] = None,
    metric: Annotated[
        str,
        typer.Option(help="Metric for --compare: nps, csat, csat_mean, ces or ces_agree."),
    ] = "nps",
    csat_scale: Annotated[
        str | None,
        typer.Option(
            "--csat-scale",
            metavar="MIN-MAX",
            help="The CSAT question's scale, e.g. 0-10 or 1-7 (default 1-5; top-2-box).",
        ),
    ] = None,
    ces_scale: Annotated[
        str | None,
        typer.Option(
            "--ces-scale", metavar="MIN-MAX", help="The CES question's scale (default 1-7)."
        ),
    ] = None,
) -> None:
    """Score NPS, CSAT and CES with n and 95% intervals, overall and by group.

    A metric is scored only when its column holds answers on the metric's scale;
    otherwise it is refused with what the answers look like and what to do.
    """
    is_workbook = target.is_dir() or target.suffix.lower() in WORKBOOK_SUFFIXES
    lang = speak.language_of(target) if is_workbook else speak.chosen or "en"
    speak.subject = lang  # errors without a language of their own are said in it
    try:
        if output is not None and output.suffix.lower() not in {".csv", ".xlsx"}:
            raise worded_error("score-output-type", file=output)
        scales = {
            "csat": _scale_option("--csat-scale", csat_scale),
            "ces": _scale_option("--ces-scale", ces_scale),
        }
        if is_workbook:
            if csat_scale or ces_scale:
                raise worded_error("score-scales-in-workbook", file=target)
            responses, keys, info = _from_workbook(target, by or [])
        else:
            responses, keys, info = _from_file(
                target, nps, csat, ces, by or [], format, encoding, sheet, scales
            )
        if not any(responses.mapped(m) for m in ("nps", "csat", "ces")):
            for r in responses.refusals[:-1]:  # each refusal on its own line; the last raised
                speak.print_failure(_refused(r, lang))
            raise (
                _refused(responses.refusals[-1], lang)
                if responses.refusals
                else (worded_error("no-metric", lang))
            )
        from cxkit.scoring.scores import score

        table = score(responses, by=keys)
        verdict = _comparison(responses, keys, compare, metric) if compare else None
    except CxkitError as exc:
        raise fail(exc) from None
    labels = info.pop("_labels", {})
    if as_json:
        payload = {
            **info,
            "excluded": responses.excluded,
            "refused": [r.to_dict() for r in responses.refusals],
            "warnings": [_problem_dict(p) for p in responses.issues],
            "notes": [n for s in responses.sources for n in s.notes],
            "groups": [
                {**g, "labels": {k: labels.get(k, {}).get(v, v) for k, v in g["keys"].items()}}
                for g in table.to_dicts()
            ],
            "methods": table.methods,
            "unmatched": [u.__dict__ for u in responses.unmatched],
        }
        if "mapping" in info:  # a raw export: the metrics no column was found for
            refused = {r.metric for r in responses.refusals}
            payload["not_found"] = [
                m for m in ("nps", "csat", "ces") if m not in table.methods and m not in refused
            ]
        if verdict is not None:
            payload["comparison"] = verdict.to_dict()
        typer.echo(json.dumps(payload, ensure_ascii=False, indent=2, default=str))
    else:
        notes = [n for s in responses.sources for n in s.notes]
        print_warnings(responses.issues, notes, lang)
        print_scores(table, responses, info, labels, lang)
        if verdict is not None:
            out.print(Text(in_language(verdict.verdict, lang), style="bold"))
            said = in_language(verdict.method, lang)
            out.print(said, markup=False, highlight=False, style="dim")
    if output is not None:
        _write(table, responses, output)
        if not as_json:
            out.print(f"wrote {output}", markup=False, highlight=False)


def _refused(refusal: Any, lang: str) -> CxkitError:
    """A refusal as an error in ``lang`` (the score cannot be made)."""
    if refusal.words is None:
        return CxkitError(refusal.message)
    return CxkitError(refusal.message, words=refusal.words, language=lang)


def _scale_option(option: str, text: str | None) -> Any:
    """``"0-10"`` -> a Scale; a one-line error for anything else."""
    if text is None:
        return None
    import re

    from cxkit.workbook.model import Scale

    m = re.fullmatch(r"\s*(-?\d+)\s*[-–:]\s*(-?\d+)\s*", text)
    if not m:
        raise worded_error("scale-option-form", option=option, text=repr(text))
    low, high = int(m.group(1)), int(m.group(2))
    if low >= high:
        raise worded_error("scale-option-order", option=option, text=text)
    return Scale(min=low, max=high)


def _problem_dict(p: Problem) -> dict[str, Any]:
    column = p.where[len("column '") : -1] if p.where.startswith("column '") else None
    return {
        "file": p.file,
        "where": p.where,
        "column": column,
        "rows": list(p.rows),
        "reason": p.reason.value,
        "message": p.message,
    }


def _comparison(
    responses: Responses, keys: list[str], groups: tuple[str, str], metric: str
) -> Comparison:
    if len(keys) != 1:
        raise worded_error("compare-one-by")
    from cxkit.scoring.compare import compare

    return compare(responses, metric, keys[0], groups[0], groups[1])


def _from_file(
    path: Path,
    nps: str | None,
    csat: str | None,
    ces: str | None,
    by: list[str],
    fmt: SurveyFormat,
    encoding: str | None,
    sheet: str | None,
    scales: dict[str, Any],
) -> tuple[Responses, list[str], dict[str, Any]]:
    from cxkit.surveys.responses import GROUP_ROLES, read_survey, responses_from_raw, suggest_roles

    raw = read_survey(path, format=fmt, encoding=encoding, sheet=sheet)
    mapping = suggest_roles(raw, scales)
    for role, name in (("nps", nps), ("csat", csat), ("ces", ces)):
        if name is None:
            continue
        col = raw.resolve(name, role=role)
        mapping = {r: c for r, c in mapping.items() if c != col}
        mapping[role] = col
    if not any(m in mapping for m in ("nps", "csat", "ces")):
        from cxkit.surveys.roles import explain_roles

        why = "; ".join(f"'{c}' {w}" for c, w in explain_roles(raw, scales)[1].items())
        raise worded_error(
            "no-metric-found",
            reason=Reason.MISSING_COLUMN,
            file=path,
            why=f" ({why})" if why else "",
        )
    keys: list[str] = []
    extra: list[str] = []
    for name in by:
        key = "month" if name == "period" else name
        if (key in GROUP_ROLES and key in mapping) or (key in PERIODS and "date" in mapping):
            keys.append(key)
            continue
        col = raw.resolve(name)
        found = [r for r, c in mapping.items() if c == col and r in GROUP_ROLES]
        if not found:
            extra.append(col)
        keys.append(found[0] if found else col)
    responses = responses_from_raw(
        raw,
        mapping,
        source_id=path.stem,
        keep=extra,
        csat_scale=scales.get("csat"),
        ces_scale=scales.get("ces"),
    )
    info = {
        "file": str(path),
        "format": raw.format.value,
        "layout": raw.layout,
        "layout_reason": raw.layout_reason,
        "header_rows": raw.header_rows,
        "encoding": raw.encoding,
        "encoding_alternatives": raw.encoding_alternatives,
        "rows": raw.rows,
        "responses": responses.rows,
        "excluded_rows": responses.sources[0].excluded_rows,
        "mapping": mapping,
        "scales": {m: [s.min, s.max] for m, s in responses.scales.items()},
    }
    return responses, keys, info


def _from_workbook(target: Path, by: list[str]) -> tuple[Responses, list[str], dict[str, Any]]:
    from cxkit.surveys.responses import load_all_responses
    from cxkit.workbook.yamlfile import load_workbook, resolve_workbook_path

    path = resolve_workbook_path(target)
    wb = load_workbook(path)
    if not wb.surveys:
        raise worded_error("workbook-no-surveys", reason=Reason.MISSING, file=path)
    responses = load_all_responses(wb, path)
    keys = [("month" if b == "period" else b) for b in by]
    if not by and responses.mapped("stage"):
        keys = ["stage"]
    sources = [
        {
            "id": s.id,
            "file": s.file,
            "format": s.format.value,
            "layout": s.layout,
            "layout_reason": s.layout_reason,
            "header_rows": s.header_rows,
            "encoding": s.encoding,
            "encoding_alternatives": s.encoding_alternatives,
            "rows": s.rows,
            "responses": s.kept,
            "mapping": s.mapping,
            "excluded": {"rows": s.excluded_rows, **s.excluded},
            "refused": [r.to_dict() for r in s.refused.values()],
            "notes": s.notes,
        }
        for s in responses.sources
    ]
    names: dict[str, dict[str, str]] = {"stage": {}, "touchpoint": {}, "persona": {}}
    for j in wb.journeys:
        for st in j.stages:
            names["stage"][st.id] = st.name
        for _, tp in j.touchpoints():
            names["touchpoint"][tp.id] = tp.name
    for persona in wb.personas:
        names["persona"][persona.id] = persona.name
    info = {
        "workbook": str(path),
        "rows": sum(s.rows for s in responses.sources),
        "responses": responses.rows,
        "sources": sources,
        "_labels": names,
    }
    return responses, keys, info


def _write(table: ScoreTable, responses: Responses, path: Path) -> None:
    """The scores as .csv or .xlsx; text from the survey stays text, never a formula
    (:mod:`cxkit._spreadsheet`), and the file is replaced atomically."""
    import io

    import pandas as pd

    from cxkit._files import atomic_write
    from cxkit._spreadsheet import csv_text, text_cells

    if path.suffix.lower() == ".csv":
        frame = table.frame.rename(columns=csv_text)
        for col in frame.columns:
            if not pd.api.types.is_numeric_dtype(frame[col]):
                frame[col] = frame[col].map(csv_text)
        atomic_write(path, frame.to_csv(index=False).encode("utf-8-sig"), backup=False)
        return
    excluded = [
        {"what": w, "reason": r, "count": n}
        for w, rs in responses.excluded.items()
        for r, n in rs.items()
    ]
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as xw:
        table.frame.to_excel(xw, sheet_name="scores", index=False)
        pd.DataFrame(excluded, columns=["what", "reason", "count"]).to_excel(
            xw, sheet_name="not counted", index=False
        )
        pd.DataFrame(list(table.methods.items()), columns=["metric", "method"]).to_excel(
            xw, sheet_name="methods", index=False
        )
        for ws in xw.book.worksheets:
            text_cells(ws)
    atomic_write(path, buf.getvalue(), backup=False)
