"""The map editor in a real browser: Voila (Hebrew, right to left) and JupyterLab
(English), Chromium driving it as a student would: click a cell and type, drag a card
to another stage, drag an emotion dot, add and delete with undo, the keyboard alone,
and a whole journey built from an empty starter with nothing but the map.

Every check reads the YAML on disk (comments intact) and, where the issue asks, the
detailed form under the map.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from cxkit.widgets.app import prepare_notebook
from cxkit.workbook.editing import EditSession
from cxkit.workbook.model import Journey
from cxkit.workbook.yamlfile import load_workbook
from tests.conftest import ROOT
from tests.widgets._servers import free_port, lab_command, open_lab, serving, until, voila

NOTEBOOK = ROOT / "notebooks" / "02_journey_mapping.ipynb"
CARAVAN = ROOT / "data" / "samples" / "caravan-holiday"  # Hebrew
PENSION = ROOT / "data" / "samples" / "pension-withdrawal"  # English, a current and a future state
KEY_DELAY = 80  # ms a key, a person's speed
READY = ".cxkit-map"


def _empty_starter(folder: Path, language: str) -> Path:
    """The caravan sample's client and personas, and no journey at all."""
    shutil.copytree(CARAVAN, folder)
    path = folder / "workbook.yml"
    session = EditSession.open(path, max_wait=0)
    problems = session.apply(lambda wb: setattr(wb, "surveys", []))
    for journey in list(session.workbook.journeys):
        problems += session.delete("journey", (journey.id,))
    problems += session.apply(lambda wb: setattr(wb.client, "language", language))
    session.close()
    assert problems == [] and load_workbook(path).journeys == []
    return path


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """JupyterLab on two English workbooks; Voila on two Hebrew ones (one each)."""
    root = tmp_path_factory.mktemp("map")
    books = {
        "lab-edit": root / "lab" / "edit" / "client",
        "lab-build": root / "lab" / "build" / "client",
        "app-edit": root / "app-edit" / "client",
        "app-build": root / "app-build" / "client",
    }
    shutil.copytree(PENSION, books["lab-edit"])
    _empty_starter(books["lab-build"], "en")
    shutil.copytree(CARAVAN, books["app-edit"])
    _empty_starter(books["app-build"], "he")
    for name in ("lab-edit", "lab-build"):
        prepare_notebook(NOTEBOOK, books[name] / "workbook.yml", books[name].parent)
    apps = {
        name: prepare_notebook(NOTEBOOK, books[name] / "workbook.yml", books[name].parent)
        for name in ("app-edit", "app-build")
    }
    ports = {name: free_port() for name in ("lab", "app-edit", "app-build")}
    with serving(
        ("lab", lab_command(root / "lab", ports["lab"]), root / "lab", ports["lab"]),
        *(
            (name, voila(apps[name], ports[name]), books[name].parent, ports[name])
            for name in ("app-edit", "app-build")
        ),
    ) as urls:
        yield {"urls": urls, "books": {k: v / "workbook.yml" for k, v in books.items()}}


