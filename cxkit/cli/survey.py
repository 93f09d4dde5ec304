"""``cxkit survey inspect``: which layout a survey export has (and why), and each column's role.

Only this module and :mod:`cxkit.cli.scoring` print for the survey commands.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.table import Table
from rich.text import Text

from cxkit.cli.console import out
from cxkit.errors import CxkitError, ProblemsError
from cxkit.workbook.model import SurveyFormat

if TYPE_CHECKING:
    from cxkit.surveys.formats import RawSurvey


def fail(exc: CxkitError) -> typer.Exit:
    problems = exc.problems if isinstance(exc, ProblemsError) else None
    if problems:
        from cxkit.cli.speak import print_problems

        print_problems(problems)  # in the workbook's language, when a workbook is named
    else:
        from cxkit.cli.speak import print_failure

        print_failure(exc)  # in the workbook's language, when the error has words
    return typer.Exit(1)


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
    """Show the detected layout (and why), encoding, rows, responses and each column's role."""
    try:
        from cxkit.surveys.responses import count_responses, read_survey
        from cxkit.surveys.roles import explain_roles

        raw = read_survey(file, format=format, encoding=encoding, sheet=sheet)
        found, passed = explain_roles(raw)
        roles = {c: r for r, c in found.items()}
        responses, excluded_rows = count_responses(raw)
    except CxkitError as exc:
        raise fail(exc) from None
    columns: list[dict[str, Any]] = [
        {
            "column": c,
            "question": raw.questions.get(c, c),
            "role": roles.get(c),
            "not_offered": passed.get(c),
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
                    "layout": raw.layout,
                    "layout_reason": raw.layout_reason,
                    "encoding": raw.encoding,
                    "encoding_alternatives": raw.encoding_alternatives,
                    "delimiter": raw.delimiter,
                    "sheet": raw.sheet,
                    "header_rows": raw.header_rows,
                    "rows": raw.rows,
                    "responses": responses,
                    "excluded_rows": excluded_rows,
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
        f"format: {raw.format.value} ({raw.layout})   encoding: {raw.encoding}"
        + (f"   delimiter: {delim}" if delim else "")
        + (f"   sheet: {raw.sheet}" if raw.sheet else "")
        + f"   header rows: {raw.header_rows}   rows: {raw.rows}   responses: {responses}",
        markup=False,
        highlight=False,
    )
    out.print(f"layout: {raw.layout_reason}", markup=False, highlight=False)
    if excluded_rows:
        left_out = ", ".join(f"{n} {reason}" for reason, n in excluded_rows.items())
        out.print(f"rows that are not responses: {left_out}", markup=False, highlight=False)
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
            Text(c["role"] or c["not_offered"] or "", style="" if c["role"] else "dim"),
            str(c["blank"]),
            Text(" | ".join(c["samples"])),
        )
    out.print(t)
