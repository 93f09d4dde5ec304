"""Benchmark: the map editor in a browser (issue 14's budgets).

Opens notebook 02 on a copy of the 21-touchpoint weight-loss clinic sample in
JupyterLab (served on 127.0.0.1, system Chromium through Playwright) and measures:

- **open**: from the kernel being ready (idle, nothing run) to the map's grid drawn,
  running the notebook's cells (the first run includes importing cxkit), then again
  re-running the form cell in the same kernel (warm);
- **drag**: an emotion dot and a touchpoint card dragged in 30 pointer moves each. Two
  figures per frame: the script work of one move (the handler, the curve redraw) and
  the time between painted frames while dragging (requestAnimationFrame). The naive way,
  in the same page: redrawing the whole grid on each move, as a render-everything
  front end would;
- **cell edit to disk**: ``--edits`` cell commits (Enter in the customer-action cell of
  a different touchpoint each time); a thread reads the workbook every 5 ms, and an
  edit's latency runs from the key press to the first read of the file that holds it.

Prints every figure; no assertions (see docs/benchmarks.md).

    .venv/bin/python benchmarks/bench_map.py [--edits 20]
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "samples" / "weight-loss-clinic"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]

RAF_PROBE = """() => { window.__frames = []; let last = performance.now();
  const tick = (now) => { window.__frames.push(now - last); last = now;
    if (window.__probe) requestAnimationFrame(tick); };
  window.__probe = true; requestAnimationFrame(tick); }"""


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _summary(name: str, values: list[float]) -> str:
    values = sorted(values)
    p95 = values[min(len(values) - 1, int(0.95 * len(values)))]
    return (
        f"{name}: n={len(values)} median {statistics.median(values):.1f} ms, "
        f"p95 {p95:.1f} ms, max {values[-1]:.1f} ms"
    )


def _drag(page, source, dy: float, dx: float, moves: int) -> tuple[list[float], list[float]]:
    """Drag ``source`` by (dx, dy) in ``moves`` steps; (script ms per move, frame gaps)."""
    source.scroll_into_view_if_needed()
    box = source.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.evaluate("() => { document.querySelector('.cxkit-map').__cxkitMap.frameTimes = []; }")
    page.mouse.move(x, y)
    page.mouse.down()
    page.evaluate(RAF_PROBE)
    for i in range(1, moves + 1):
        page.mouse.move(x + dx * i / moves, y + dy * i / moves)
    page.wait_for_timeout(50)
    frames = page.evaluate("() => { window.__probe = false; return window.__frames.slice(1); }")
    work = page.evaluate("() => document.querySelector('.cxkit-map').__cxkitMap.frameTimes")
    page.keyboard.press("Escape")  # a card drag: cancelled, nothing sent
    page.mouse.up()
    return work, frames


def _open_and_run(browser, url: str) -> tuple[object, float, float | None]:
    """A new page on ``url``; once its kernel has answered an execute request (JupyterLab
    says "Idle" seconds before it can run a cell), run every cell. Returns the page and
    the seconds from there to the map's grid drawn and to the detailed form drawn (None
    when the notebook has no form)."""
    page = browser.new_page(viewport={"width": 1440, "height": 1000})
    page.goto(url, wait_until="domcontentloaded")
    page.wait_for_function("() => window.jupyterapp !== undefined", timeout=90_000)
    page.wait_for_function("() => document.body.innerText.includes('| Idle')", timeout=90_000)
    page.evaluate(
        """async () => { const nb = window.jupyterapp.shell.currentWidget;
          await nb.sessionContext.ready;
          await nb.sessionContext.session.kernel.requestExecute({code: '1'}).done; }"""
    )
    with_form = page.locator(".jp-CodeCell").count() > 3
    start = time.perf_counter()
    page.evaluate("() => { window.jupyterapp.commands.execute('notebook:run-all-cells'); }")
    page.wait_for_selector(".cxkit-map-grid td[data-tp]", timeout=120_000)
    grid = time.perf_counter() - start
    if not with_form:
        return page, grid, None
    page.wait_for_selector(".cxkit-list-stages .cxkit-item", timeout=120_000)
    return page, grid, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--edits", type=int, default=20)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    from cxkit.widgets.app import prepare_notebook

    sys.path.insert(0, str(ROOT))
    from tests.widgets._servers import lab_command

    tmp = Path(tempfile.mkdtemp(prefix="cxkit-map-bench-"))
    shutil.copytree(SAMPLE, tmp / "client")
    book = tmp / "client" / "workbook.yml"
    prepare_notebook(ROOT / "notebooks" / "02_journey_mapping.ipynb", book, tmp)
    import nbformat  # the map's cell alone: the same notebook without the form's cell

    shutil.copytree(SAMPLE, tmp / "maponly" / "client")
    alone = prepare_notebook(
        ROOT / "notebooks" / "02_journey_mapping.ipynb",
        tmp / "maponly" / "client" / "workbook.yml",
        tmp / "maponly",
    )
    nb = nbformat.read(alone, as_version=4)
    nb.cells = nb.cells[:-1]
    nbformat.write(nb, alone)
    port = _port()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    log = (tmp / "lab.log").open("wb")
    lab = subprocess.Popen(lab_command(tmp, port), cwd=tmp, env=env, stdout=log, stderr=log)
    try:
        for _ in range(300):
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.2)
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=shutil.which("chromium"), args=CHROMIUM_ARGS
            )
            base = f"http://127.0.0.1:{port}/lab/workspaces"
            page, alone_s, _ = _open_and_run(
                browser, f"{base}/alone/tree/maponly/02_journey_mapping.ipynb?reset"
            )
            page.close()
            page, grid_s, form_s = _open_and_run(
                browser, f"{base}/bench/tree/02_journey_mapping.ipynb?reset"
            )
            page.wait_for_timeout(1500)
            # warm: run the map's cell again (cxkit already imported in this kernel)
            page.evaluate("() => document.querySelector('.cxkit-map-grid').dataset.old = '1'")
            page.locator(".jp-Cell.jp-CodeCell").nth(2).click(position={"x": 5, "y": 5})
            page.wait_for_timeout(300)
            start = time.perf_counter()
            page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-cell')")
            page.wait_for_selector(".cxkit-map-grid:not([data-old]) td[data-tp]", timeout=60_000)
            warm = time.perf_counter() - start
            page.wait_for_timeout(2500)
            tps = page.locator('.cxkit-map-grid td[data-lane="touchpoint"][data-tp]').count()
            print(f"touchpoints on the map: {tps}")
            dot = page.locator('td[data-lane="emotion"][data-tp] .cxkit-map-dot').nth(4)
            work, frames = _drag(page, dot, dy=-60, dx=0, moves=30)
            print(_summary("emotion drag, script per move", work))
            print(_summary("emotion drag, frame gap", frames))
            page.wait_for_timeout(800)
            card = page.locator('td[data-lane="touchpoint"][data-tp] .cxkit-map-handle').nth(2)
            work, frames = _drag(page, card, dy=0, dx=500, moves=30)
            print(_summary("card drag, script per move", work))
            print(_summary("card drag, frame gap", frames))
            naive = page.evaluate(
                """() => { const m = document.querySelector('.cxkit-map').__cxkitMap;
                  const out = []; for (let i = 0; i < 30; i++) { const t = performance.now();
                  m.render(); m.drawCurve(); document.body.offsetHeight;
                  out.push(performance.now() - t); } return out; }"""
            )
            print(_summary("naive: whole grid redrawn per move", naive))

            ids = page.eval_on_selector_all(
                'td[data-lane="action"][data-tp]', "els => els.map(e => e.dataset.tp)"
            )
            latencies: list[float] = []
            seen: dict[str, float] = {}
            stop = threading.Event()

            def watch() -> None:
                while not stop.is_set():
                    text = book.read_text("utf-8")
                    now = time.perf_counter()
                    for mark in list(pending):
                        if mark in text and mark not in seen:
                            seen[mark] = now
                    time.sleep(0.005)

            pending: dict[str, float] = {}
            thread = threading.Thread(target=watch, daemon=True)
            thread.start()
            for i in range(args.edits):
                tp = ids[i % len(ids)]
                cell = page.locator(f'td[data-lane="action"][data-tp="{tp}"]')
                cell.scroll_into_view_if_needed()
                cell.click(position={"x": 6, "y": 6})
                box = page.locator("td.cxkit-map-editing textarea")
                mark = f"bench-edit-{i:03d}"
                box.fill(mark)
                pending[mark] = time.perf_counter()
                box.press("Enter")
                page.wait_for_timeout(700)
            time.sleep(1.5)
            stop.set()
            thread.join()
            for mark, at in pending.items():
                if mark in seen:
                    latencies.append(seen[mark] - at)
            print(f"cell edits: {len(pending)} committed, {len(latencies)} reached the disk")
            print(" ".join(f"{x:.3f}" for x in latencies))
            print(
                f"cell edit to disk: median {statistics.median(latencies):.3f} s,"
                f" max {max(latencies):.3f} s"
            )
            print(
                "map open after the kernel is ready (run all, a new kernel, cxkit imported"
                f" by it): the map's cell alone {alone_s:.2f} s; notebook 02 as shipped:"
                f" map {grid_s:.2f} s, the detailed form below it {form_s:.2f} s;"
                f" the map's cell re-run {warm:.2f} s"
            )
            browser.close()
    finally:
        lab.terminate()
        lab.wait(20)
        log.close()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