class Map:
    """The map editor on a page, driven with the mouse and the keyboard."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.seen: dict[str, list[str]] = {"requests": [], "errors": []}
        page.on("request", lambda r: self.seen["requests"].append(r.url))
        page.on("console", lambda m: m.type == "error" and self.seen["errors"].append(m.text))
        page.on("pageerror", lambda e: self.seen["errors"].append(str(e)))

    def answered(self) -> int:
        return int(self.page.get_attribute(".cxkit-map", "data-answered") or 0)

    def wait_answer(self, before: int) -> None:
        self.page.wait_for_function(
            f"() => Number(document.querySelector('.cxkit-map').dataset.answered) > {before}"
            " && !document.querySelector('.cxkit-map-committing')",
            timeout=20_000,
        )

    def cell(self, lane: str, tp: str) -> Any:
        return self.page.locator(f'td[data-lane="{lane}"][data-tp="{tp}"]')

    def tp_id(self, name: str) -> str:
        exact = re.compile(f"^{re.escape(name)}$")
        card = self.page.locator('td[data-lane="touchpoint"]').filter(
            has=self.page.locator(".cxkit-map-tp-name", has_text=exact)
        )
        return str(card.first.get_attribute("data-tp"))

    def stage_ids(self) -> list[str]:
        return [
            str(x)
            for x in self.page.eval_on_selector_all(
                ".cxkit-map-stage", "els => els.map(e => e.dataset.stage)"
            )
        ]

    def commit(self, action: Any) -> None:
        before = self.answered()
        action()
        self.wait_answer(before)

    def open_cell(self, lane: str, tp: str) -> Any:
        cell = self.cell(lane, tp)
        cell.scroll_into_view_if_needed()
        cell.click(position={"x": 6, "y": 6})
        self.page.wait_for_selector(f'td.cxkit-map-editing[data-tp="{tp}"][data-lane="{lane}"]')
        return self.cell(lane, tp)

    def text(self, lane: str, tp: str, value: str) -> None:
        box = self.open_cell(lane, tp).locator("textarea").first
        box.fill(value)
        self.commit(lambda: box.press("Enter"))

    def lines(self, lane: str, tp: str, items: list[str]) -> None:
        box = self.open_cell(lane, tp).locator("textarea").first
        box.fill("\n".join(items))
        self.commit(lambda: box.press("Control+Enter"))

    def menu(self, lane: str, tp: str, value: str) -> None:
        select = self.open_cell(lane, tp).locator("select").first
        self.commit(lambda: select.select_option(value))

    def drag(self, handle: Any, x: float, y: float, steps: int = 10) -> None:
        """Press on ``handle``, move to (x, y) in ``steps`` pointer moves, release."""
        box = handle.bounding_box()
        self.page.mouse.move(box["x"] + 3, box["y"] + 3)
        self.page.mouse.down()
        self.page.mouse.move(x, y, steps=steps)
        self.commit(self.page.mouse.up)

    def drag_emotion(self, tp: str, value: int) -> None:
        dot = self.cell("emotion", tp).locator(".cxkit-map-dot")
        dot.scroll_into_view_if_needed()
        box = dot.bounding_box()
        track = self.cell("emotion", tp).locator(".cxkit-map-track").bounding_box()
        x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
        target = track["y"] + (2 - value) / 4 * 84 + 10  # the dot's centre at that value
        self.page.mouse.move(x, y)
        self.page.mouse.down()
        self.page.mouse.move(x, target, steps=8)
        self.commit(self.page.mouse.up)

    def add_stage(self, name: str) -> str:
        before = set(self.stage_ids())
        end = self.page.locator(".cxkit-map-add-stage-end")
        if end.count():
            end.click()
        field = self.page.locator(".cxkit-map-in-new-stage")
        field.fill(name)
        self.commit(lambda: field.press("Enter"))
        (new,) = set(self.stage_ids()) - before
        return new

    def add_touchpoint(self, stage: str, name: str, channel: str) -> str:
        cell = self.page.locator(f'td.cxkit-map-addslot[data-row="1"][data-stage="{stage}"]')
        cell.scroll_into_view_if_needed()
        cell.locator("button").click()
        cell = self.page.locator(f'td.cxkit-map-editing[data-stage="{stage}"]')
        cell.locator(".cxkit-map-in-new-channel").select_option(channel)
        field = cell.locator(".cxkit-map-in-new-name")
        field.fill(name)
        self.commit(lambda: field.press("Enter"))
        return self.tp_id(name)


def _open(browser: Any, site: dict[str, Any], name: str, width: int = 1440) -> Map:
    if name.startswith("lab"):
        folder = name.split("-")[1]
        page = open_lab(browser, site["urls"]["lab"], f"{folder}/02_journey_mapping", READY, width)
        return Map(page)
    page = browser.new_page(viewport={"width": width, "height": 1000})
    m = Map(page)
    page.goto(site["urls"][name] + "/", wait_until="domcontentloaded")
    page.wait_for_selector(READY, timeout=120_000)
    page.wait_for_timeout(500)
    return m


@pytest.fixture
def hebrew(browser: Any, site: dict[str, Any]) -> Iterator[Map]:
    """The map of a copy of the caravan sample in Voila (Hebrew), closed after the test."""
    m = _open(browser, site, "app-edit")
    yield m
    if not m.page.is_closed():
        m.page.close()


def _offline(m: Map) -> None:
    external = [
        u for u in m.seen["requests"] if not u.startswith(("http://127.0.0.1", "blob:", "data:"))
    ]
    assert external == []
    assert m.seen["errors"] == []


# --------------------------------------------------------------------------- Voila, Hebrew


def test_hebrew_cell_edit_at_typing_speed_reaches_disk_and_the_form(
    hebrew: Map, site: dict[str, Any]
) -> None:
    path: Path = site["books"]["app-edit"]
    original = path.read_text(encoding="utf-8")
    m = hebrew
    page = m.page
    assert page.get_attribute(".cxkit-map", "dir") == "rtl"
    grid = page.locator('[role="grid"]')
    assert "מפת המסע" in (grid.get_attribute("aria-label") or "")
    # the second stage's second touchpoint: "plan" > "second-caravan-arranged"
    box = m.open_cell("action", "second-caravan-arranged").locator("textarea")
    box.press("End")
    box.type(" ושולח תמונות", delay=KEY_DELAY)
    m.commit(lambda: page.keyboard.press("Tab"))  # leaving the cell keeps it
    # the detailed form shows the touchpoint the cell belongs to
    form_name = page.locator(".cxkit-tp-name input").first
    assert until(lambda: form_name.input_value() == "חיים משיג קרוואן שני מספק חיצוני", 10)
    form_action = page.locator(".cxkit-tp-action textarea").first
    assert until(lambda: form_action.input_value().endswith("ושולח תמונות"), 10)

    # Escape cancels: nothing reaches the file
    box = m.open_cell("expectation", "calls-haim").locator("textarea")
    box.fill("לא לשמור")
    box.press("Escape")
    page.wait_for_selector("td.cxkit-map-editing", state="detached")

    def saved() -> str | None:
        wb = load_workbook(path)
        tp = next(t for _, t in wb.journeys[0].touchpoints() if t.id == "second-caravan-arranged")
        return tp.action

    assert until(lambda: (saved() or "").endswith(" ושולח תמונות"))
    after = path.read_text(encoding="utf-8")
    assert "# terracotta, the colour of the caravan's awning" in after
    assert "לא לשמור" not in after
    changed = [a for a, b in zip(original.splitlines(), after.splitlines(), strict=False) if a != b]
    assert len(changed) <= 2, changed  # only the edited line (and a wrapped one) moved
    _offline(m)


def test_drag_a_touchpoint_to_another_stage_and_a_stage_to_the_front(
    hebrew: Map, site: dict[str, Any]
) -> None:
    path: Path = site["books"]["app-edit"]
    m = hebrew
    page = m.page
    handle = m.cell("touchpoint", "morning-check-in").locator(".cxkit-map-handle")
    target = m.cell("touchpoint", "first-sight-setup")  # in "arrive"
    handle.scroll_into_view_if_needed()
    t = target.bounding_box()
    # right to left: the start of a card is its right half, so this drops *before* it
    m.drag(handle, t["x"] + t["width"] * 0.8, t["y"] + 10)

    def order() -> dict[str, list[str]]:
        j = load_workbook(path).journeys[0]
        return {s.id: [tp.id for tp in s.touchpoints] for s in j.stages}

    assert until(lambda: order()["arrive"][:2] == ["finds-meeting-point", "morning-check-in"])
    assert order()["stay"] == ["problem-call"]
    stage = page.locator('.cxkit-map-stage[data-stage="plan"] .cxkit-map-stage-handle')
    first = page.locator('.cxkit-map-stage[data-stage="discover"]')
    first.scroll_into_view_if_needed()
    f = first.bounding_box()
    m.drag(stage, f["x"] + f["width"] - 4, f["y"] + 5)
    assert until(lambda: list(order())[:2] == ["plan", "discover"])
    links = {o.id: o.touchpoints for o in load_workbook(path).journeys[0].opportunities}
    assert "problem-call" in links["welcome-card"]  # references kept across the move


def test_drag_an_emotion_dot_redraws_the_curve_as_it_moves(
    hebrew: Map, site: dict[str, Any]
) -> None:
    path: Path = site["books"]["app-edit"]
    m = hebrew
    page = m.page
    dot = m.cell("emotion", "finds-meeting-point").locator(".cxkit-map-dot")
    dot.scroll_into_view_if_needed()
    curve = page.locator(".cxkit-map-curve path")
    before = curve.get_attribute("d")
    box = dot.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x, y + 21 * 1.1, steps=5)  # one step down: -1 -> -2
    during = curve.get_attribute("d")
    shown = dot.inner_text()
    m.commit(page.mouse.up)
    assert during != before and shown == "\u22122"
    tp = next(
        t for _, t in load_workbook(path).journeys[0].touchpoints() if t.id == "finds-meeting-point"
    )
    assert until(
        lambda: (
            next(
                t
                for _, t in load_workbook(path).journeys[0].touchpoints()
                if t.id == "finds-meeting-point"
            ).emotion
            == -2
        )
    ), tp.emotion
    emotion = page.locator(".cxkit-tp-emotion .widget-toggle-button.mod-active").first
    assert until(lambda: emotion.inner_text() == "\u22122", 10)  # the form follows


def test_add_then_delete_with_confirmation_and_undo(hebrew: Map, site: dict[str, Any]) -> None:
    path: Path = site["books"]["app-edit"]
    m = hebrew
    page = m.page
    tid = m.add_touchpoint("after", "ביקורת בגוגל", "web")
    assert tid

    def after_stage() -> list[str]:
        j = load_workbook(path).journeys[0]
        return [tp.name for tp in next(s for s in j.stages if s.id == "after").touchpoints]

    assert until(lambda: after_stage()[-1] == "ביקורת בגוגל")
    page.locator('.cxkit-map-stage[data-stage="stay"] .cxkit-map-delete').click()
    question = page.locator(".cxkit-map-confirm p")
    question.wait_for()
    assert "נקודת מגע" in question.inner_text() or "נקודות מגע" in question.inner_text()
    m.commit(lambda: page.locator(".cxkit-map-yes").click())
    assert until(lambda: "stay" not in [s.id for s in load_workbook(path).journeys[0].stages])
    m.commit(lambda: page.locator(".cxkit-map-undo").click())
    assert until(lambda: "stay" in [s.id for s in load_workbook(path).journeys[0].stages])
    page.wait_for_selector('.cxkit-map-stage[data-stage="stay"]')


def test_the_map_passes_axe_and_fits_a_phone(browser: Any, site: dict[str, Any]) -> None:
    from axe_playwright_python.sync_playwright import Axe

    m = _open(browser, site, "app-edit", width=390)
    page = m.page
    try:
        results = Axe().run(page, context=".cxkit-map")
        violations = [(v["id"], len(v["nodes"])) for v in results.response["violations"]]
        wide = page.evaluate("() => document.documentElement.scrollWidth")
        scroll = page.eval_on_selector(".cxkit-map-scroll", "e => e.getBoundingClientRect().right")
    finally:
        page.close()
    assert violations == []
    assert wide <= 392 and scroll <= 392  # the grid scrolls inside its box, not the page


# --------------------------------------------------------------------------- JupyterLab, English


def test_keyboard_only_editing_in_jupyterlab(browser: Any, site: dict[str, Any]) -> None:
    path: Path = site["books"]["lab-edit"]
    m = _open(browser, site, "lab-edit")
    page = m.page
    try:
        assert page.get_attribute(".cxkit-map", "dir") == "ltr"
        page.locator('[role="grid"] [tabindex="0"]').focus()  # the grid's one tab stop
        focused = (
            "() => document.activeElement.dataset.lane + '/' + document.activeElement.dataset.slot"
        )
        assert page.evaluate(focused) == "touchpoint/0"
        page.keyboard.press("ArrowRight")  # the second touchpoint
        page.keyboard.press("ArrowDown")  # customer action
        assert page.evaluate(focused) == "action/1"
        page.keyboard.press("Enter")
        page.wait_for_selector("td.cxkit-map-editing textarea")
        page.keyboard.press("Control+a")
        page.keyboard.type("Phones the pension desk", delay=KEY_DELAY)
        m.commit(lambda: page.keyboard.press("Enter"))
        assert page.evaluate(focused) == "action/1"  # focus stays on the cell
        first_stage = load_workbook(path).journeys[0].stages[0]
        second = first_stage.touchpoints[1]
        assert until(
            lambda: (
                load_workbook(path).journeys[0].stages[0].touchpoints[1].action
                == "Phones the pension desk"
            )
        ), second.action
        # Alt+arrow moves a card; the notebook's own shortcuts never fire inside the map
        page.keyboard.press("ArrowUp")
        m.commit(lambda: page.keyboard.press("Alt+ArrowLeft"))
        assert until(
            lambda: load_workbook(path).journeys[0].stages[0].touchpoints[0].id == second.id
        )
        # JupyterLab's command-mode keys ("d d" deletes a cell, "b" adds one) do nothing here
        cells = page.locator(".jp-Notebook .jp-Cell").count()
        for key in ("d", "d", "b"):
            page.keyboard.press(key)
        page.wait_for_timeout(300)
        assert page.locator(".jp-Notebook .jp-Cell").count() == cells
        # Delete asks (the "yes" button takes the focus), and Ctrl+Z brings it back
        page.keyboard.press("Delete")
        page.wait_for_selector(".cxkit-map-confirm")
        page.wait_for_function("() => document.activeElement.classList.contains('cxkit-map-yes')")
        m.commit(lambda: page.keyboard.press("Enter"))

        def ids() -> list[str]:
            return [t.id for _, t in load_workbook(path).journeys[0].touchpoints()]

        assert until(lambda: second.id not in ids())
        page.locator('[role="grid"] [tabindex="0"]').focus()
        m.commit(lambda: page.keyboard.press("Control+z"))
        assert until(lambda: ids()[0] == second.id)
        # the future state is one toggle away, and its map shows
        state = page.locator(".cxkit-map-state")
        state.click()
        page.wait_for_selector(".cxkit-map-badge.cxkit-map-future")
        _offline(m)
    finally:
        page.close()


def test_left_to_right_drops_follow_the_screen_in_jupyterlab(
    browser: Any, site: dict[str, Any]
) -> None:
    path: Path = site["books"]["lab-edit"]
    m = _open(browser, site, "lab-edit", width=1900)  # both cards in view beside the file list
    page = m.page

    def order() -> dict[str, list[str]]:
        j = load_workbook(path).journeys[0]
        return {s.id: [tp.id for tp in s.touchpoints] for s in j.stages}

    try:
        handle = m.cell("touchpoint", "status-call").locator(".cxkit-map-handle")
        target = m.cell("touchpoint", "sends-form-payments")
        handle.scroll_into_view_if_needed()
        t = target.bounding_box()
        m.drag(handle, t["x"] + t["width"] * 0.2, t["y"] + 10)  # the left half: before it
        assert until(lambda: order()["apply"] == ["status-call", "sends-form-payments"])
        assert order()["wait"] == ["conflicting-letters"]
        stage = page.locator('.cxkit-map-stage[data-stage="payout"] .cxkit-map-stage-handle')
        wait = page.locator('.cxkit-map-stage[data-stage="wait"]')
        page.eval_on_selector(".cxkit-map-scroll", "e => { e.scrollLeft = e.scrollWidth; }")
        w = wait.bounding_box()  # the last two stages, side by side in view
        m.drag(stage, w["x"] + 6, w["y"] + 5)  # the left edge of "wait": before it
        assert until(lambda: list(order())[-2:] == ["payout", "wait"])
    finally:
        page.close()


# --------------------------------------------------------------------------- a journey from nothing


def _build(m: Map, journey: Journey) -> None:
    """The journey, cell by cell, with the map editor alone."""
    page = m.page
    page.locator(".cxkit-map-in-journey-title").fill(journey.title)
    page.locator(".cxkit-map-in-journey-persona").select_option(journey.persona)
    m.commit(lambda: page.locator(".cxkit-map-create").click())
    page.wait_for_selector(".cxkit-map-in-new-stage")
    created: dict[str, str] = {}  # opportunity title -> made already
    for stage in journey.stages:
        sid = m.add_stage(stage.name)
        for tp in stage.touchpoints:
            tid = m.add_touchpoint(sid, tp.name, tp.channel.value)
            if tp.action:
                m.text("action", tid, tp.action)
            if tp.questions:
                m.lines("questions", tid, tp.questions)
            if tp.expectation:
                m.text("expectation", tid, tp.expectation)
            if tp.emotion is not None:
                m.drag_emotion(tid, tp.emotion)
            if tp.effort is not None:
                m.menu("effort", tid, str(tp.effort))
            if tp.moment_of_truth:
                cell = m.open_cell("moment_of_truth", tid)
                cell.locator("input[type=checkbox]").check()
                reason = cell.locator(".cxkit-map-in-reason")
                reason.fill(tp.moment_of_truth_reason or "")
                m.commit(lambda r=reason: r.press("Enter"))
            for lane in ("pain_points", "documents"):
                if getattr(tp, lane):
                    m.lines(lane, tid, getattr(tp, lane))
            if tp.value is not None:
                m.menu("value", tid, tp.value.value)
            if tp.owner or tp.backstage:
                cell = m.open_cell("backstage", tid)
                cell.locator(".cxkit-map-in-owner").fill(tp.owner or "")
                box = cell.locator("textarea")
                box.fill("\n".join(tp.backstage))
                m.commit(lambda b=box: b.press("Control+Enter"))
            for opp in (o for o in journey.opportunities if tp.id in o.touchpoints):
                cell = m.open_cell("opportunities", tid)
                if opp.title in created:
                    link = cell.locator(".cxkit-map-in-link")
                    link.select_option(label=opp.title)
                    m.commit(
                        lambda c=cell: c.locator(".cxkit-map-in-opp").first.press("Control+Enter")
                    )
                else:
                    row = cell.locator(".cxkit-map-opp-row").last
                    row.locator(".cxkit-map-in-opp").fill(opp.title)
                    row.locator(".cxkit-map-in-impact").select_option(str(opp.impact))
                    row.locator(".cxkit-map-in-effort").select_option(str(opp.effort))
                    m.commit(lambda r=row: r.locator(".cxkit-map-in-opp").press("Control+Enter"))
                    created[opp.title] = opp.title


def _shape(journey: Journey) -> dict[str, Any]:
    """What the map edits, without ids (the map makes its own) or order of opportunities."""
    names = {tp.id: tp.name for _, tp in journey.touchpoints()}
    return {
        "title": journey.title,
        "persona": journey.persona,
        "stages": [
            (
                s.name,
                [
                    tp.model_dump(
                        mode="json", exclude={"id", "emotion_by_persona"}, exclude_defaults=False
                    )
                    for tp in s.touchpoints
                ],
            )
            for s in journey.stages
        ],
        "opportunities": sorted(
            (o.title, o.impact, o.effort, sorted(names[t] for t in o.touchpoints))
            for o in journey.opportunities
        ),
    }


def _differences(got: Any, want: Any, at: str = "") -> list[str]:
    """Where two shapes differ, as short lines (a readable failure, not a 10 kB repr)."""
    if isinstance(want, dict) and isinstance(got, dict):
        return [d for k in want for d in _differences(got.get(k), want[k], f"{at}.{k}")]
    if isinstance(want, list | tuple) and isinstance(got, list | tuple) and len(got) == len(want):
        return [
            d
            for i, (g, w) in enumerate(zip(got, want, strict=True))
            for d in _differences(g, w, f"{at}[{i}]")
        ]
    return [] if got == want else [f"{at}: {got!r} != {want!r}"]


@pytest.mark.parametrize("where", ["app-build", "lab-build"], ids=["voila-hebrew", "lab-english"])
def test_build_the_caravan_journey_from_an_empty_starter_with_the_map_alone(
    browser: Any, site: dict[str, Any], where: str
) -> None:
    path: Path = site["books"][where]
    sample = load_workbook(CARAVAN).journeys[0]
    m = _open(browser, site, where)
    try:
        assert m.page.get_attribute(".cxkit-map", "dir") == (
            "rtl" if where.startswith("app") else "ltr"
        )
        _build(m, sample)
        problems = m.page.locator(".cxkit-map-problems")
        m.page.screenshot(
            path=str(ROOT / "test-artifacts" / f"map-built-{where}.png"), full_page=True
        )
        assert problems.count() == 0, problems.inner_text()
        want = _shape(sample)

        def differences() -> list[str]:  # the last edit is on disk within the save deadline
            built = load_workbook(path)
            return _differences(_shape(built.journeys[0]), want) if built.journeys else ["none"]

        until(lambda: differences() == [], 10)
        assert differences() == []
        assert len(load_workbook(path).journeys) == 1
        _offline(m)
    finally:
        m.page.close()


def test_a_tab_closed_with_a_cell_open_keeps_the_edit_and_another_tab_shows_it(
    browser: Any, site: dict[str, Any]
) -> None:
    path: Path = site["books"]["app-edit"]
    one = _open(browser, site, "app-edit")
    two = _open(browser, site, "app-edit")  # a second kernel on the same file
    try:
        box = one.open_cell("expectation", "thank-you-message").locator("textarea")
        box.fill("תודה אישית מחיים")
        one.page.close()  # no Enter, no click elsewhere

        def saved() -> str | None:
            tps = dict((t.id, t) for _, t in load_workbook(path).journeys[0].touchpoints())
            return tps["thank-you-message"].expectation

        assert until(lambda: saved() == "תודה אישית מחיים")
        shown = two.cell("expectation", "thank-you-message")
        assert until(lambda: shown.inner_text().strip() == "תודה אישית מחיים", 15)
    finally:
        two.page.close()


def test_a_drop_off_the_grid_moves_nothing_and_a_refusal_keeps_what_was_typed(
    hebrew: Map, site: dict[str, Any]
) -> None:
    path: Path = site["books"]["app-edit"]
    m, page = hebrew, hebrew.page
    before = path.read_bytes()
    handle = m.cell("touchpoint", "what-to-bring-list").locator(".cxkit-map-handle")
    handle.scroll_into_view_if_needed()
    target = m.cell("touchpoint", "finds-meeting-point").bounding_box()
    box = handle.bounding_box()
    page.mouse.move(box["x"] + 3, box["y"] + 3)
    page.mouse.down()
    page.mouse.move(target["x"] + 20, target["y"] - 400, steps=8)  # above the map, at a card's x
    page.mouse.up()
    labels = page.locator(".cxkit-map-lane-label").first.bounding_box()  # over the lane labels
    page.mouse.move(box["x"] + 3, box["y"] + 3)
    page.mouse.down()
    page.mouse.move(labels["x"] + 10, box["y"] + 3, steps=8)
    page.mouse.up()
    page.wait_for_timeout(1200)
    assert path.read_bytes() == before
    # "+" with a name but no channel: refused, and the name is still there to finish
    cell = page.locator('td.cxkit-map-addslot[data-row="1"][data-stage="after"]')
    cell.scroll_into_view_if_needed()
    cell.locator("button").click()
    name = page.locator("td.cxkit-map-editing .cxkit-map-in-new-name")
    name.fill("דירוג באתר החופשות")
    m.commit(lambda: name.press("Enter"))
    assert "ערוץ" in page.locator(".cxkit-map-problems").inner_text()
    assert (
        page.locator("td.cxkit-map-editing .cxkit-map-in-new-name").input_value()
        == "דירוג באתר החופשות"
    )
    page.locator("td.cxkit-map-editing .cxkit-map-in-new-channel").select_option("web")
    m.commit(lambda: page.locator("td.cxkit-map-editing .cxkit-map-in-new-name").press("Enter"))
    assert until(lambda: "דירוג באתר החופשות" in path.read_text(encoding="utf-8"))
    # Escape closes a delete question without deleting
    page.locator('.cxkit-map-stage[data-stage="stay"] .cxkit-map-delete').click()
    page.wait_for_selector(".cxkit-map-confirm")
    page.keyboard.press("Escape")
    page.wait_for_selector(".cxkit-map-confirm", state="detached")
    assert "stay" in [s.id for s in load_workbook(path).journeys[0].stages]
