"""Every sample report opened in a real browser (Debian's Chromium), as a client would.

One ``cxkit batch`` renders the samples once per session; one Chromium (driven by
Playwright) opens each report once, with every request that would leave the page
blocked, at 1440 x 900. What the page showed is measured in that one visit and the
tests below read it; screenshots of the first screen and of each poster go to
``test-artifacts/browser/`` for a human to look at. A second visit per report
emulates print (A4 text width, then A3 landscape for the poster) to check that no
chart is cut off at the margin and that the poster fits its page.
"""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest

from cxkit.workbook.yamlfile import load_workbook
from tests.conftest import ROOT, SAMPLES

ARTIFACTS = ROOT / "test-artifacts" / "browser"
WIDTH, HEIGHT = 1440, 900
A4_TEXT_PX = 703  # 210 mm - 2 x 12 mm margins, at 96 px per inch
A3_TEXT_PX = (1512, 1047)  # 420 x 297 mm - 2 x 10 mm margins
LOCAL = ("file:", "data:", "blob:", "about:")
NAMES = [p.parent.name for p in SAMPLES]

MEASURE = """() => {
  const box = e => { const r = e.getBoundingClientRect();
    return {left: r.left, right: r.right, top: r.top, bottom: r.bottom,
            width: r.width, height: r.height}; };
  const charts = [...document.querySelectorAll('.plotly-graph-div')].map(d => ({
    id: d.id,
    svg: !!d.querySelector('svg.main-svg'),
    traces: d._fullData ? d._fullData.length : 0,
    marks: d.querySelectorAll('.scatterlayer path.js-line, .scatterlayer .point, .barlayer .point,'
      + ' .heatmaplayer image, .scatterlayer .trace').length,
    xReversed: !!(d._fullLayout && d._fullLayout.xaxis && d._fullLayout.xaxis.range
      && d._fullLayout.xaxis.range[0] > d._fullLayout.xaxis.range[1]),
  }));
  const posters = [...document.querySelectorAll('.cx-journey .cx-poster')].map(p => {
    const wrap = p.parentElement;
    const cells = [...p.children];
    const spill = [];
    for (const c of cells) {
      const cb = c.getBoundingClientRect();
      for (const e of c.querySelectorAll('*')) {
        const b = e.getBoundingClientRect();
        if (!b.width && !b.height) continue;
        if (b.left < cb.left - 1 || b.right > cb.right + 1
            || b.top < cb.top - 1 || b.bottom > cb.bottom + 1)
          spill.push(c.className + ' > ' + e.tagName + '.' + e.className);
      }
      if (c.scrollWidth > c.clientWidth + 1 || c.scrollHeight > c.clientHeight + 1)
        spill.push(c.className + ' scrolls');
    }
    const stages = [...p.querySelectorAll('.cx-stage')].map(box);
    const style = getComputedStyle(p);
    return {
      box: box(p), wrap: box(wrap),
      visible: style.visibility === 'visible' && style.display !== 'none',
      wrapScrollHeight: wrap.scrollHeight, wrapClientHeight: wrap.clientHeight,
      stages, spill: spill.slice(0, 10), labels: p.querySelectorAll('.cx-lane-label').length,
    };
  });
  return {
    dir: getComputedStyle(document.body).direction,
    htmlDir: document.documentElement.dir,
    pageWidth: document.documentElement.scrollWidth,
    charts, posters,
    chartBlocks: document.querySelectorAll('script.cx-chart-data').length,
  };
}"""

FRAMES = "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"

PRINT_CHARTS = """() => [...document.querySelectorAll('.cx-chart')].map(c => {
  const svg = c.querySelector('svg.main-svg');
  return {id: c.id, svg: svg ? svg.getBoundingClientRect().width : null,
          box: c.parentElement.getBoundingClientRect().width,
          page: document.documentElement.clientWidth};
})"""

PRINT_POSTERS = """() => [...document.querySelectorAll(
  '.cx-print-posters .cx-poster-page')].map(p => {
  const r = p.getBoundingClientRect();
  return {width: r.width, height: r.height, page: document.documentElement.clientWidth};
})"""


@pytest.fixture(scope="session")
def reports(batch: tuple[subprocess.CompletedProcess[str], Path]) -> Path:
    """Every sample's report, from the session's one `cxkit batch` run (see conftest)."""
    proc, out = batch
    missing = [p.parent.name for p in SAMPLES if not (out / f"{p.parent.name}.html").exists()]
    assert not missing, proc.stdout + proc.stderr
    return out


@pytest.fixture(scope="session")
def visits(reports: Path, browser: Any) -> dict[str, dict[str, Any]]:
    """Open each report once, offline; measure it and save its screenshots."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    out: dict[str, dict[str, Any]] = {}
    for name in NAMES:
        left: list[str] = []
        errors: list[str] = []
        page = browser.new_page(viewport={"width": WIDTH, "height": HEIGHT})

        def route(r: Any, left: list[str] = left) -> None:
            if r.request.url.startswith(LOCAL):
                r.continue_()
            else:
                left.append(r.request.url)
                r.abort()

        page.route("**/*", route)
        page.on("console", lambda m, e=errors: e.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda exc, e=errors: e.append(str(exc)))
        page.goto((reports / f"{name}.html").as_uri(), wait_until="load")
        page.evaluate(
            "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"
        )
        info = page.evaluate(MEASURE)
        first = ARTIFACTS / f"{name}-first-screen.png"
        page.screenshot(path=str(first))
        posters = []
        for i, loc in enumerate(page.locator(".cx-journey .cx-poster-wrap").all()):
            loc.scroll_into_view_if_needed()
            shot = ARTIFACTS / f"{name}-poster-{i + 1}.png"
            loc.screenshot(path=str(shot))
            posters.append(shot)
        printing = _print_layout(page)
        page.close()
        out[name] = {
            **info,
            "left": left,
            "errors": errors,
            "first": first,
            "shots": posters,
            "print": printing,
        }
    return out


@pytest.fixture(scope="session")
def printed(visits: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Each report as print lays it out (measured in the same visit as the screen)."""
    return {name: v["print"] for name, v in visits.items()}


