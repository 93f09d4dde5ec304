"""``cxkit export``: every format written once per session and read back as its reader would.

Two samples cover both languages (caravan-holiday in Hebrew, credit-card-renewal in
English); pension-withdrawal adds a future-state journey; a made-up workbook full of
Markdown and Mermaid syntax checks the escaping. The Chromium formats (pdf, png,
pptx) share one export per sample and follow the ``chromium`` fixture's rule.
"""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from cxkit.analysis import rank_opportunities
from cxkit.export import exporter as exports
from cxkit.export.office import column_header as header
from cxkit.i18n import locale
from cxkit.workbook.yamlfile import load_workbook
from tests.conftest import ROOT, cxkit

SAMPLES = ROOT / "data" / "samples"
HE, EN, FUTURE = "caravan-holiday", "credit-card-renewal", "pension-withdrawal"
HOSTILE = "a: b # c; d | e *f* _g_ <script>x</script> [h](i) %%j, k"
MM2 = 25.4 / 72  # PDF points -> millimetres


def _wb(name: str) -> Any:
    return load_workbook(SAMPLES / name / "workbook.yml")


@pytest.fixture(scope="session")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("hostile")
    tp = {"id": "t", "name": HOSTILE, "channel": "web", "emotion": -2, "pain_points": [HOSTILE]}
    wb = {
        "cxkit": 1,
        "client": {"name": HOSTILE, "description": HOSTILE},
        "personas": [{"id": "p", "name": HOSTILE, "quote": HOSTILE, "goals": [HOSTILE]}],
        "journeys": [
            {
                "id": "j",
                "title": HOSTILE,
                "persona": "p",
                "stages": [
                    {
                        "id": "s",
                        "name": HOSTILE,
                        "touchpoints": [tp, {**tp, "id": "u", "pain_points": [HOSTILE]}],
                    },
                    {
                        "id": "v",
                        "name": "plain",
                        "touchpoints": [{"id": "w", "name": "no emotion", "channel": "mail"}],
                    },
                ],
                "opportunities": [
                    {"id": "o", "title": HOSTILE, "touchpoints": ["t"], "impact": 5, "effort": 1}
                ],
            }
        ],
    }
    with (folder / "workbook.yml").open("w", encoding="utf-8") as fh:
        YAML().dump(wb, fh)
    return folder


@pytest.fixture(scope="session")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("exports")


@pytest.fixture(scope="session")
def offline(out: Path) -> dict[tuple[str, str], list[Path]]:
    """md, mermaid and xlsx of the samples (no browser needed)."""
    return {
        (name, fmt): exports.export(SAMPLES / name, fmt, out / fmt, report_date="2026-03-05")
        for name in (HE, EN, FUTURE)
        for fmt in ("md", "mermaid", "xlsx")
    }


@pytest.fixture(scope="session")
def browser_exports(chromium: str, out: Path) -> dict[tuple[str, str], list[Path]]:
    """pdf, png and pptx of a Hebrew and an English sample (and png of a future state)."""
    from cxkit.export.browser import Browser

    with Browser(chromium) as browser:  # one browser for every export
        done = {
            (name, fmt): exports.export(
                SAMPLES / name, fmt, out / fmt, browser=browser, report_date="2026-03-05"
            )
            for name in (HE, EN)
            for fmt in ("pdf", "png", "pptx")
        }
        done[(FUTURE, "png")] = exports.export(
            SAMPLES / FUTURE, "png", out / "png", browser=browser
        )
    return done


# --------------------------------------------------------------------------- xlsx


