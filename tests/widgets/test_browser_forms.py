"""A real browser on the forms: JupyterLab and Voila served on 127.0.0.1, Chromium
typing at 80 ms a key, two editors on one file, the curve, a phone, Hebrew.

One JupyterLab server and one Voila server per session (started on first use);
each test opens its own pages.
"""

from __future__ import annotations

import contextlib
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from cxkit.widgets.app import prepare_notebook
from cxkit.workbook.editing import EditSession
from cxkit.workbook.model import Persona
from cxkit.workbook.yamlfile import load_workbook
from tests.conftest import ROOT
from tests.widgets._servers import free_port, lab_command, open_lab, serving, until, voila

SAMPLE = ROOT / "data" / "samples" / "weight-loss-clinic"  # Hebrew; a stage of 3 touchpoints
TYPED = " רונית"
KEY_DELAY = 80  # ms


def _client(folder: Path) -> Path:
    """A copy of the sample with a third persona (lists need a 2nd and a 3rd item)."""
    shutil.copytree(SAMPLE, folder)
    path = folder / "workbook.yml"
    session = EditSession.open(path, max_wait=0)
    session.insert("persona", (), Persona(id="third", name="דנה, אחות"))
    session.close()
    return path


@pytest.fixture(scope="session")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """JupyterLab and Voila (app mode) on loopback; stopped at the end of the session."""
    root = tmp_path_factory.mktemp("forms")
    lab_book, app_book = _client(root / "lab-client"), _client(root / "app-client")
    for name in ("01_personas", "02_journey_mapping"):
        prepare_notebook(ROOT / "notebooks" / f"{name}.ipynb", lab_book, root)
    (root / "app").mkdir()
    app_nb = prepare_notebook(
        ROOT / "notebooks" / "02_journey_mapping.ipynb", app_book, root / "app"
    )
    lab_port, app_port = free_port(), free_port()
    with serving(
        ("lab", lab_command(root, lab_port), root, lab_port),
        ("app", voila(app_nb, app_port, cull_after=4, cull_every=2), root / "app", app_port),
    ) as urls:
        yield {
            "lab": urls["lab"],
            "app": urls["app"],
            "lab_book": lab_book,
            "app_book": app_book,
            "voila_pid": int(urls["app_pid"]),
            "root": root,
        }