def _print_layout(page: Any) -> dict[str, Any]:
    """Emulate printing: charts at the A4 text width, posters on A3, then the screen again."""
    page.emulate_media(media="print")
    page.set_viewport_size({"width": A4_TEXT_PX, "height": 1000})
    page.evaluate("() => window.dispatchEvent(new Event('beforeprint'))")
    during = page.evaluate(PRINT_CHARTS)
    page.set_viewport_size({"width": A3_TEXT_PX[0], "height": A3_TEXT_PX[1]})
    posters = page.evaluate(PRINT_POSTERS)
    page.emulate_media(media="screen")
    page.set_viewport_size({"width": WIDTH, "height": HEIGHT})
    page.evaluate("() => window.dispatchEvent(new Event('afterprint'))")
    after = page.evaluate(PRINT_CHARTS)
    return {"during": during, "after": after, "posters": posters}


def _language(name: str) -> str:
    wb = load_workbook(ROOT / "data" / "samples" / name / "workbook.yml")
    return wb.client.language.value


def test_the_samples_cover_both_directions() -> None:
    assert {_language(n) for n in NAMES} == {"he", "en"}


@pytest.mark.parametrize("name", NAMES)
def test_report_works_offline_without_errors(visits: dict[str, Any], name: str) -> None:
    v = visits[name]
    assert v["left"] == [], f"requests tried to leave the page: {v['left'][:3]}"
    assert v["errors"] == [], f"console errors: {v['errors'][:3]}"


@pytest.mark.parametrize("name", NAMES)
def test_every_chart_is_drawn_with_data(visits: dict[str, Any], name: str) -> None:
    v = visits[name]
    assert v["charts"], "no charts in the report"
    assert len(v["charts"]) == v["chartBlocks"]
    for chart in v["charts"]:
        assert chart["svg"], f"{chart['id']}: plotly drew no SVG"
        assert chart["traces"] > 0, f"{chart['id']}: no traces"
        assert chart["marks"] > 0, f"{chart['id']}: SVG without any drawn data"


@pytest.mark.parametrize("name", NAMES)
def test_poster_is_visible_and_nothing_spills_out_of_its_lanes(
    visits: dict[str, Any], name: str
) -> None:
    v = visits[name]
    assert v["posters"], "no poster"
    assert v["pageWidth"] <= WIDTH, "the page scrolls sideways at 1440 px"
    for poster in v["posters"]:
        assert poster["visible"]
        assert poster["box"]["height"] > 200
        assert poster["labels"] >= 3
        # wide posters scroll inside their frame, sideways only, never the page
        assert poster["wrap"]["width"] <= WIDTH
        assert poster["box"]["width"] >= poster["wrap"]["width"] - 2
        assert poster["wrapScrollHeight"] <= poster["wrapClientHeight"] + 1
        assert poster["spill"] == [], f"content outside its lane cell: {poster['spill']}"
        for stage in poster["stages"]:
            assert stage["height"] == pytest.approx(poster["stages"][0]["height"], abs=1)


@pytest.mark.parametrize("name", NAMES)
def test_direction_follows_the_language(visits: dict[str, Any], name: str) -> None:
    v = visits[name]
    rtl = _language(name) == "he"
    assert v["dir"] == ("rtl" if rtl else "ltr")
    assert v["htmlDir"] == ("rtl" if rtl else "ltr")
    for poster in v["posters"]:
        first, second = poster["stages"][:2]
        if rtl:  # the timeline runs right to left: stage 1 to the right of stage 2
            assert first["left"] > second["left"]
        else:
            assert first["left"] < second["left"]
    emotion = [c for c in v["charts"] if c["id"].endswith("-emotion")]
    assert emotion
    assert all(c["xReversed"] == rtl for c in emotion)


@pytest.mark.parametrize("name", NAMES)
def test_screenshots_are_saved(visits: dict[str, Any], name: str) -> None:
    from PIL import Image

    v = visits[name]
    with Image.open(v["first"]) as img:
        assert img.size == (WIDTH, HEIGHT)
    assert len(v["shots"]) == len(v["posters"])
    for shot in v["shots"]:
        with Image.open(shot) as img:
            assert img.size[0] > 1000 and img.size[1] > 200


@pytest.mark.parametrize("name", NAMES)
def test_printed_charts_fit_the_a4_text_width(printed: dict[str, Any], name: str) -> None:
    for chart in printed[name]["during"]:
        assert chart["svg"] is not None
        assert chart["svg"] <= chart["box"] + 1, f"{chart['id']} is cut off in print"
        assert chart["svg"] <= A4_TEXT_PX + 1
    # and the screen gets its charts back afterwards, at their own width
    for chart in printed[name]["after"]:
        assert chart["svg"] == pytest.approx(chart["box"], abs=2), chart["id"]


@pytest.mark.parametrize("name", NAMES)
def test_printed_poster_fits_one_a3_page(printed: dict[str, Any], name: str) -> None:
    width, height = A3_TEXT_PX
    assert printed[name]["posters"]
    for poster in printed[name]["posters"]:
        assert poster["width"] <= width + 1
        assert poster["height"] <= height, "the poster would break over two A3 pages"
