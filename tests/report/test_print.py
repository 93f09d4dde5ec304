"""Every sample report printed to PDF by Chromium, as a client prints it, page by page.

The page budget: the cover carries the contents; the text runs on over A4 pages, each
at least a third full (the text's last page excepted: a report ends where it ends);
then each journey map on its own A3 landscape page; no heading sits in the last tenth
of a page. Pages are
measured from the PDF itself (pypdf for sizes and headings, pdftoppm for ink); see
tests/report/pdfcheck.py.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from cxkit.analysis import rank_opportunities
from cxkit.i18n import locale
from cxkit.report.pipeline import print_pdf
from cxkit.report.sections import journey_groups
from cxkit.workbook.yamlfile import load_workbook
from tests.conftest import SAMPLES
from tests.report.pdfcheck import PageInfo, pages

NAMES = [p.parent.name for p in SAMPLES]
PAGE_BUDGET = 18  # A4 and A3 pages together, for the largest sample (7 journeys' worth)
MIN_FILL = 1 / 3
BOTTOM = 0.9


@pytest.fixture(scope="session")
def printed(
    batch: tuple[subprocess.CompletedProcess[str], Path],
    chromium: str,
    tmp_path_factory: pytest.TempPathFactory,
) -> dict[str, list[PageInfo]]:
    if shutil.which("pdftoppm") is None:
        import os

        message = "poppler-utils (pdftoppm) is not installed (apt-get install poppler-utils)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"the print tests need pdftoppm in CI: {message}")
        pytest.skip(message)
    out = tmp_path_factory.mktemp("pdf")
    result = {}
    for name in NAMES:
        html = batch[1] / f"{name}.html"
        assert html.exists(), batch[0].stdout + batch[0].stderr
        pdf = print_pdf(html, out / f"{name}.pdf", chromium=chromium)
        result[name] = pages(pdf)
    return result


def _posters(name: str) -> int:
    wb = load_workbook(next(p for p in SAMPLES if p.parent.name == name))
    return sum(len(g) for g in journey_groups(wb.journeys))


def _a4_body(ps: list[PageInfo]) -> list[PageInfo]:
    """The pages the budget applies to: not the cover, not a poster, not the text's last."""
    return [p for p in ps[1:] if not p.a3][:-1]


@pytest.mark.parametrize("name", NAMES)
def test_page_count_and_sizes(printed: dict[str, Any], name: str) -> None:
    ps = printed[name]
    assert len(ps) <= PAGE_BUDGET, f"{len(ps)} pages"
    a3 = [p for p in ps if p.a3]
    assert len(a3) == _posters(name), "one A3 page per journey map"
    assert all((p.width_mm, p.height_mm) == (420, 297) for p in a3), "A3 landscape"
    assert all((p.width_mm, p.height_mm) == (210, 297) for p in ps if not p.a3), "A4 portrait"
    first_a3 = next(i for i, p in enumerate(ps) if p.a3)
    assert all(p.a3 for p in ps[first_a3:]), "the maps close the report, after the text"


@pytest.mark.parametrize("name", NAMES)
def test_contents_are_on_the_cover_page(printed: dict[str, Any], name: str) -> None:
    wb = load_workbook(next(p for p in SAMPLES if p.parent.name == name))
    words = locale(wb.client.language.value).t("contents").split()
    cover = printed[name][0].text
    assert all(w in cover for w in words), cover[:200]
    assert not printed[name][1].a3


@pytest.mark.parametrize("name", NAMES)
def test_no_page_is_left_under_a_third_full(printed: dict[str, Any], name: str) -> None:
    low = [(p.number, round(p.fill, 2)) for p in _a4_body(printed[name]) if p.fill < MIN_FILL]
    assert low == [], f"pages under a third full (page, fill): {low}"


@pytest.mark.parametrize("name", NAMES)
def test_no_heading_sits_at_the_foot_of_a_page(printed: dict[str, Any], name: str) -> None:
    stranded = [
        (p.number, text, top) for p in printed[name] for text, top in p.headings if top > BOTTOM
    ]
    assert stranded == [], f"headings in the last tenth of a page: {stranded}"
    assert any(p.headings for p in printed[name]), "no heading found: the check saw nothing"


def test_a_table_split_over_pages_repeats_its_header(printed: dict[str, Any]) -> None:
    """The opportunities table runs over two pages in the English samples; each part starts
    with the column headers (pypdf reads English text in order)."""
    t = locale("en").t
    split = 0
    for name in NAMES:
        wb = load_workbook(next(p for p in SAMPLES if p.parent.name == name))
        if wb.client.language.value != "en":
            continue
        ps = printed[name]
        header = t("answers").upper()  # the header row prints in capitals (CSS)
        with_header = [p.number for p in ps if header in p.text]
        ranked = [r for j in wb.journeys for r in rank_opportunities(j)]
        # a description prints only in that table (its first words, before any line break)
        marks = {
            " ".join(r.opportunity.description.split()[:3])
            for r in ranked
            if r.opportunity.description
        }
        if not marks:
            continue  # nothing that only that table prints
        flat = [" ".join(p.text.split()) for p in ps]
        rows = [
            p.number
            for p, text in zip(ps, flat, strict=True)
            if not p.a3 and any(m in text for m in marks)
        ]
        assert rows, f"{name}: the opportunities table was not found in the PDF"
        assert set(rows) <= set(with_header), f"{name}: a part of the table without headers"
        split += len(with_header) > 1
    assert split, "no sample's table runs over two pages: the check saw nothing"
