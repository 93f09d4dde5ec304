"""The live class view in a real browser: a student's save shows within 5 seconds."""

from __future__ import annotations

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
        )
    assert done.returncode == 1
    assert done.stderr.strip() == f"error: port {port} is in use; pass another with --port"
