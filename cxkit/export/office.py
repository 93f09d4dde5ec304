"""Office exports: the Excel workbook of lanes and scores (the deck is in
:mod:`cxkit.export.deck`).

It takes a :class:`~cxkit.report.sections.Report` and returns the file's bytes.
Every label comes from the report's locale; Hebrew sheets run right to left. Text
cells are written as text, never as formulas (:mod:`cxkit._spreadsheet`).
"""

from __future__ import annotations

import io
import re
from typing import Any

from cxkit import analysis
from cxkit._spreadsheet import text_cell
from cxkit.report.sections import Report

SHEET_NAME_MAX = 31
_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")

# --------------------------------------------------------------------------- Excel


def sheet_name(label: str, taken: set[str]) -> str:
    """A valid, unique Excel sheet name for ``label`` (31 characters, no []:*?/\\)."""
    base = _SHEET_BAD.sub(" ", label).strip() or "Sheet"
    name, i = base[:SHEET_NAME_MAX], 2
    while name.casefold() in {t.casefold() for t in taken}:
        suffix = f" ({i})"
        name, i = base[: SHEET_NAME_MAX - len(suffix)] + suffix, i + 1
    taken.add(name)
    return name


def lane_tables(report: Report) -> list[tuple[str, list[str], list[list[Any]]]]:
    """Every poster lane as (title, headers, rows), one row per item, in the report's language."""
    loc, t = report.loc, report.loc.t
    journeys = [j for g in report.groups for j in g]
    head = [t("journey"), t("stage"), t("touchpoint")]

    def rows(fn: Any) -> list[list[Any]]:
        out: list[list[Any]] = []
        for j in journeys:
            for s, tp in j.touchpoints():
                for extra in fn(j, tp):
                    out.append([j.title, s.name, tp.name, *extra])
        return out

    measured: dict[str, float] = {}
    for j in journeys:
        scores = report.scores_for(j)
        if scores:
            measured.update({f"{j.id}/{k}": v for k, v in scores.measured_emotion.items()})
    tables: list[tuple[str, list[str], list[list[Any]]]] = [
        (
            t("lane_touchpoints"),
            [*head, t("channel"), t("moment_of_truth"), t("effort")],
            rows(
                lambda j, tp: [
                    [
                        loc.channel(tp.channel.value),
                        t("moment_of_truth") if tp.moment_of_truth else "",
                        tp.effort,
                    ]
                ]
            ),
        ),
        (
            t("lane_actions"),
            [*head, t("lane_actions")],
            rows(lambda j, tp: [[tp.action]] if tp.action else []),
        ),
        (
            t("lane_questions"),
            [*head, t("question")],
            rows(lambda j, tp: [[q] for q in tp.questions]),
        ),
        (
            t("lane_expectation"),
            [*head, t("expectation")],
            rows(lambda j, tp: [[tp.expectation]] if tp.expectation else []),
        ),
        (
            t("lane_emotion"),
            [*head, t("assumed"), t("measured")],
            rows(lambda j, tp: [[tp.emotion, measured.get(f"{j.id}/{tp.id}")]]),
        ),
        (
            t("lane_pain_points"),
            [*head, t("pain_point")],
            rows(lambda j, tp: [[p] for p in tp.pain_points]),
        ),
        (
            t("lane_opportunities"),
            [
                t("journey"),
                t("rank"),
                t("opportunity"),
                t("impact"),
                t("effort"),
                t("quadrant"),
                t("touchpoints"),
                t("owner"),
                t("status"),
            ],
            [
                [
                    j.title,
                    r.rank,
                    r.opportunity.title,
                    r.opportunity.impact,
                    r.opportunity.effort,
                    _quadrant(report, r.quadrant),
                    "\n".join(name for _, name in r.touchpoints),
                    r.opportunity.owner,
                    loc.status(r.opportunity.status.value),
                ]
                for j in journeys
                for r in analysis.rank_opportunities(j)
            ],
        ),
        (
            t("lane_backstage"),
            [*head, t("owner"), t("backstage"), t("documents")],
            rows(
                lambda j, tp: (
                    [[tp.owner, "\n".join(tp.backstage), "\n".join(tp.documents)]]
                    if tp.owner or tp.backstage or tp.documents
                    else []
                )
            ),
        ),
    ]
    return tables


