"""Benchmark: how long an edit typed in the browser takes to be on disk.

Serves the persona form with ``cxkit app`` (Voila, app mode) on 127.0.0.1, opens it in
the system Chromium (Playwright) and types ``--edits`` characters into the first
persona's name at ``--delay`` ms a key, without a pause (the case a restarting timer
never saves). A thread reads the workbook every 5 ms; an edit's latency is the time
from its key press to the first read of the file that holds it. Prints every
latency, then the median and the maximum; no assertions (see docs/benchmarks.md).

    .venv/bin/python benchmarks/bench_form_latency.py [--edits 40] [--delay 80]
"""

from __future__ import annotations

import argparse
import os
import re
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
SAMPLE = ROOT / "data" / "samples" / "credit-card-renewal"
LETTERS = "abcdefghij"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _first_name(text: str) -> str:
    match = re.search(r"^personas:\n(?:.*\n)*?\s+name: (.*)$", text, re.MULTILINE)
    return match.group(1) if match else ""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--edits", type=int, default=40)
    parser.add_argument("--delay", type=int, default=80, help="ms between keys")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    from cxkit.widgets.app import prepare_notebook, voila_command

    tmp = Path(tempfile.mkdtemp(prefix="cxkit-latency-"))
    shutil.copytree(SAMPLE, tmp / "client")
    book = tmp / "client" / "workbook.yml"
    original = _first_name(book.read_text("utf-8"))
    notebook = prepare_notebook(ROOT / "notebooks" / "01_personas.ipynb", book, tmp)
    port = _port()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    server = subprocess.Popen(
        voila_command(notebook, port=port, open_browser=False),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
        start_new_session=True,
    )
    seen: list[tuple[float, int]] = []  # (time, typed characters on disk)
    stop = threading.Event()

    def watch() -> None:
        last = -1
        while not stop.is_set():
            try:
                name = _first_name(book.read_text("utf-8"))
            except OSError:
                name = ""
            typed = len(name) - len(original) if name.startswith(original) else -1
            if typed != last:
                seen.append((time.monotonic(), typed))
                last = typed
            time.sleep(0.005)

    pressed: list[float] = []
    try:
        deadline = time.monotonic() + 90
        while True:
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    break
            if time.monotonic() > deadline:
                raise SystemExit("voila did not start")
            time.sleep(0.3)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(f"http://127.0.0.1:{port}/", wait_until="domcontentloaded")
            page.wait_for_selector(".cxkit-persona-name input", timeout=120_000)
            page.wait_for_timeout(1000)
            box = page.locator(".cxkit-persona-name input").first
            box.click()
            box.press("End")
            threading.Thread(target=watch, daemon=True).start()
            for i in range(args.edits):
                pressed.append(time.monotonic())
                page.keyboard.press(LETTERS[i % len(LETTERS)])
                page.wait_for_timeout(args.delay)
            page.wait_for_timeout(2000)
            stop.set()
            browser.close()
    finally:
        stop.set()
        os.killpg(server.pid, 15)
        server.wait(20)
    latencies = []
    for k, at in enumerate(pressed, 1):
        on_disk = next((t for t, typed in seen if typed >= k and t >= at), None)
        latencies.append(float("nan") if on_disk is None else on_disk - at)
    for k, lat in enumerate(latencies, 1):
        print(f"edit {k:2}: {lat:.3f} s")
    done = [x for x in latencies if x == x]
    print(f"edits: {len(latencies)} typed at {args.delay} ms a key, {len(done)} reached the disk")
    print(f"median {statistics.median(done):.3f} s, max {max(done):.3f} s")
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
