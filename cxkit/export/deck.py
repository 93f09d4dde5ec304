"""The PowerPoint deck: 16:9 slides laid out on their own grid, in the report's language.

Takes a :class:`~cxkit.report.sections.Report`, the poster images and the chart images
(drawn by the report's plotly.js, see :func:`cxkit.export.exporter.chart_images`) and
returns the file's bytes. Hebrew paragraphs and tables run right to left.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from typing import Any

from cxkit import analysis
from cxkit.report.sections import Report
from cxkit.workbook.model import Journey

SLIDE_W, SLIDE_H = 13.333, 7.5  # inches, 16:9
MARGIN = 0.6
TITLE_TOP, TITLE_H = 0.32, 0.95
BODY_TOP, BODY_BOTTOM = 1.45, 6.95
FOOTER_TOP, FOOTER_H = 7.02, 0.3
LOGO_W, LOGO_H = 1.7, 0.8
INK, MUTED = "1D2430", "5B6472"


class _Deck:
    """A 16:9 deck laid out on its own grid (no 4:3 placeholders): a brand band, the
    title at the reading start, the logo at the other end, one message per slide, a
    footer; Hebrew paragraphs and tables right to left."""

    def __init__(self, report: Report) -> None:
        from pptx import Presentation
        from pptx.util import Inches

        self.report, self.rtl = report, report.loc.rtl
        self.prs = Presentation()
        self.prs.slide_width, self.prs.slide_height = Inches(SLIDE_W), Inches(SLIDE_H)
        self.brand = report.brand.lstrip("#").upper()
        self.logo = report.logo()

    # ------------------------------------------------------------------ primitives

    def _x(self, left: float, width: float) -> float:
        """``left`` measured from the reading start: mirrored in right to left."""
        return SLIDE_W - left - width if self.rtl else left

    def _text(
        self,
        slide: Any,
        box: tuple[float, float, float, float],
        paragraphs: Sequence[tuple[str, float, bool, str]],
        *,
        anchor_middle: bool = False,
        align: str | None = None,
    ) -> Any:
        """A text box at (left-from-reading-start, top, width, height) inches; paragraphs
        are (text, points, bold, hex colour)."""
        from pptx.dml.color import RGBColor
        from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
        from pptx.util import Inches, Pt

        left, top, width, height = box
        shape = slide.shapes.add_textbox(
            Inches(self._x(left, width)), Inches(top), Inches(width), Inches(height)
        )
        frame = shape.text_frame
        frame.word_wrap = True
        frame.auto_size = None
        frame.vertical_anchor = MSO_ANCHOR.MIDDLE if anchor_middle else MSO_ANCHOR.TOP
        for i, (text, size, bold, colour) in enumerate(paragraphs):
            para = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
            run = para.add_run()
            run.text = text
            run.font.size = Pt(size)
            run.font.bold = bold
            run.font.color.rgb = RGBColor.from_string(colour)
            if align == "center":
                para.alignment = PP_ALIGN.CENTER
            elif self.rtl:
                para.alignment = PP_ALIGN.RIGHT
            if self.rtl:
                para._p.get_or_add_pPr().set("rtl", "1")
            para.space_after = Pt(size * 0.35)
        return shape

    def _rect(self, slide: Any, left: float, top: float, width: float, height: float) -> None:
        from pptx.dml.color import RGBColor
        from pptx.enum.shapes import MSO_SHAPE
        from pptx.util import Inches

        band = slide.shapes.add_shape(
            MSO_SHAPE.RECTANGLE, Inches(left), Inches(top), Inches(width), Inches(height)
        )
        band.fill.solid()
        band.fill.fore_color.rgb = RGBColor.from_string(self.brand)
        band.line.fill.background()

    def _logo(self, slide: Any, box: tuple[float, float, float, float]) -> None:
        """The brand logo fitted into box (left from the reading *end*, top, w, h)."""
        from PIL import Image
        from pptx.util import Inches

        if not self.logo or self.logo[0] == "image/svg+xml":
            return
        left, top, width, height = box
        with Image.open(io.BytesIO(self.logo[1])) as img:
            w, h = img.size
        scale = min(width / w, height / h)
        pw, ph = w * scale, h * scale
        x = left if self.rtl else SLIDE_W - left - pw
        slide.shapes.add_picture(
            io.BytesIO(self.logo[1]),
            Inches(x),
            Inches(top + (height - ph) / 2),
            Inches(pw),
            Inches(ph),
        )

    def slide(self, title: str, notes: str = "") -> Any:
        """A content slide: brand band, title, logo, footer; returns the slide."""
        from pptx.util import Inches, Pt

        slide = self.prs.slides.add_slide(self.prs.slide_layouts[5])  # title only
        self._rect(slide, 0, 0, SLIDE_W, 0.12)
        logo_room = LOGO_W + 0.3 if self.logo else 0
        width = SLIDE_W - 2 * MARGIN - logo_room
        title_shape = slide.shapes.title
        title_shape.left, title_shape.top = Inches(self._x(MARGIN, width)), Inches(TITLE_TOP)
        title_shape.width, title_shape.height = Inches(width), Inches(TITLE_H)
        frame = title_shape.text_frame
        frame.word_wrap = True
        frame.text = title
        from pptx.dml.color import RGBColor
        from pptx.enum.text import MSO_ANCHOR, PP_ALIGN

        frame.vertical_anchor = MSO_ANCHOR.MIDDLE
        for para in frame.paragraphs:
            para.alignment = PP_ALIGN.RIGHT if self.rtl else PP_ALIGN.LEFT
            if self.rtl:
                para._p.get_or_add_pPr().set("rtl", "1")
            for run in para.runs:
                run.font.size = Pt(28 if len(title) < 60 else 22)
                run.font.bold = True
                run.font.color.rgb = RGBColor.from_string(self.brand)
        self._logo(slide, (MARGIN, TITLE_TOP + 0.05, LOGO_W, LOGO_H))
        wb = self.report.wb
        self._text(
            slide,
            (MARGIN, FOOTER_TOP, SLIDE_W - 2 * MARGIN, FOOTER_H),
            [(f"{wb.client.name} · {self.report.loc.date(self.report.day)}", 10, False, MUTED)],
        )
        if notes:
            slide.notes_slide.notes_text_frame.text = notes
        return slide

    def picture(self, slide: Any, png: bytes) -> None:
        """A picture fitted into the body area, centred."""
        from PIL import Image
        from pptx.util import Inches

        box_w, box_h = SLIDE_W - 2 * MARGIN, BODY_BOTTOM - BODY_TOP
        with Image.open(io.BytesIO(png)) as img:
            w, h = img.size
        scale = min(box_w / w, box_h / h)
        pw, ph = w * scale, h * scale
        slide.shapes.add_picture(
            io.BytesIO(png), Inches((SLIDE_W - pw) / 2), Inches(BODY_TOP), Inches(pw), Inches(ph)
        )

    def table(
        self, slide: Any, headers: list[str], rows: list[list[str]], widths: list[float]
    ) -> None:
        """A table in the body area; in right to left the table itself runs right to left
        (its first column on the right), as PowerPoint does for Hebrew."""
        from pptx.dml.color import RGBColor
        from pptx.util import Inches, Pt

        width = SLIDE_W - 2 * MARGIN
        row_h = min(0.5, (BODY_BOTTOM - BODY_TOP) / (len(rows) + 1))
        shape = slide.shapes.add_table(
            len(rows) + 1,
            len(headers),
            Inches(MARGIN),
            Inches(BODY_TOP),
            Inches(width),
            Inches(row_h * (len(rows) + 1)),
        )
        table = shape.table
        if self.rtl:
            table._tbl.tblPr.set("rtl", "1")
        total = sum(widths)
        for c, w in enumerate(widths):
            table.columns[c].width = Inches(width * w / total)
        for r, row in enumerate([headers, *rows]):
            for c, text in enumerate(row):
                cell = table.cell(r, c)
                cell.text = text
                for para in cell.text_frame.paragraphs:
                    if self.rtl:
                        para._p.get_or_add_pPr().set("rtl", "1")
                    for run in para.runs:
                        run.font.size = Pt(14 if r else 13)
                        run.font.bold = r == 0
                        if r == 0:
                            run.font.color.rgb = RGBColor.from_string("FFFFFF")
                if r == 0:
                    cell.fill.solid()
                    cell.fill.fore_color.rgb = RGBColor.from_string(self.brand)

    def title_slide(self) -> None:
        from pptx.util import Inches

        report, wb, t = self.report, self.report.wb, self.report.loc.t
        slide = self.prs.slides.add_slide(self.prs.slide_layouts[5])
        panel = 4.6
        self._rect(slide, SLIDE_W - panel if self.rtl else 0, 0, panel, SLIDE_H)
        left, width = panel + 0.8, SLIDE_W - panel - 1.6
        title = slide.shapes.title
        title.left, title.top = Inches(self._x(left, width)), Inches(2.3)
        title.width, title.height = Inches(width), Inches(1.6)
        title.text_frame.word_wrap = True
        title.text = wb.client.name
        from pptx.dml.color import RGBColor
        from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
        from pptx.util import Pt

        title.text_frame.vertical_anchor = MSO_ANCHOR.BOTTOM
        for para in title.text_frame.paragraphs:
            para.alignment = PP_ALIGN.RIGHT if self.rtl else PP_ALIGN.LEFT
            if self.rtl:
                para._p.get_or_add_pPr().set("rtl", "1")
            for run in para.runs:
                run.font.size, run.font.bold = Pt(40), True
                run.font.color.rgb = RGBColor.from_string(self.brand)
        lines = [(t("report_title"), 22, False, INK)]
        if wb.client.industry:
            lines.append((wb.client.industry, 16, False, MUTED))
        lines.append((report.loc.date(report.day), 16, False, MUTED))
        self._text(slide, (left, 4.05, width, 1.8), lines)
        self._logo(slide, (0.8, 0.7, 2.4, 1.1))


def deck(report: Report, posters: Mapping[str, bytes], charts: Mapping[str, bytes]) -> bytes:
    """The deck: title; personas; per journey (future states too) its map and its emotion
    panel; per current journey one slide per score chart and one of its quick wins only.
    The n and the 95% interval of what a slide shows are in its speaker notes."""
    d = _Deck(report)
    t, wb = report.loc.t, report.wb
    d.title_slide()
    if wb.personas:
        slide = d.slide(t("personas"))
        per = wb.personas[:3]
        col = (SLIDE_W - 2 * MARGIN - 0.4 * (len(per) - 1)) / len(per)
        for i, p in enumerate(per):
            paras = [(p.name, 18, True, d.brand)]
            if p.segment:
                paras.append((p.segment, 13, False, MUTED))
            if p.quote:
                paras.append((f"“{p.quote}”", 15, False, INK))
            for key in ("goals", "frustrations"):
                items = getattr(p, key)
                if items:
                    paras.append((f"{t(key)}: " + "; ".join(items[:3]), 13, False, INK))
            d._text(slide, (MARGIN + i * (col + 0.4), BODY_TOP, col, BODY_BOTTOM - BODY_TOP), paras)
    for group in report.groups:
        main = group[0]
        scores = report.scores_for(main)
        for j in group:
            state = t("future_state" if j.state.value == "future" else "current_state")
            stats = analysis.journey_stats(j)
            png = posters.get(j.id)
            if png:
                notes = (
                    f"{j.title} ({state}): {stats.stages} {t('stages')}, "
                    f"{stats.touchpoints} {t('touchpoints')}, "
                    f"{stats.pain_points} {t('pain_points')}."
                )
                d.picture(d.slide(f"{t('journey_map')}: {j.title} · {state}", notes), png)
            png = charts.get(f"emotion-{j.id}")
            if png:
                notes = t("no_surveys")
                if scores and j is main and report.data:
                    notes = _emotion_notes(report, main)
                d.picture(d.slide(f"{t('emotion_curve')}: {j.title} · {state}", notes), png)
        if scores:
            for key, _ in report.score_figures(main):
                png = charts.get(f"score-{main.id}-{key}")
                if not png:
                    continue
                label = t("nps_composition") if key == "nps-mix" else t(key)
                d.picture(d.slide(f"{label}: {main.title}", _score_notes(report, main, key)), png)
        quick = [r for r in analysis.rank_opportunities(main) if r.quadrant == "quick-win"]
        if quick:
            slide = d.slide(
                f"{t('top_quick_wins')}: {main.title}",
                f"{t('quick_wins')}: {t('impact')} ≥ 4, {t('effort')} ≤ 2 ({len(quick)}).",
            )
            d.table(
                slide,
                [t("rank"), t("opportunity"), t("impact"), t("effort"), t("owner")],
                [
                    [
                        str(r.rank),
                        r.opportunity.title,
                        str(r.opportunity.impact),
                        str(r.opportunity.effort),
                        r.opportunity.owner or "",
                    ]
                    for r in quick[:QUICK_WINS]
                ],
                [0.6, 6.0, 1.1, 1.1, 2.6],
            )
    buf = io.BytesIO()
    d.prs.save(buf)
    return buf.getvalue()


QUICK_WINS = 8


def _score_notes(report: Report, journey: Journey, key: str) -> str:
    """Speaker notes for a score chart: each stage's score, its 95% interval and n."""
    loc, t = report.loc, report.loc.t
    scores = report.scores_for(journey)
    if scores is None:
        return ""
    if key == "nps-mix":
        return "\n".join(
            f"{m.label}: {t('detractors')} {loc.number(m.detractors * 100, 0)}%, "
            f"{t('passives')} {loc.number(m.passives * 100, 0)}%, "
            f"{t('promoters')} {loc.number(m.promoters * 100, 0)}% (n={m.n})"
            for m in scores.nps_mix
        )
    digits = 0 if key == "nps" else 2
    lines = []
    for b in scores.by_stage.get(key, []):
        interval = (
            f"{t('interval')} {loc.number(b.low, digits)} – {loc.number(b.high, digits)}, "
            if b.low is not None and b.high is not None
            else ""
        )
        lines.append(f"{b.label}: {t(key)} {loc.number(b.value, digits)} ({interval}n={b.n})")
    return "\n".join(lines)


def _emotion_notes(report: Report, journey: Journey) -> str:
    """Speaker notes for the emotion panel: the headline scores behind the measured line."""
    loc, t = report.loc, report.loc.t
    lines = [t("measured_emotion") + ":"]
    for h in report.data.headline if report.data else []:
        digits = 0 if h.key == "nps" else 2
        interval = (
            f"{t('interval')} {loc.number(h.low, digits)} – {loc.number(h.high, digits)}, "
            if h.low is not None and h.high is not None
            else ""
        )
        lines.append(f"{t(h.key)} {loc.number(h.value, digits)} ({interval}n={h.n})")
    return "\n".join(lines)
