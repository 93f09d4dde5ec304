#!/usr/bin/env python3
"""How long the trainer waits: the class page for a room, and the live view's refresh.

    .venv/bin/python benchmarks/bench_class.py [--students 25] [--repeat 5]

(a) ``cxkit class-report`` over N student folders of exercise 4 (the heaviest: each
    reads its 2,030-row survey export) and N of exercise 3, each run as a user runs it
    (a fresh process, wall clock, imports included).
(b) ``cxkit class-report --serve`` with N exercise-3 folders open in Chromium: one
    student's workbook is replaced by a finished one; the time until the browser shows
    it at the top of the table, ``--repeat`` times.
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
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KEYS = ROOT / "templates" / "trainer"
STARTERS = ROOT / "templates" / "exercises"
ENV = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1"}


def _class(folder: Path, slug: str, n: int) -> Path:
    for i in range(n):
        shutil.copytree(STARTERS / slug, folder / f"student-{i:02d}")
    return folder


def page_time(tmp: Path, slug: str, n: int) -> float:
    subs = _class(tmp / slug, slug, n)
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "cxkit", "class-report", str(subs), "-o", str(tmp / f"{slug}.html")],
        check=True,
        capture_output=True,
        env=ENV,
    )
    return time.perf_counter() - started


def live_latencies(tmp: Path, n: int, repeat: int) -> list[float]:
    from playwright.sync_api import sync_playwright

    sys.path.insert(0, str(ROOT))
    from tests.conftest import CHROMIUM_ARGS, find_chromium

    subs = _class(tmp / "live", "ex03-moments-of-truth", n)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen(
        [sys.executable, "-m", "cxkit", "class-report", str(subs), "--serve", "--port", str(port)],
        stdout=subprocess.PIPE,
        text=True,
        env=ENV,
    )
    assert proc.stdout is not None
    proc.stdout.readline()
    out = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=find_chromium(), args=CHROMIUM_ARGS)
            page = browser.new_page()
            page.goto(f"http://127.0.0.1:{port}/")
            key = (KEYS / "ex03-moments-of-truth" / "workbook.yml").read_bytes()
            starter = (STARTERS / "ex03-moments-of-truth" / "workbook.yml").read_bytes()
            for i in range(repeat):
                who = f"student-{1 + (i * 7) % (n - 1):02d}"
                target = subs / who / "workbook.yml"
                temp = target.with_suffix(".tmp")
                temp.write_bytes(key)
                saved = time.perf_counter()
                temp.replace(target)
                page.locator("table.students tbody tr th").first.filter(has_text=who).wait_for(
                    timeout=30000
                )
                out.append(time.perf_counter() - saved)
                temp.write_bytes(starter)
                temp.replace(target)
                time.sleep(3)
            browser.close()
    finally:
        proc.terminate()
        proc.wait(10)
    return out


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--students", type=int, default=25)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        for slug in ("ex04-scoring", "ex03-moments-of-truth"):
            took = page_time(Path(tmp), slug, args.students)
            print(f"(a) class-report, {args.students} x {slug}: {took:.2f} s")
        lat = live_latencies(Path(tmp), args.students, args.repeat)
        print(
            f"(b) live refresh, {args.students} students, {len(lat)} saves: median "
            f"{statistics.median(lat):.2f} s, max {max(lat):.2f} s "
            f"({', '.join(f'{x:.2f}' for x in lat)})"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
