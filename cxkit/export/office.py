"""Office exports: the Excel workbook of lanes and scores, and the PowerPoint deck.

Both take a :class:`~cxkit.report.sections.Report` and return the file's bytes.
Every label comes from the report's locale; Hebrew sheets run right to left. Text
cells are written as text, never as formulas (:mod:`cxkit._spreadsheet`).
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from cxkit import analysis
from cxkit._spreadsheet import text_cell
from cxkit.report.sections import Report
from cxkit.workbook.model import Journey

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
    percent = {report.loc.t(k) for k in ("detractors", "passives", "promoters")}
    for title, headers, rows in [*lane_tables(report), *score_tables(report)]:
        ws = book.create_sheet(sheet_name(title, taken))
        ws.sheet_view.rightToLeft = report.loc.rtl
        ws.append(headers)
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


def _cell(value: Any) -> Any:
    return "" if value is None else value


# --------------------------------------------------------------------------- PowerPoint

SLIDE_W, SLIDE_H = 13.333, 7.5  # inches, 16:9
QUICK_WINS = 5


def deck(report: Report, posters: Mapping[str, bytes], emotions: Mapping[str, bytes]) -> bytes:
    """A short deck: title, personas, then per journey its poster, emotion curve,
    scores and top quick wins."""
    from pptx import Presentation
    from pptx.util import Inches

    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(SLIDE_W), Inches(SLIDE_H)
    t, wb = report.loc.t, report.wb
    slide = prs.slides.add_slide(prs.slide_layouts[0])
    slide.shapes.title.text = wb.client.name
    subtitle = [t("report_title"), report.loc.date(report.day)]
    if wb.client.industry:
        subtitle.insert(1, wb.client.industry)
    slide.placeholders[1].text = "\n".join(subtitle)
    _rtl(report, slide.shapes)
    if wb.personas:
        lines: list[tuple[str, int]] = []
        for p in wb.personas:
            lines.append((p.name + (f" · {p.segment}" if p.segment else ""), 0))
            if p.quote:
                lines.append((f"“{p.quote}”", 1))
            if p.goals:
                lines.append((f"{t('goals')}: " + "; ".join(p.goals), 1))
        _bullets(report, prs, t("personas"), lines)
    for group in report.groups:
        j = group[0]
        _picture(report, prs, f"{t('journey_map')}: {j.title}", posters.get(j.id))
        _picture(report, prs, f"{t('emotion_curve')}: {j.title}", emotions.get(j.id))
        _scores_slide(report, prs, j)
        quick = analysis.rank_opportunities(j)[:QUICK_WINS]
        if quick:
            _bullets(
                report,
                prs,
                f"{t('top_quick_wins')}: {j.title}",
                [
                    (
                        f"{r.rank}. {r.opportunity.title} "
                        f"({t('impact')} {r.opportunity.impact}, {t('effort')} "
                        f"{r.opportunity.effort}; {_quadrant(report, r.quadrant)})",
                        0,
                    )
                    for r in quick
                ],
            )
    buf = io.BytesIO()
    prs.save(buf)
    return buf.getvalue()


def _title_only(prs: Any, title: str) -> Any:
    slide = prs.slides.add_slide(prs.slide_layouts[5])  # title only
    slide.shapes.title.text = title
    return slide


def _rtl(report: Report, shapes: Iterable[Any]) -> None:
    """Right-to-left paragraphs (and right alignment) for Hebrew text frames."""
    if not report.loc.rtl:
        return
    from pptx.enum.text import PP_ALIGN

    for shape in shapes:
        if not getattr(shape, "has_text_frame", False):
            continue
        for para in shape.text_frame.paragraphs:
            para.alignment = PP_ALIGN.RIGHT
            para._p.get_or_add_pPr().set("rtl", "1")


def _bullets(report: Report, prs: Any, title: str, lines: Sequence[tuple[str, int]]) -> None:
    from pptx.util import Pt

    slide = prs.slides.add_slide(prs.slide_layouts[1])  # title and content
    slide.shapes.title.text = title
    body = slide.placeholders[1]
    frame = body.text_frame
    frame.clear()
    for i, (text, level) in enumerate(lines):
        para = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        para.text = text
        para.level = level
        para.font.size = Pt(20 if level == 0 else 16)
    _rtl(report, slide.shapes)


def _picture(report: Report, prs: Any, title: str, png: bytes | None) -> None:
    from PIL import Image
    from pptx.util import Emu, Inches

    if not png:
        return
    slide = _title_only(prs, title)
    _rtl(report, slide.shapes)
    top, margin = Inches(1.4), Inches(0.4)
    box_w, box_h = prs.slide_width - 2 * margin, prs.slide_height - top - margin
    with Image.open(io.BytesIO(png)) as img:
        w, h = img.size
    scale = min(box_w / w, box_h / h)
    width, height = Emu(int(w * scale)), Emu(int(h * scale))
    left = Emu(int((prs.slide_width - width) / 2))
    slide.shapes.add_picture(io.BytesIO(png), left, top, width, height)


def _scores_slide(report: Report, prs: Any, journey: Journey) -> None:
    from pptx.util import Inches, Pt

    t = report.loc.t
    scores = report.scores_for(journey)
    rows: list[list[str]] = []
    if scores:
        for metric, bars in scores.by_stage.items():
            digits = 0 if metric == "nps" else 2
            for b in bars:
                interval = (
                    f"{report.loc.number(b.low, digits)} – {report.loc.number(b.high, digits)}"
                    if b.low is not None and b.high is not None
                    else ""
                )
                rows.append(
                    [t(metric), b.label, report.loc.number(b.value, digits), interval, str(b.n)]
                )
    if not rows:
        return
    rows = rows[:14]
    slide = _title_only(prs, f"{t('scores')}: {journey.title}")
    _rtl(report, slide.shapes)
    headers = ["", t("stage"), t("score"), t("interval"), t("n")]
    if report.loc.rtl:  # a table has no direction in python-pptx: mirror the columns
        headers, rows = headers[::-1], [r[::-1] for r in rows]
    shape = slide.shapes.add_table(
        len(rows) + 1,
        len(headers),
        Inches(0.5),
        Inches(1.4),
        prs.slide_width - Inches(1.0),
        Inches(0.35) * (len(rows) + 1),
    )
    table = shape.table
    for c, text in enumerate(headers):
        table.cell(0, c).text = text
    for r, row in enumerate(rows, start=1):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    for row in table.rows:
        for cell in row.cells:
            for para in cell.text_frame.paragraphs:
                para.font.size = Pt(13)