def score_tables(report: Report) -> list[tuple[str, list[str], list[list[Any]]]]:
    """Every score table of the report: NPS, CSAT and CES by stage, and the NPS composition."""
    t = report.loc.t
    if report.data is None:
        return []
    head = [
        t("journey"),
        t("stage"),
        t("score"),
        t("interval_low"),
        t("interval_high"),
        t("n"),
    ]
    tables = []
    for metric in ("nps", "csat", "ces"):
        digits = 1 if metric == "nps" else 2
        rows: list[list[Any]] = [
            [t("all_journeys"), "", *_bar_cells(b, digits)]
            for b in report.data.headline
            if b.key == metric
        ]
        for group in report.groups:
            scores = report.scores_for(group[0])
            if scores:
                rows += [
                    [group[0].title, b.label, *_bar_cells(b, digits)]
                    for b in scores.by_stage.get(metric, [])
                ]
        if rows:
            tables.append((t(metric), head, rows))
    mix_rows = []
    for group in report.groups:
        scores = report.scores_for(group[0])
        for m in scores.nps_mix if scores else []:
            mix_rows.append(
                [
                    group[0].title,
                    m.label,
                    round(m.detractors, 4),
                    round(m.passives, 4),
                    round(m.promoters, 4),
                    m.n,
                ]
            )
    if mix_rows:
        tables.append(
            (
                t("nps_composition"),
                [
                    t("journey"),
                    t("stage"),
                    t("detractors"),
                    t("passives"),
                    t("promoters"),
                    t("n"),
                ],
                mix_rows,
            )
        )
    return tables


def _bar_cells(bar: Any, digits: int) -> list[Any]:
    def r(v: float | None) -> float | None:
        return None if v is None else round(v, digits)

    return [r(bar.value), r(bar.low), r(bar.high), bar.n]


def _quadrant(report: Report, quadrant: str) -> str:
    from cxkit.export.text import quadrant_label

    return quadrant_label(report, quadrant)


def workbook_xlsx(report: Report) -> bytes:
    """The Excel export: one sheet per lane, then one per score table."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    taken: set[str] = set()
    fill = PatternFill("solid", fgColor=rrggbb(report.brand))
    percent = {column_header(report.loc.t(k)) for k in ("detractors", "passives", "promoters")}
    for title, headers, rows in [*lane_tables(report), *score_tables(report)]:
        ws = book.create_sheet(sheet_name(title, taken))
        ws.sheet_view.rightToLeft = report.loc.rtl
        ws.append([column_header(h) for h in headers])
        for cell in ws[1]:
            cell.font = Font(bold=True, color="FFFFFF")
            cell.fill = fill
            cell.alignment = Alignment(vertical="top", wrap_text=True)
            text_cell(cell)
        for row in rows:
            ws.append([_cell(v) for v in row])
        for r in ws.iter_rows(min_row=2):
            for cell in r:
                cell.alignment = Alignment(vertical="top", wrap_text=True)
                text_cell(cell)
                if ws.cell(1, cell.column).value in percent:
                    cell.number_format = "0.0%"
        for i, header in enumerate(headers, start=1):
            longest = max([len(str(header)), *(len(str(row[i - 1] or "")) for row in rows)])
            ws.column_dimensions[get_column_letter(i)].width = min(60, max(8, longest + 2))
        ws.freeze_panes = "A2"
        ws.auto_filter.ref = ws.dimensions
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def rrggbb(colour: str) -> str:
    """``#abc`` or ``#aabbcc`` as Excel's ``AABBCC`` (a workbook may use either form).

    >>> rrggbb("#abc"), rrggbb("#1f4e79")
    ('AABBCC', '1F4E79')
    """
    digits = colour.lstrip("#")
    if len(digits) == 3:
        digits = "".join(c * 2 for c in digits)
    return digits.upper()


def column_header(label: str) -> str:
    """A column header as a sheet shows it: first letter capitalised (``n`` -> ``N``);
    scripts without case (Hebrew) are left as they are."""
    return label[:1].upper() + label[1:]


def _cell(value: Any) -> Any:
    return "" if value is None else value
