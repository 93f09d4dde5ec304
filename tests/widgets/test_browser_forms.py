"""A real browser: the persona form served by `cxkit app` (Voila), typed into in Chromium."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from cxkit.workbook.yamlfile import load_workbook
from tests.conftest import ROOT, WORKBOOKS


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_for(port: int, proc: subprocess.Popen[bytes], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"voila exited with {proc.returncode}")
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.3)
    raise AssertionError("voila did not start listening")


def test_typing_a_persona_name_in_voila_reaches_the_yaml(browser: Any, tmp_path: Path) -> None:
    shutil.copytree(WORKBOOKS, tmp_path / "client")
    workbook = tmp_path / "client" / "valid.yml"
    port = _free_port()
    log = (tmp_path / "voila.log").open("wb")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "cxkit",
            "app",
            str(ROOT / "notebooks" / "01_personas.ipynb"),
            "--workbook",
            str(workbook),
            "--port",
            str(port),
            "--no-browser",
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
        start_new_session=True,
    )
    try:
        _wait_for(port, proc)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        try:
            page.goto(f"http://127.0.0.1:{port}/", wait_until="domcontentloaded")
            page.wait_for_selector(".cxkit-form", timeout=90_000)
            assert "from cxkit.widgets import" not in page.inner_text("body")  # no code shown
            name = page.locator(".cxkit-form input[type=text]").nth(1)
            name.fill("")
            name.type("Weekend planner", delay=15)
            deadline = time.monotonic() + 20
            while time.monotonic() < deadline:
                if load_workbook(workbook).personas[0].name == "Weekend planner":
                    break
                time.sleep(0.25)
            artifacts = ROOT / "test-artifacts"
            artifacts.mkdir(exist_ok=True)
            page.screenshot(path=str(artifacts / "voila-persona-form.png"))
        finally:
            page.close()
        assert load_workbook(workbook).personas[0].name == "Weekend planner"
        assert "# never enters a branch" in workbook.read_text("utf-8")
    finally:
        os.killpg(proc.pid, 15)
        proc.wait(10)
        log.close()
