"""Exports of a client's journey work: PDF, poster PNG, Excel, Markdown, Mermaid, PowerPoint.

:func:`export` is the one entry point (``cxkit export WORKBOOK --to FORMAT``):

- ``pdf``: the journey report printed by headless Chromium: A4 portrait, each
  journey-map poster on its own A3 landscape page, charts laid out at the printed
  width (none cut off at the margin).
- ``png``: each journey's poster as an image for slides (one file per journey).
- ``xlsx``: every poster lane and every score table, one sheet each, headers in
  the report's language (:mod:`cxkit.export.office`).
- ``md``: a Markdown summary: headline scores, personas, and per journey the
  numbers at a glance, moments of truth, top pain points and opportunities.
- ``mermaid``: a Mermaid ``journey`` diagram per journey (one ``.mmd`` file each).
  Mermaid scores tasks 1..5; cxkit's emotion -2..+2 maps onto it as
  ``emotion + 3`` (-2 -> 1, 0 -> 3, +2 -> 5); a touchpoint without an emotion is 3.
- ``pptx``: a short deck (:mod:`cxkit.export.office`).

The report's HTML is built in-process from the same sections the report notebook
shows (:class:`~cxkit.report.sections.Report`) and converted with the report's
own nbconvert template, so the PDF matches ``cxkit report`` without a kernel.
Every piece of workbook text is escaped for its target: HTML by the templates,
Markdown by :func:`md_text`, Mermaid by :func:`mermaid_text`.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Sequence
from pathlib import Path

from cxkit import journeymap
from cxkit.errors import BrowserError, ExportError
from cxkit.export.browser import Browser, Page, supported
from cxkit.export.text import (
    markdown,
    md_text,
    mermaid,
    mermaid_score,
    mermaid_text,
    quadrant_label,
)
from cxkit.report.pipeline import client_name
from cxkit.report.sections import Report
from cxkit.workbook.model import Journey, State

__all__ = [
    "FORMATS",
    "ExportError",
    "export",
    "load",
    "markdown",
    "md_text",
    "mermaid",
    "mermaid_score",
    "mermaid_text",
    "output_paths",
    "pdf",
    "quadrant_label",
]

FORMATS = ("pdf", "png", "xlsx", "md", "mermaid", "pptx")
SUFFIXES = {
    "pdf": ".pdf",
    "png": ".png",
    "xlsx": ".xlsx",
    "md": ".md",
    "mermaid": ".mmd",
    "pptx": ".pptx",
}
NEEDS_CHROMIUM = frozenset({"pdf", "png", "pptx"})
CHROMIUM_EXPORT_HELP = (
    "The {fmt} export draws the report in a browser (the md, mermaid and xlsx exports need none)"
)
POSTER_SCALE = 2.0  # device pixels per CSS pixel in poster images (sharp on slides)
MAX_IMAGE_PX = 8000


# --------------------------------------------------------------------------- entry point


def load(
    workbook: str | Path, *, language: str | None = None, report_date: str | None = None
) -> Report:
    """The workbook, its survey scores and findings, as the report sees them."""
    return Report.load(workbook, language=language, report_date=report_date)


def output_paths(
    report: Report, fmt: str, output: str | Path | None, keys: Sequence[str] = ()
) -> list[Path]:
    """Where ``fmt`` goes: ``output`` (a file, or a folder), else ``reports/<client>``.

    ``keys`` (journey ids) ask for one file each: ``<stem>-<key><suffix>``, or
    exactly ``output`` when there is only one.
    """
    suffix = SUFFIXES[fmt]
    name = client_name(report.path)
    if report.loc.lang != report.wb.client.language.value:
        name = f"{name}.{report.loc.lang}"
    if output is None:
        base = Path("reports") / f"{name}{suffix}"
    else:
        out = Path(output)
        is_dir = out.is_dir() or str(output).endswith(("/", "\\")) or not out.suffix
        base = out / f"{name}{suffix}" if is_dir else out
    if len(keys) <= 1:
        return [base]
    return [base.with_name(f"{base.stem}-{key}{base.suffix}") for key in keys]


def export(
    workbook: str | Path,
    fmt: str,
    output: str | Path | None = None,
    *,
    language: str | None = None,
    chromium: str | None = None,
    report_date: str | None = None,
    browser: Browser | None = None,
) -> list[Path]:
    """Write ``workbook`` as ``fmt`` (one of :data:`FORMATS`); returns the files written.

    ``browser`` (an open :class:`~cxkit.export.browser.Browser`) is reused for the
    Chromium formats; by default each export starts and closes its own.
    """
    from cxkit._files import atomic_write

    if fmt not in FORMATS:
        raise ExportError(f"unknown export format '{fmt}'; use one of {', '.join(FORMATS)}")
    report = load(workbook, language=language, report_date=report_date)
    if fmt == "md":
        [path] = output_paths(report, fmt, output)
        atomic_write(path, markdown(report), backup=False)
        return [path]
    if fmt == "mermaid":
        diagrams = mermaid(report)
        paths = output_paths(report, fmt, output, list(diagrams))
        for path, text in zip(paths, diagrams.values(), strict=True):
            atomic_write(path, text, backup=False)
        return paths
    if fmt == "xlsx":
        from cxkit.export.office import workbook_xlsx

        [path] = output_paths(report, fmt, output)
        atomic_write(path, workbook_xlsx(report), backup=False)
        return [path]

    with contextlib.ExitStack() as stack:
        if browser is None and (fmt != "pdf" or supported()):
            browser = stack.enter_context(Browser(chromium))
        if fmt == "pdf":
            [path] = output_paths(report, fmt, output)
            atomic_write(path, pdf(report, chromium=chromium, browser=browser), backup=False)
            return [path]
        assert browser is not None
        posters = poster_images(report, browser)
        if fmt == "png":
            paths = output_paths(report, fmt, output, list(posters))
            for path, png in zip(paths, posters.values(), strict=True):
                atomic_write(path, png, backup=False)
            return paths
        from cxkit.export.deck import deck

        [path] = output_paths(report, fmt, output)
        data = deck(report, posters, chart_images(report, browser))
        atomic_write(path, data, backup=False)
        return [path]


# --------------------------------------------------------------------------- HTML pages


def report_html(report: Report) -> str:
    """The full journey report (one offline HTML file), built without a kernel."""
    import nbformat

    from cxkit.report.pipeline import META_MIME, renderer

    nb = nbformat.v4.new_notebook()
    for block in report.all():
        data: dict[str, object] = {"text/html": block.html}
        if block.meta is not None:
            data[META_MIME] = block.meta
        cell = nbformat.v4.new_code_cell("")
        cell.outputs = [nbformat.v4.new_output("display_data", data=data)]
        nb.cells.append(cell)
    return renderer().to_html(nb)


def _page(report: Report, body: str, *, charts_js: bool = False, extra_css: str = "") -> str:
    from cxkit.report.pipeline import _static

    static = _static()
    return journeymap.render(
        "export_page.html.j2",
        loc=report.loc,
        css=static["css"],
        brand=report.brand,
        brand2=report.brand2,
        extra_css=extra_css,
        body=body,
        scripts=[static["plotly_js"], static["boot_js"]] if charts_js else [],
    )


POSTER_CSS = """
body { background: #fff; }
.cx-report { max-width: none; box-shadow: none; padding: 24px; }
.cx-poster-page { margin: 0 0 24px; padding: 4px; background: #fff; }
.cx-poster-wrap { overflow: visible; }
"""


def poster_page(report: Report) -> str:
    """Every journey's poster (with its title) on one page, each in ``#poster-<journey>``."""
    t = report.loc.t
    parts = []
    for group in report.groups:
        main = group[0]
        scores = report.scores_for(main)
        for j in group:  # the current state, then the future states that redesign it
            html = journeymap.poster(
                j,
                report.loc,
                persona=report.wb.persona(j.persona) if j.persona in report.names else None,
                measured=scores.measured_emotion if scores and j is main else None,
                content=report.content_lang,
            )
            state = t("future_state" if j.state is State.FUTURE else "current_state")
            parts.append(_poster_section(j, t("journey_map"), state, html))
    return _page(report, "".join(parts), extra_css=POSTER_CSS)


def poster_ids(report: Report) -> list[str]:
    """The journeys that get a poster, in report order (future states after their current)."""
    return [j.id for group in report.groups for j in group]


def _poster_section(journey: Journey, label: str, state: str, html: str) -> str:
    from markupsafe import Markup

    return journeymap.render(
        "poster_section.html.j2", journey=journey, label=label, state=state, poster=Markup(html)
    )


def chart_ids(report: Report) -> list[str]:
    """The charts the deck shows as pictures, in deck order: per journey (future states
    included) its emotion panel, then the current state's score charts."""
    ids = []
    for group in report.groups:
        ids += [f"emotion-{j.id}" for j, _ in report.emotion_figures(group)]
        ids += [f"score-{group[0].id}-{key}" for key, _ in report.score_figures(group[0])]
    return ids


def chart_page(report: Report) -> str:
    """The deck's charts, each drawn by the report's own plotly.js in ``#<chart id>``."""
    parts = []
    for group in report.groups:
        t = report.loc.t
        figs = [
            (f"emotion-{j.id}", t("emotion_chart_alt", journey=j.title), fig)
            for j, fig in report.emotion_figures(group)
        ]
        figs += [
            (
                f"score-{group[0].id}-{key}",
                t("nps_composition") if key == "nps-mix" else t("score_chart_alt", metric=t(key)),
                fig,
            )
            for key, fig in report.score_figures(group[0])
        ]
        for chart_id, alt, fig in figs:
            fig["layout"]["title"] = {"text": ""}
            parts.append(str(report.chart(fig, chart_id=chart_id, alt=alt)))
    return _page(report, "".join(parts), charts_js=True, extra_css=POSTER_CSS)


# --------------------------------------------------------------------------- browser exports


def pdf(report: Report, *, chromium: str | None = None, browser: Browser | None = None) -> bytes:
    """The report printed to PDF (A4; posters on A3 landscape pages)."""
    import tempfile

    html = report_html(report)
    with tempfile.TemporaryDirectory(prefix="cxkit-export-") as tmp:
        src = Path(tmp) / f"{client_name(report.path)}.html"
        src.write_text(html, "utf-8")
        if browser is None and not supported():
            from cxkit.report.pipeline import print_pdf

            return print_pdf(src, Path(tmp) / "out.pdf", chromium=chromium).read_bytes()
        with contextlib.ExitStack() as stack:
            if browser is None:
                browser = stack.enter_context(Browser(chromium))
            page = browser.open(src)
            _wait_for_charts(page)
            data = page.pdf()
            page.close()
            return data


def _wait_for_charts(page: Page) -> None:
    drawn = page.evaluate(
        "document.querySelectorAll('.cx-chart-data').length === "
        "document.querySelectorAll('.cx-chart[data-drawn]').length"
    )
    if not drawn:
        raise BrowserError("some charts could not be drawn")


def poster_images(report: Report, browser: Browser) -> dict[str, bytes]:
    """journey id -> PNG of its poster at its natural width (at least 1600 px)."""
    import tempfile

    with tempfile.TemporaryDirectory(prefix="cxkit-export-") as tmp:
        src = Path(tmp) / "posters.html"
        src.write_text(poster_page(report), "utf-8")
        page = browser.open(src, width=1600, height=1000)
        natural = page.evaluate(
            "Math.max(0, ...[...document.querySelectorAll('.cx-poster')].map(p => p.scrollWidth))"
        )
        width = max(1600, int(natural or 0) + 60)
        if width > 1600:
            page.resize(width, 1000)
            page.settle()
        images = {}
        for jid in poster_ids(report):
            box = page.box(f"#poster-{_css_id(jid)}")
            scale = min(POSTER_SCALE, MAX_IMAGE_PX / max(box["width"], box["height"], 1))
            images[jid] = page.screenshot(selector=f"#poster-{_css_id(jid)}", scale=scale)
        page.close()
    return images


def chart_images(report: Report, browser: Browser) -> dict[str, bytes]:
    """chart id -> PNG (1200 px wide, drawn by plotly.js) of every chart in
    :func:`chart_ids`: emotion panels of every journey, future states included, and the
    score charts."""
    import tempfile

    with tempfile.TemporaryDirectory(prefix="cxkit-export-") as tmp:
        src = Path(tmp) / "charts.html"
        src.write_text(chart_page(report), "utf-8")
        page = browser.open(src, width=1248, height=900)
        _wait_for_charts(page)
        images = {
            cid: page.screenshot(selector=f"#{_css_id(cid)}", scale=1.5)
            for cid in chart_ids(report)
        }
        page.close()
    return images


def _css_id(ident: str) -> str:
    return re.sub(r"([^A-Za-z0-9_-])", r"\\\1", ident)
