"""The live class view in a real browser: a student's save shows within 5 seconds."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from cxkit._files import atomic_write
from tests.conftest import ROOT

KEY = ROOT / "templates" / "trainer" / "ex03-moments-of-truth"
STARTER = ROOT / "templates" / "exercises" / "ex03-moments-of-truth"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _start(folder: Path, port: int, *extra: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "cxkit",
            "class-report",
            str(folder),
            "--serve",
            "--port",
            str(port),
            "-l",
            "en",
            *extra,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=folder.parent,  # the page (and its progress record) stay in the test folder
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()
    assert line.startswith(f"class view on http://127.0.0.1:{port}/"), line + (
        proc.stderr.read() if proc.poll() is not None and proc.stderr else ""
    )
    return proc


def test_a_save_shows_on_the_live_page_within_5_seconds(browser: Any, tmp_path: Path) -> None:
    subs = tmp_path / "class"
    for name in ("noa", "yossi", "dana"):
        shutil.copytree(STARTER, subs / name)
    port = _free_port()
    proc = _start(subs, port)
    try:
        page = browser.new_page()
        requests: list[str] = []
        page.on("request", lambda r: requests.append(r.url))
        page.goto(f"http://127.0.0.1:{port}/")
        assert page.locator("table.students tbody tr").count() == 4  # three and the average
        assert "Live: this page refreshes by itself" in page.content()
        atomic_write(subs / "yossi" / "workbook.yml", (KEY / "workbook.yml").read_bytes())
        saved = time.monotonic()
        first = page.locator("table.students tbody tr th").first
        first.filter(has_text="yossi").wait_for(timeout=5000)
        latency = time.monotonic() - saved
        assert latency < 5
        row = page.locator("table.students tbody tr").first.inner_text()
        assert "100/100" in row and "complete" in row
        assert all(u.startswith(f"http://127.0.0.1:{port}/") for u in requests)
        page.close()
    finally:
        proc.terminate()
        proc.wait(10)


def test_serving_on_a_port_in_use_is_one_line(tmp_path: Path) -> None:
    shutil.copytree(STARTER, tmp_path / "class" / "noa")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "cxkit",
                "class-report",
                str(tmp_path / "class"),
                "--serve",
                "--port",
                str(port),
            ],
            capture_output=True,
            text=True,
            timeout=120,
            cwd=tmp_path,
        )
    assert done.returncode == 1
    assert done.stderr.strip() == f"error: port {port} is in use; pass another with --port"


def test_saves_that_do_not_raise_the_score_are_flagged_stuck(browser: Any, tmp_path: Path) -> None:
    """--stuck 0.05 (3 s): a student who keeps saving without a higher score is flagged
    "saving, no progress"; a rise clears it; the record is kept beside the page."""
    subs = tmp_path / "class"
    for name in ("noa", "dana"):
        shutil.copytree(STARTER, subs / name)
    book = subs / "noa" / "workbook.yml"
    for b in subs.rglob("workbook.yml"):
        os.utime(b)  # saved just now: nobody is stuck yet
    out = tmp_path / "page" / "class.html"
    port = _free_port()
    proc = _start(subs, port, "--stuck", "0.05", "-o", str(out))
    try:
        page = browser.new_page()
        page.goto(f"http://127.0.0.1:{port}/")
        assert "the score has not risen for 0.05 minutes" in page.content()
        atomic_write(subs / "dana" / "workbook.yml", (KEY / "workbook.yml").read_bytes())
        starter = book.read_bytes()
        flag = page.locator("table.students tr", has_text="noa").locator(".stuck-saving")
        for i in range(30):  # keep saving, never a higher score, until the flag shows
            atomic_write(book, starter + f"# edit {i}\n".encode(), backup=False)
            page.wait_for_timeout(500)
            if flag.count():
                break
        assert flag.count() == 1
        noa = page.locator("table.students tr", has_text="noa").inner_text()
        assert "stuck" in noa and "saving, no progress" in noa and "7.7/100" in noa
        dana = page.locator("table.students tr", has_text="dana").inner_text()
        assert "100/100" in dana and "stuck" not in dana  # finished: never stuck
        atomic_write(book, (KEY / "workbook.yml").read_bytes())  # progress
        page.locator("table.students tr", has_text="noa").locator(".stuck").wait_for(
            state="detached", timeout=10000
        )
        record = json.loads((out.parent / ".cxkit-progress.json").read_text("utf-8"))
        (tracks,) = record["classes"].values()
        scores = [score for _, score in tracks["3|noa/workbook.yml"]["history"]]
        assert scores == [7.7, 100.0]
        page.close()
    finally:
        proc.terminate()
        proc.wait(10)
