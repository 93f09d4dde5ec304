"""``cxkit score`` and ``cxkit survey inspect``: the face of the scoring modules.

Only this module prints or exits. User mistakes (missing file, unknown column,
bad option) print the problems and exit 1, never a traceback.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.table import Table
from rich.text import Text

from cxkit.cli.console import err, out
from cxkit.errors import CxkitError, Problem, ProblemsError
from cxkit.workbook.model import SurveyFormat

if TYPE_CHECKING:  # pandas/scipy load only when a scoring command runs, not on `cxkit --help`
    from cxkit.scoring.compare import Comparison
    from cxkit.scoring.scores import ScoreTable
    from cxkit.surveys.formats import RawSurvey
    from cxkit.surveys.responses import Responses

WORKBOOK_SUFFIXES = {".yml", ".yaml"}
PERIODS = ("month", "quarter", "period")


def register(app: typer.Typer) -> None:
    """Add ``score`` and the ``survey`` group (``survey inspect``) to ``app``."""
    app.command("score")(score_command)
    survey = typer.Typer(help="Look inside survey exports.", no_args_is_help=True)
    survey.command("inspect")(inspect_command)
    app.add_typer(survey, name="survey")


def _fail(exc: CxkitError) -> typer.Exit:
    problems = exc.problems if isinstance(exc, ProblemsError) else None
    if problems:
        for p in problems:
            err.print(str(p), markup=False, highlight=False)
    else:
        err.print(f"error: {exc}", markup=False, highlight=False)
    return typer.Exit(1)


def _warn(problems: list[Problem], notes: list[str]) -> None:
    for n in notes:
        err.print(f"note: {n}", markup=False, highlight=False)
    for p in problems:
        err.print(f"warning: {p}", markup=False, highlight=False)


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
) -> None:
    """Score NPS, CSAT and CES with n and 95% intervals, overall and by group."""
    try:
        if output is not None and output.suffix.lower() not in {".csv", ".xlsx"}:
            raise CxkitError(f"{output}: write scores to a .csv or .xlsx file")
        if target.is_dir() or target.suffix.lower() in WORKBOOK_SUFFIXES:
            responses, keys, info = _from_workbook(target, by or [])
        else:
            responses, keys, info = _from_file(
                target, nps, csat, ces, by or [], format, encoding, sheet
            )
        from cxkit.scoring.scores import score

        table = score(responses, by=keys)
        verdict = _comparison(responses, keys, compare, metric) if compare else None
    except CxkitError as exc:
        raise _fail(exc) from None
    if as_json:
        payload = {
            **info,
            "excluded": responses.excluded,
            "groups": table.to_dicts(),
            "methods": table.methods,
            "unmatched": [u.__dict__ for u in responses.unmatched],
        }
        if verdict is not None:
            payload["comparison"] = verdict.to_dict()
        typer.echo(json.dumps(payload, ensure_ascii=False, indent=2, default=str))
    else:
        _warn(responses.issues, [n for s in responses.sources for n in s.notes])
        _print_scores(table, responses, info)
        if verdict is not None:
            out.print(Text(verdict.verdict, style="bold"))
            out.print(verdict.method, markup=False, highlight=False, style="dim")
    if output is not None:
        _write(table, responses, output)
        if not as_json:
            out.print(f"wrote {output}", markup=False, highlight=False)


def _comparison(
    responses: Responses, keys: list[str], groups: tuple[str, str], metric: str
) -> Comparison:
    if len(keys) != 1:
        raise CxkitError("--compare needs exactly one --by column (the groups are its values)")
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
) -> tuple[Responses, list[str], dict[str, Any]]:
    from cxkit.surveys.responses import GROUP_ROLES, read_survey, responses_from_raw, suggest_roles

    raw = read_survey(path, format=fmt, encoding=encoding, sheet=sheet)
    mapping = suggest_roles(raw)
    for role, name in (("nps", nps), ("csat", csat), ("ces", ces)):
        if name is None:
            continue
        col = raw.resolve(name, role=role)
        mapping = {r: c for r, c in mapping.items() if c != col}
        mapping[role] = col
    if not any(m in mapping for m in ("nps", "csat", "ces")):
        raise CxkitError(
            f"{path}: no NPS, CSAT or CES column found; name one with --nps, "
            "--csat or --ces (column id or question text)"
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
    responses = responses_from_raw(raw, mapping, source_id=path.stem, keep=extra)
    info = {
        "file": str(path),
        "format": raw.format.value,
        "encoding": raw.encoding,
        "rows": raw.rows,
        "responses": responses.rows,
        "mapping": mapping,
    }
    return responses, keys, info


def _from_workbook(target: Path, by: list[str]) -> tuple[Responses, list[str], dict[str, Any]]:
    from cxkit.surveys.responses import load_all_responses
    from cxkit.workbook.yamlfile import load_workbook, resolve_workbook_path

    path = resolve_workbook_path(target)
    wb = load_workbook(path)
    if not wb.surveys:
        raise CxkitError(f"{path}: the workbook lists no surveys (add them under 'surveys:')")
    responses = load_all_responses(wb, path)
    keys = [("month" if b == "period" else b) for b in by]
    if not by and responses.mapped("stage"):
        keys = ["stage"]
    sources = [
        {
            "id": s.id,
            "file": s.file,
            "format": s.format.value,
            "encoding": s.encoding,
            "rows": s.rows,
            "responses": s.kept,
            "mapping": s.mapping,
            "excluded": {"rows": s.excluded_rows, **s.excluded},
            "notes": s.notes,
        }
        for s in responses.sources
    ]
    info = {
        "workbook": str(path),
        "rows": sum(s.rows for s in responses.sources),
        "responses": responses.rows,
        "sources": sources,
    }
    return responses, keys, info


def _fmt(v: float | None, digits: int = 0) -> str:
    return "–" if v is None or v != v else f"{v:.{digits}f}"


def _ci(low: float, high: float, digits: int = 0) -> str:
    return "" if low != low else f" [{_fmt(low, digits)}, {_fmt(high, digits)}]"


def _print_scores(table: ScoreTable, responses: Responses, info: dict[str, Any]) -> None:
    for s in responses.sources:
        out.print(
            f"{s.id}: {s.file} ({s.format.value}, {s.encoding}) - {s.rows} rows, "
            f"{s.kept} responses",
            markup=False,
            highlight=False,
        )
    title = f"scores by {' x '.join(table.by)}" if table.by else "scores"
    t = Table(title=title, header_style="bold")
    t.add_column("group")
    t.add_column("n", justify="right")
    metrics = list(table.methods)
    if "nps" in metrics:
        t.add_column("NPS [95% CI]", justify="right")
        t.add_column("prom / pass / detr %", justify="right")
    if "csat" in metrics:
        t.add_column("CSAT top-2 % [95% CI]", justify="right")
        t.add_column("CSAT mean", justify="right")
    if "ces" in metrics:
        t.add_column("CES mean [95% CI]", justify="right")
        t.add_column("CES agree %", justify="right")
    t.add_column("confidence")
    for g in table.groups:
        row = [g.group, str(g.n)]
        ns = []
        if g.nps is not None:
            row += [
                f"{_fmt(g.nps.score)}{_ci(g.nps.low, g.nps.high)} (n={g.nps.n})",
                f"{_fmt(g.nps.promoters)} / {_fmt(g.nps.passives)} / {_fmt(g.nps.detractors)}",
            ]
            ns.append(g.nps.n)
        if g.csat is not None:
            row += [
                f"{_fmt(g.csat.top2)}{_ci(g.csat.low, g.csat.high)} (n={g.csat.n})",
                _fmt(g.csat.mean, 2),
            ]
            ns.append(g.csat.n)
        if g.ces is not None:
            row += [
                f"{_fmt(g.ces.mean, 2)}{_ci(g.ces.low, g.ces.high, 2)} (n={g.ces.n})",
                _fmt(g.ces.agree),
            ]
            ns.append(g.ces.n)
        smallest = min(ns) if ns else 0
        flag = (
            Text("low (n<30)", style="yellow")
            if smallest < 30
            else Text("directional (n<100)")
            if smallest < 100
            else Text("ok")
        )
        t.add_row(*(Text(c) for c in row), flag)
    out.print(t)
    excluded = responses.excluded
    if excluded:
        ex = Table(title="not counted", header_style="bold")
        ex.add_column("what")
        ex.add_column("reason")
        ex.add_column("count", justify="right")
        for what, reasons in excluded.items():
            for reason, n in reasons.items():
                ex.add_row(Text(what), Text(reason), str(n))
        out.print(ex)
    for metric, method in table.methods.items():
        out.print(f"{metric}: {method}", markup=False, highlight=False, style="dim")
    if "mapping" in info:  # a raw export: say which metrics no column was found for
        for metric in ("nps", "csat", "ces"):
            if metric not in table.methods:
                out.print(
                    f"{metric.upper()}: no column recognised; if the file has one, "
                    f"name it with --{metric} COLUMN (id or question text)",
                    markup=False,
                    highlight=False,
                    style="yellow",
                )


def _write(table: ScoreTable, responses: Responses, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix.lower() == ".csv":
        table.frame.to_csv(path, index=False, encoding="utf-8-sig")
        return
    excluded = [
        {"what": w, "reason": r, "count": n}
        for w, rs in responses.excluded.items()
        for r, n in rs.items()
    ]
    import pandas as pd

    with pd.ExcelWriter(path, engine="openpyxl") as xw:
        table.frame.to_excel(xw, sheet_name="scores", index=False)
        pd.DataFrame(excluded, columns=["what", "reason", "count"]).to_excel(
            xw, sheet_name="not counted", index=False
        )
        pd.DataFrame(list(table.methods.items()), columns=["metric", "method"]).to_excel(
            xw, sheet_name="methods", index=False
        )


# --------------------------------------------------------------------------- inspect


def _samples(raw: RawSurvey, col: str, k: int = 3) -> list[str]:
    import pandas as pd

    from cxkit.surveys.formats import clean_text

    values = raw.df[col].dropna()
    out: list[str] = []
    for v in values:
        if isinstance(v, float) and v.is_integer():
            v = int(v)
        elif isinstance(v, pd.Timestamp) and v == v.normalize():
            v = v.date()  # a date column: no "00:00:00"
        text = clean_text(v)
        if text and text not in out:
            out.append(text if len(text) <= 40 else text[:39] + "…")
        if len(out) >= k:
            break
    return out


def inspect_command(
    file: Annotated[Path, typer.Argument(help="A survey export (CSV, TSV or XLSX).")],
    format: Annotated[
        SurveyFormat, typer.Option("--format", help="Export format (default: detect).")
    ] = SurveyFormat.AUTO,
    encoding: Annotated[str | None, typer.Option(help="Force the file's encoding.")] = None,
    sheet: Annotated[str | None, typer.Option(help="Excel sheet to read.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Show the detected format, encoding, row count and each column's suggested role."""
    try:
        from cxkit.surveys.responses import read_survey, suggest_roles

        raw = read_survey(file, format=format, encoding=encoding, sheet=sheet)
        roles = {c: r for r, c in suggest_roles(raw).items()}
    except CxkitError as exc:
        raise _fail(exc) from None
    columns: list[dict[str, Any]] = [
        {
            "column": c,
            "question": raw.questions.get(c, c),
            "role": roles.get(c),
            "blank": int(raw.df[c].isna().sum()),
            "samples": _samples(raw, c),
        }
        for c in raw.columns
    ]
    if as_json:
        typer.echo(
            json.dumps(
                {
                    "file": str(file),
                    "format": raw.format.value,
                    "encoding": raw.encoding,
                    "delimiter": raw.delimiter,
                    "sheet": raw.sheet,
                    "header_rows": raw.header_rows,
                    "rows": raw.rows,
                    "notes": raw.notes,
                    "columns": columns,
                },
                ensure_ascii=False,
                indent=2,
            )
        )
        return
    delim = {",": "comma", ";": "semicolon", "\t": "tab"}.get(raw.delimiter or "", "")
    out.print(f"{file}", markup=False, highlight=False)
    out.print(
        f"format: {raw.format.value}   encoding: {raw.encoding}"
        + (f"   delimiter: {delim}" if delim else "")
        + (f"   sheet: {raw.sheet}" if raw.sheet else "")
        + f"   header rows: {raw.header_rows}   rows: {raw.rows}",
        markup=False,
        highlight=False,
    )
    for n in raw.notes:
        out.print(f"note: {n}", markup=False, highlight=False)
    t = Table(header_style="bold")
    for name in ("#", "column", "question", "suggested role", "blank", "sample values"):
        t.add_column(name)
    for i, c in enumerate(columns, start=1):
        question = str(c["question"])
        q = (
            ""
            if question == c["column"]
            else (question if len(question) <= 50 else question[:49] + "…")
        )
        t.add_row(
            str(i),
            Text(str(c["column"])),
            Text(q),
            c["role"] or "",
            str(c["blank"]),
            Text(" | ".join(c["samples"])),
        )
    out.print(t)
