"""Every sample report, in both languages, as everyone reads it: axe-core (WCAG 2.1 AA),
reflow at 390 px, chart labels that never print over each other, numbers and foreign
text in their own direction, no local path, a poster the keyboard can scroll.

The reports come from the session's batches (conftest: the samples in their own
language, and each in the other language); each is opened once at 1440 px and once at
390 px in the session's one Chromium, offline. axe-core is the copy bundled in the
``axe-playwright-python`` package, injected into the page (never fetched).
"""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT, SAMPLES
from tests.report.audit import NUMBER_ORDER, audit, new_page, settle

NAMES = [p.parent.name for p in SAMPLES]
HEBREW = {"caravan-holiday", "insurer-policy-update", "weight-loss-clinic"}
OTHER = {n: ("en" if n in HEBREW else "he") for n in NAMES}
CASES = [*((n, None) for n in NAMES), *((n, OTHER[n]) for n in NAMES)]
IDS = [f"{n}.{lang or 'own'}" for n, lang in CASES]

POSTER_KEYS = """async () => {
  const wrap = document.querySelector('.cx-poster-wrap');
  const label = wrap.querySelector('.cx-lane-label:not(.cx-corner)');
  const before = {scroll: wrap.scrollLeft, label: label.getBoundingClientRect().left};
  return {tabindex: wrap.getAttribute('tabindex'), role: wrap.getAttribute('role'),
          name: wrap.getAttribute('aria-label'), before,
          overflows: wrap.scrollWidth > wrap.clientWidth + 1,
          cue: getComputedStyle(wrap.previousElementSibling).display};
}"""


@pytest.fixture(scope="session")
def audits(
    batch: tuple[subprocess.CompletedProcess[str], Path],
    other_language_batch: Path,
    browser: Any,
) -> dict[str, dict[str, Any]]:
    """Each report measured once at 1440 px (with axe) and once at 390 px."""
    out: dict[str, dict[str, Any]] = {}
    for (name, lang), key in zip(CASES, IDS, strict=True):
        html = (
            batch[1] / f"{name}.html"
            if lang is None
            else other_language_batch / f"{name}.{lang}.html"
        )
        assert html.exists(), batch[0].stdout + batch[0].stderr
        out[key] = audit(browser, html, needle=str(ROOT))
        out[key]["html"] = html
    return out


@pytest.mark.parametrize("key", IDS)
def test_axe_finds_no_wcag_violation(audits: dict[str, Any], key: str) -> None:
    violations = audits[key]["1440"]["axe"]
    summary = [(v["id"], len(v["nodes"]), v["nodes"][0]["target"]) for v in violations]
    assert violations == [], f"axe-core (WCAG 2.1 AA): {summary}"


@pytest.mark.parametrize("key", IDS)
def test_nothing_is_wider_than_a_phone(audits: dict[str, Any], key: str) -> None:
    overflow = audits[key]["390"]["overflow"]
    assert overflow["scrollWidth"] <= overflow["viewport"], "the page scrolls sideways at 390 px"
    assert overflow["offenders"] == [], f"wider than the screen: {overflow['offenders']}"


@pytest.mark.parametrize("key", IDS)
@pytest.mark.parametrize("width", ["1440", "390"])
def test_no_two_chart_labels_overlap(audits: dict[str, Any], key: str, width: str) -> None:
    assert audits[key][width]["overlaps"] == [], audits[key][width]["overlaps"][:5]


@pytest.mark.parametrize("key", IDS)
def test_no_text_shows_the_checkout_path(audits: dict[str, Any], key: str) -> None:
    assert audits[key]["1440"]["paths"] == [], f"a local path in the report: {ROOT}"
    assert str(ROOT) not in audits[key]["html"].read_text("utf-8").split("<script")[0]


@pytest.mark.parametrize("key", IDS)
def test_offline_and_without_errors(audits: dict[str, Any], key: str) -> None:
    for width in ("1440", "390"):
        assert audits[key][width]["left"] == []
        assert audits[key][width]["errors"] == []


@pytest.mark.parametrize("key", IDS)
def test_numbers_read_in_order_and_foreign_text_has_its_own_direction(
    audits: dict[str, Any], key: str
) -> None:
    name, lang = key.split(".")
    page_lang = ("he" if name in HEBREW else "en") if lang == "own" else lang
    content_lang = "he" if name in HEBREW else "en"
    numbers = audits[key]["1440"]["numbers"]
    foreign = audits[key]["1440"]["foreign"]
    assert all(n["inOrder"] for n in numbers), [n["text"] for n in numbers if not n["inOrder"]]
    if page_lang == content_lang:
        assert foreign == []
    else:
        assert len(foreign) > 20, "the client's own text is not marked with its language"
        assert {tuple(f) for f in foreign} == {
            (content_lang, "rtl" if content_lang == "he" else "ltr")
        }


def test_a_hebrew_report_shows_a_negative_number_in_order(
    batch: tuple[subprocess.CompletedProcess[str], Path], browser: Any
) -> None:
    seen = []
    for name in sorted(HEBREW):
        page, _, _ = new_page(browser, 1440)
        page.goto((batch[1] / f"{name}.html").as_uri(), wait_until="load")
        seen += page.evaluate(NUMBER_ORDER)
        page.close()
    assert seen, "no negative number in any Hebrew sample to check"
    assert all(n["inOrder"] for n in seen)


@pytest.mark.parametrize("name", NAMES)
def test_poster_is_focusable_scrolls_by_keyboard_and_keeps_its_labels(
    batch: tuple[subprocess.CompletedProcess[str], Path], browser: Any, name: str
) -> None:
    page, _, _ = new_page(browser, 390)
    page.goto((batch[1] / f"{name}.html").as_uri(), wait_until="load")
    settle(page)
    info = page.evaluate(POSTER_KEYS)
    assert info["tabindex"] == "0" and info["role"] == "region" and info["name"]
    assert info["overflows"] and info["cue"] != "none", "a wide poster shows its scroll cue"
    wrap = page.locator(".cx-poster-wrap").first
    wrap.focus()
    for _ in range(8):
        page.keyboard.press("ArrowLeft" if name in HEBREW else "ArrowRight")
    page.wait_for_timeout(300)
    after = page.evaluate(
        """() => { const w = document.querySelector('.cx-poster-wrap');
           const l = w.querySelector('.cx-lane-label:not(.cx-corner)');
           return {scroll: w.scrollLeft, label: l.getBoundingClientRect().left}; }"""
    )
    page.close()
    assert abs(after["scroll"] - info["before"]["scroll"]) > 50, "the arrow keys do not scroll it"
    assert after["label"] == pytest.approx(info["before"]["label"], abs=2), (
        "lane labels scrolled away"
    )