@pytest.mark.parametrize("name", [HE, EN])
def test_xlsx_has_every_lane_and_score_table_with_headers_in_the_language(
    offline: dict[tuple[str, str], list[Path]], name: str
) -> None:
    from openpyxl import load_workbook as open_xlsx

    wb = _wb(name)
    t = locale(wb.client.language.value).t
    [path] = offline[(name, "xlsx")]
    book = open_xlsx(path)
    lanes = [
        "lane_touchpoints",
        "lane_actions",
        "lane_questions",
        "lane_expectation",
        "lane_emotion",
        "lane_pain_points",
        "lane_opportunities",
        "lane_backstage",
    ]
    assert book.sheetnames[: len(lanes)] == [t(k) for k in lanes]
    assert {t("nps"), t("csat")} <= set(book.sheetnames)  # both samples have NPS and CSAT
    tps = [(s, tp) for j in wb.journeys for s, tp in j.touchpoints()]
    emotion = book[t("lane_emotion")]
    assert [c.value for c in emotion[1]] == [
        header(t("journey")),
        header(t("stage")),
        header(t("touchpoint")),
        header(t("assumed")),
        header(t("measured")),
    ]
    assert emotion.max_row == 1 + len(tps)
    assert [r[3] for r in emotion.iter_rows(min_row=2, values_only=True)] == [
        tp.emotion for _, tp in tps
    ]
    assert any(r[4] is not None for r in emotion.iter_rows(min_row=2, values_only=True))
    pains = book[t("lane_pain_points")]
    assert pains.max_row == 1 + sum(len(tp.pain_points) for _, tp in tps)
    opps = book[t("lane_opportunities")]
    assert [r[2] for r in opps.iter_rows(min_row=2, values_only=True)] == [
        r.opportunity.title for j in wb.journeys for r in rank_opportunities(j)
    ]
    nps = book[t("nps")]
    assert [c.value for c in nps[1]][2:] == [
        header(t("score")),
        header(t("interval_low")),
        header(t("interval_high")),
        "N",
    ]
    for _, _, score, low, high, n in nps.iter_rows(min_row=2, values_only=True):
        assert low <= score <= high and isinstance(n, int) and n > 0
    for ws in book.worksheets:
        assert ws.sheet_view.rightToLeft == (wb.client.language.value == "he")
        for cell in ws[1]:  # headers start with a capital where the script has case
            first = str(cell.value)[:1]
            assert first == first.upper(), (ws.title, cell.value)


# --------------------------------------------------------------------------- md / mermaid


def test_markdown_summary(offline: dict[tuple[str, str], list[Path]]) -> None:
    [path] = offline[(EN, "md")]
    text = path.read_text("utf-8")
    wb = _wb(EN)
    assert text.startswith(f"# {wb.client.name} · Customer journey report\n")
    assert "## Headline scores" in text and "| NPS |" in text
    for p in wb.personas:
        assert f"### {p.name}" in text
    top = rank_opportunities(wb.journeys[0])[0].opportunity.title
    assert f"| 1 | {exports.md_text(top)} |" in text
    [he] = offline[(HE, "md")]
    assert "## פרסונות" in he.read_text("utf-8")
    [future] = offline[(FUTURE, "md")]
    future_text = future.read_text("utf-8")
    for j in _wb(FUTURE).journeys:  # every journey, future states included
        assert f"## Journey: {exports.md_text(j.title)} · " in future_text
    assert "· Future state" in future_text


def test_markdown_escapes_workbook_text(hostile: Path, tmp_path: Path) -> None:
    [path] = exports.export(hostile, "md", tmp_path / "x.md")
    text = path.read_text("utf-8")
    assert "<script>" not in text and "\\<script\\>" in text
    assert "*f*" not in text and "[h](i)" not in text
    table = [line for line in text.splitlines() if line.startswith("| 1 |")]
    assert len(table) == 1
    assert len(re.findall(r"(?<!\\)\|", table[0])) == 7  # the row's own 6 cells, no more
    title = next(h for h in text.splitlines() if h.startswith("#"))
    assert len(re.findall(r"(?<!\\)#", title)) == 1


MERMAID_TASK = re.compile(r"^      ([^:]+): ([1-5]): ([^:,]+)$")


def test_mermaid_journey_per_journey(offline: dict[tuple[str, str], list[Path]]) -> None:
    for name in (HE, EN, FUTURE):
        wb = _wb(name)
        paths = offline[(name, "mermaid")]
        every = [
            j
            for c in wb.journeys
            if not c.redesigns
            for j in (c, *(f for f in wb.journeys if f.redesigns == c.id))
        ]
        assert len(paths) == len(every)  # future states too
        for path, journey in zip(paths, every, strict=True):
            lines = path.read_text("utf-8").splitlines()
            assert lines[0] == "journey" and lines[1].startswith("    title ")
            sections = [x for x in lines if x.startswith("    section ")]
            assert len(sections) == sum(1 for s in journey.stages if s.touchpoints)
            tasks = [MERMAID_TASK.match(x) for x in lines if x.startswith("      ")]
            assert all(tasks)
            scores = [int(m.group(2)) for m in tasks if m]
            assert scores == [
                3 if tp.emotion is None else tp.emotion + 3 for _, tp in journey.touchpoints()
            ]