def _kernels(pid: int) -> int:
    """Live kernels under the server ``pid`` (from /proc; exited ones, zombies, don't count)."""
    children: dict[int, list[int]] = {}
    info: dict[int, tuple[str, str]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, ValueError, IndexError):
            fields = stat.read_text().rsplit(")", 1)[1].split()
            child = int(stat.parent.name)
            children.setdefault(int(fields[1]), []).append(child)
            cmdline = (stat.parent / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            info[child] = (fields[0], cmdline)
    count, todo = 0, list(children.get(pid, []))
    while todo:
        child = todo.pop()
        todo += children.get(child, [])
        state, cmdline = info.get(child, ("Z", ""))
        count += state != "Z" and "ipykernel" in cmdline
    return count


def _watch(page: Any) -> dict[str, list[str]]:
    seen: dict[str, list[str]] = {"requests": [], "errors": []}
    page.on("request", lambda r: seen["requests"].append(r.url))
    page.on("console", lambda m: m.type == "error" and seen["errors"].append(m.text))
    page.on("pageerror", lambda e: seen["errors"].append(str(e)))
    return seen


def _type_into(page: Any, list_class: str, item: int, field: str, text: str = TYPED) -> None:
    """Pick item ``item`` (0-based) of a list, then type at the end of ``field``."""
    page.locator(f".cxkit-list-{list_class} .cxkit-item").nth(item).click()
    page.wait_for_selector(  # as a student would, wait until the form shows that item
        f".cxkit-list-{list_class} .cxkit-item:nth-child({item + 1}).cxkit-selected"
    )
    page.wait_for_timeout(150)
    box = page.locator(f".{field} input, .{field} textarea").first
    box.click()
    box.press("End")
    box.type(text, delay=KEY_DELAY)


def _open_lab(browser: Any, servers: dict[str, Any], name: str, width: int = 1280) -> Any:
    return open_lab(browser, servers["lab"], name, ".cxkit-form .cxkit-item", width)


def _open_app(browser: Any, servers: dict[str, Any], width: int = 1280) -> tuple[Any, Any]:
    page = browser.new_page(viewport={"width": width, "height": 900})
    seen = _watch(page)
    page.goto(servers["app"] + "/", wait_until="domcontentloaded")
    page.wait_for_selector(".cxkit-form .cxkit-item", timeout=120_000)
    page.wait_for_timeout(800)
    return page, seen


# --------------------------------------------------------------------------- JupyterLab


def test_typing_in_jupyterlab_reaches_the_item_typed_into(
    browser: Any, servers: dict[str, Any]
) -> None:
    """Findings 1, 2 and 7: 2nd and 3rd items of every list at 80 ms a key, with the
    persona and journey notebooks open on the same file in two kernels; the Hebrew
    chart keeps its plot area."""
    path: Path = servers["lab_book"]
    before = load_workbook(path)
    journey = before.journeys[0]
    personas = _open_lab(browser, servers, "01_personas")
    journeys = _open_lab(browser, servers, "02_journey_mapping")
    try:
        # 02 changes an emotion first; 01's edits afterwards must not revert it.
        journeys.locator(".cxkit-tp-emotion .widget-toggle-button").nth(5).click()  # +2
        for item in (1, 2):
            _type_into(personas, "personas", item, "cxkit-persona-name")
        for item in (1, 2):
            _type_into(journeys, "stages", item, "cxkit-stage-name")
        journeys.locator(".cxkit-list-stages .cxkit-item").nth(0).click()
        journeys.wait_for_selector(".cxkit-list-stages .cxkit-item:nth-child(1).cxkit-selected")
        for item in (1, 2):
            _type_into(journeys, "touchpoints", item, "cxkit-tp-name")
        _type_into(journeys, "stages", 0, "cxkit-stage-name")  # finding 9: a stage rename ...
        tp_still = journeys.locator(  # ... leaves the touchpoint selection where it was
            ".cxkit-list-touchpoints .cxkit-item:nth-child(3).cxkit-selected"
        ).count()
        for item in (1, 2):
            _type_into(journeys, "opportunities", item, "cxkit-opp-title")
        plot = journeys.evaluate(
            """() => {
              const fig = document.querySelector('.cxkit-chart .main-svg').getBoundingClientRect();
              const area = document.querySelector('.cxkit-chart .nsewdrag').getBoundingClientRect();
              const ticks = [...document.querySelectorAll('.cxkit-chart .ytick text')];
              return {fw: fig.width, fh: fig.height, w: area.width, h: area.height,
                      ticks: ticks.map(t => t.textContent)};
            }"""
        )
        expected = {
            "personas": [p.name + (TYPED if i else "") for i, p in enumerate(before.personas)],
            "stages": [s.name + (TYPED if i < 3 else "") for i, s in enumerate(journey.stages)],
            "touchpoints": [
                t.name + (TYPED if i in (1, 2) else "")
                for i, t in enumerate(journey.stages[0].touchpoints)
            ],
            "opportunities": [
                o.title + (TYPED if i in (1, 2) else "")
                for i, o in enumerate(journey.opportunities)
            ],
        }

        def saved() -> dict[str, list[str]]:
            wb = load_workbook(path)
            j = wb.journeys[0]
            return {
                "personas": [p.name for p in wb.personas],
                "stages": [s.name for s in j.stages],
                "touchpoints": [t.name for t in j.stages[0].touchpoints],
                "opportunities": [o.title for o in j.opportunities],
            }

        until(lambda: saved() == expected)
        assert saved() == expected
        assert load_workbook(path).journeys[0].stages[0].touchpoints[0].emotion == 2
        assert tp_still == 1
        assert plot["w"] > 0.6 * plot["fw"] and plot["h"] > 120, plot  # was 404x64 of 968x300
        assert plot["ticks"] == ["−2", "−1", "0", "+1", "+2"]
    finally:
        personas.close()
        journeys.close()


# --------------------------------------------------------------------------- Voila


def test_voila_draws_the_curve_offline(browser: Any, servers: dict[str, Any]) -> None:
    """Finding 6: "trace index (0) out of bounds", an empty curve, a CDN icon font."""
    page, seen = _open_app(browser, servers)
    try:
        page.wait_for_selector(".cxkit-chart path.js-line", timeout=30_000)
        line = page.locator(".cxkit-chart path.js-line").first.get_attribute("d") or ""
        points = page.locator(".cxkit-chart .scatterlayer .point").count()
    finally:
        page.close()
    assert line.count("C") + line.count("L") > 5
    assert points == len(list(load_workbook(servers["app_book"]).journeys[0].touchpoints()))
    external = [u for u in seen["requests"] if not u.startswith(("http://127.0.0.1", "blob:"))]
    assert external == []
    assert not [e for e in seen["errors"] if "out of bounds" in e], seen["errors"]


def test_two_voila_tabs_on_one_file_keep_both_edits_and_kernels_are_culled(
    browser: Any, servers: dict[str, Any]
) -> None:
    """Findings 2 and 6: two tabs (two kernels) on one file; closed pages free their kernel."""
    path: Path = servers["app_book"]
    one, _ = _open_app(browser, servers)
    two, _ = _open_app(browser, servers)
    assert _kernels(servers["voila_pid"]) >= 2
    try:
        one.locator(".cxkit-tp-emotion .widget-toggle-button").nth(1).click()  # −2
        one.wait_for_timeout(1200)
        _type_into(two, "touchpoints", 1, "cxkit-tp-name")
        first = load_workbook(path).journeys[0].stages[0].touchpoints
        name = first[1].name

        def both() -> bool:
            tps = load_workbook(path).journeys[0].stages[0].touchpoints
            return tps[0].emotion == -2 and tps[1].name.endswith(TYPED)

        assert until(both), (first[0].emotion, name)
        shown = one.locator(".cxkit-list-touchpoints .cxkit-item").nth(1)  # the other tab's
        assert until(lambda: shown.inner_text().endswith(TYPED.strip()), 10)  # edit shows
        status = two.locator(".cxkit-status").first
        assert until(lambda: status.inner_text().startswith("נשמר "), 10), status.inner_text()
    finally:
        one.close()
        two.close()
    assert until(lambda: _kernels(servers["voila_pid"]) == 0, 40)  # was: one per visit


def test_phone_width_stacks_and_every_control_is_reachable(
    browser: Any, servers: dict[str, Any]
) -> None:
    """Finding 8: at 390 px the create button, its persona menu and the emotion control
    were off-screen."""
    page, _ = _open_app(browser, servers, width=390)
    try:
        result = page.evaluate(
            """() => {
              const form = document.querySelector('.cxkit-form');
              const controls = [...form.querySelectorAll(
                'button, input, select, textarea')].filter(el => el.offsetParent !== null);
              const bad = [];
              for (const el of controls) {
                el.scrollIntoView({block: 'center', inline: 'nearest'});
                const r = el.getBoundingClientRect();
                const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
                const inside = r.left >= -1 && r.right <= window.innerWidth + 1
                  && r.width >= 12 && r.height >= 12;  // on screen, and big enough to use
                if (!inside || !(hit && (el.contains(hit) || hit.contains(el))))
                  bad.push([el.tagName, el.textContent || el.value, r.left, r.right]);
              }
              const left = s => document.querySelector(s).getBoundingClientRect().left;
              // Where the glyphs land: "−2" reads −2 when the minus is left of the 2.
              const reads = node => {
                const walker = document.createTreeWalker(node, NodeFilter.SHOW_TEXT);
                for (let t = walker.nextNode(); t; t = walker.nextNode()) {
                  const s = t.textContent, i = s.indexOf('\u22122');
                  if (i < 0) continue;
                  const at = k => { const r = document.createRange(); r.setStart(t, k);
                                    r.setEnd(t, k + 1); return r.getBoundingClientRect().left; };
                  return at(i) < at(i + 1) ? '−2' : '2−';
                }
                return null;
              };
              const emotion = document.querySelector('.cxkit-tp-emotion');
              const buttons = [...emotion.querySelectorAll('.widget-toggle-button')];
              const minus = [reads(buttons[1]), reads(emotion.querySelector('small'))];
              return {n: controls.length, bad, minus,
                      stacked: Math.abs(left('.cxkit-list-stages') - left('.cxkit-tp-name')) < 40,
                      scroll: document.documentElement.scrollWidth};
            }"""
        )
    finally:
        page.close()
    assert result["n"] > 40
    assert result["bad"] == [], result["bad"]
    assert result["stacked"]
    assert result["minus"] == ["−2", "−2"]  # the Hebrew button and hint: −2, not 2−