def test_mermaid_neutralises_syntax(hostile: Path, tmp_path: Path) -> None:
    [path] = exports.export(hostile, "mermaid", tmp_path / "x.mmd")
    lines = path.read_text("utf-8").splitlines()
    tasks = [x for x in lines if x.startswith("      ")]
    assert [MERMAID_TASK.match(x) is not None for x in tasks] == [True, True, True]
    assert [int(MERMAID_TASK.match(x).group(2)) for x in tasks] == [1, 1, 3]  # type: ignore[union-attr]
    body = "\n".join(lines)
    assert "#" not in body and ";" not in body and "%%" not in body and "<script" not in body
    assert exports.mermaid_score(-2) == 1 and exports.mermaid_score(2) == 5


# --------------------------------------------------------------------------- pdf / png / pptx


@pytest.mark.parametrize("name", [HE, EN])
def test_pdf_is_a4_with_each_poster_on_an_a3_landscape_page(
    browser_exports: dict[tuple[str, str], list[Path]], name: str
) -> None:
    from pypdf import PdfReader

    [path] = browser_exports[(name, "pdf")]
    reader = PdfReader(path)
    sizes = [
        (round(float(p.mediabox.width) * MM2), round(float(p.mediabox.height) * MM2))
        for p in reader.pages
    ]
    assert len(sizes) >= 8
    a3 = [i for i, s in enumerate(sizes) if s == (420, 297)]
    assert len(a3) == len(_wb(name).journeys)
    assert all(s == (210, 297) for i, s in enumerate(sizes) if i not in a3)
    if name == EN:  # pypdf reads English text in order; Hebrew comes out in visual order
        wb = _wb(name)
        text = [p.extract_text() for p in reader.pages]
        assert wb.client.name in text[0]
        poster = text[a3[0]]
        for stage in wb.journeys[0].stages:
            assert stage.name.split()[0] in poster
        # the text ends with the method; the A3 maps close the report
        assert "Method and data" in text[a3[0] - 1] and a3[-1] == len(sizes) - 1


def test_png_is_one_poster_image_per_journey(
    browser_exports: dict[tuple[str, str], list[Path]],
) -> None:
    from PIL import Image

    for name in (HE, EN, FUTURE):
        paths = browser_exports[(name, "png")]
        assert len(paths) == len(_wb(name).journeys)
        for path in paths:
            with Image.open(path) as img:
                assert img.format == "PNG"
                w, h = img.size
                assert w >= 1600 * 1.5 and 600 < h < w
                assert len(img.convert("RGB").getcolors(1 << 20) or []) > 50  # not blank
    multi = browser_exports[(FUTURE, "png")]
    assert [p.name for p in multi] == [
        f"{FUTURE}-{j.id}.png" for j in _wb(FUTURE).journeys if not j.redesigns
    ] + [f"{FUTURE}-{j.id}.png" for j in _wb(FUTURE).journeys if j.redesigns]


def _boxes_overlap(a: Any, b: Any) -> bool:
    w = min(a.left + a.width, b.left + b.width) - max(a.left, b.left)
    h = min(a.top + a.height, b.top + b.height) - max(a.top, b.top)
    return w > 0 and h > 0


@pytest.mark.parametrize("name", [HE, EN])
def test_pptx_deck(browser_exports: dict[tuple[str, str], list[Path]], name: str) -> None:
    from pptx import Presentation
    from pptx.enum.shapes import MSO_SHAPE_TYPE

    [path] = browser_exports[(name, "pptx")]
    wb = _wb(name)
    rtl = wb.client.language.value == "he"
    t = locale(wb.client.language.value).t
    deck = Presentation(str(path))
    assert abs(deck.slide_width / deck.slide_height - 16 / 9) < 0.001  # 13.333 x 7.5 in
    slides = list(deck.slides)
    titles = [s.shapes.title.text if s.shapes.title else "" for s in slides]
    assert titles[0] == wb.client.name
    assert titles[1] == t("personas")
    texts = "\n".join(
        sh.text_frame.text for s in slides for sh in s.shapes if getattr(sh, "has_text_frame", 0)
    )
    for p in wb.personas:
        assert p.name in texts
    for s in slides:  # every shape inside the slide, no two text boxes over each other
        for sh in s.shapes:
            assert sh.left >= 0 and sh.top >= 0, sh.name
            assert (
                sh.left + sh.width <= deck.slide_width and sh.top + sh.height <= deck.slide_height
            )
        boxes = [sh for sh in s.shapes if getattr(sh, "has_text_frame", 0) and sh.text_frame.text]
        for i, a in enumerate(boxes):
            for b in boxes[i + 1 :]:
                assert not _boxes_overlap(a, b), (a.text_frame.text[:30], b.text_frame.text[:30])
        pictures = [sh for sh in s.shapes if sh.shape_type == MSO_SHAPE_TYPE.PICTURE]
        for pic in pictures:
            assert all(not _boxes_overlap(pic, b) for b in boxes), "a picture under text"
    every = [j for j in wb.journeys]
    journey_maps = [x for x in titles if x.startswith(t("journey_map"))]
    emotion = [x for x in titles if x.startswith(t("emotion_curve"))]
    assert len(journey_maps) == len(every) and len(emotion) == len(every)  # future states too
    # one message per slide: a chart slide shows one picture, its n and interval in the notes
    for s in slides[2:]:
        pictures = [
            sh for sh in s.shapes if sh.shape_type == MSO_SHAPE_TYPE.PICTURE and sh.top > 900000
        ]
        assert len(pictures) <= 1
    score_slides = [s for s, x in zip(slides, titles, strict=True) if x.startswith(t("nps") + ":")]
    assert score_slides
    for s in score_slides:
        notes = s.notes_slide.notes_text_frame.text
        assert "n=" in notes and t("interval") in notes
    # quick wins only on the quick-wins slide
    main = [j for j in wb.journeys if not j.redesigns]
    quick = [s for s, x in zip(slides, titles, strict=True) if x.startswith(t("top_quick_wins"))]
    assert quick
    ranked = rank_opportunities(main[0])
    shown = "\n".join(
        c.text for sh in quick[0].shapes if sh.has_table for r in sh.table.rows for c in r.cells
    )
    for r in ranked:
        assert (r.opportunity.title in shown) == (r.quadrant == "quick-win"), r.opportunity.title
    assert "•" not in shown and "1." not in shown
    # Hebrew: every paragraph and every table right to left
    if rtl:
        for s in slides:
            for sh in s.shapes:
                if getattr(sh, "has_text_frame", 0) and sh.text_frame.text:
                    for para in sh.text_frame.paragraphs:
                        if para.text:
                            assert para._p.pPr is not None and para._p.pPr.get("rtl") == "1"
                if sh.has_table:
                    assert sh.table._tbl.tblPr.get("rtl") == "1"
    # the brand colour is on the slides
    brand = wb.client.brand.primary.lstrip("#").upper()
    from cxkit.charts.base import readable

    ink = readable(wb.client.brand.primary, "#eef0f3").lstrip("#").upper()
    xml = "".join(s.shapes._spTree.xml for s in slides[:3])
    assert ink in xml.upper() or brand in xml.upper()


# --------------------------------------------------------------------------- the command


def test_cli_export_writes_and_names_the_file(tmp_path: Path) -> None:
    proc = cxkit("export", SAMPLES / EN, "--to", "md", "-o", tmp_path)
    assert proc.returncode == 0, proc.stderr
    path = tmp_path / f"{EN}.md"
    assert f"wrote {path}" in proc.stdout
    assert path.read_text("utf-8").startswith("# ")


def test_cli_export_without_chromium_says_how_to_install_it(tmp_path: Path) -> None:
    env = {"PATH": str(tmp_path), "PYTHONIOENCODING": "utf-8", "COLUMNS": "200"}
    env.update({k: v for k, v in os.environ.items() if k in {"HOME", "LANG"}})
    for fmt in ("pdf", "png", "pptx"):
        proc = subprocess.run(
            [sys.executable, "-m", "cxkit", "export", str(SAMPLES / EN), "--to", fmt],
            capture_output=True,
            text=True,
            encoding="utf-8",
            cwd=tmp_path,
            env=env,
        )
        assert proc.returncode == 1
        assert "apt-get install chromium" in proc.stderr
        assert "Traceback" not in proc.stderr
        assert not (tmp_path / "reports").exists()


def test_cli_export_rejects_an_unknown_format() -> None:
    proc = cxkit("export", SAMPLES / EN, "--to", "docx")
    assert proc.returncode == 2
    assert "docx" in proc.stderr


def test_export_paths_for_many_journeys(tmp_path: Path) -> None:
    report = exports.load(SAMPLES / FUTURE)
    assert exports.output_paths(report, "png", tmp_path / "a.png", ["x", "y"]) == [
        tmp_path / "a-x.png",
        tmp_path / "a-y.png",
    ]
    assert exports.output_paths(report, "md", tmp_path) == [tmp_path / f"{FUTURE}.md"]
    assert exports.output_paths(report, "md", None) == [Path("reports") / f"{FUTURE}.md"]


def test_png_bytes_are_png(browser_exports: dict[tuple[str, str], list[Path]]) -> None:
    from PIL import Image

    [path] = browser_exports[(EN, "png")]
    with Image.open(io.BytesIO(path.read_bytes())) as img:
        assert img.mode in {"RGB", "RGBA"}
