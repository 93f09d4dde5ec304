"""JupyterLab and Voila served on 127.0.0.1 for the browser tests, and waiting helpers."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from cxkit.widgets.app import voila_command
from tests.conftest import ROOT


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(port: int, proc: subprocess.Popen[bytes], seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"server exited with {proc.returncode}")
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.3)
    raise AssertionError("server did not start listening")


def until(check: Callable[[], bool], seconds: float = 20) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.2)
    return check()


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1"}


def lab_command(root: Path, port: int) -> list[str]:
    """JupyterLab on loopback, no token, no update checks or news (offline)."""
    return [
        sys.executable,
        "-m",
        "jupyter",
        "lab",
        "--no-browser",
        f"--port={port}",
        "--ServerApp.ip=127.0.0.1",
        "--IdentityProvider.token=",
        "--ServerApp.password=",
        "--ServerApp.disable_check_xsrf=True",
        f"--ServerApp.root_dir={root}",
        "--LabApp.expose_app_in_browser=True",
        "--LabApp.extension_manager=readonly",
        "--allow-root",
        "--LabApp.news_url=",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    ]


@contextlib.contextmanager
def serving(
    *servers: tuple[str, list[str], Path, int],
) -> Iterator[dict[str, str]]:
    """Start each ``(name, command, cwd, port)``; yield ``{name: url}``; stop them all."""
    procs: list[subprocess.Popen[bytes]] = []
    logs: list[Any] = []
    try:
        for name, command, cwd, _port in servers:
            log = (cwd / f"{name}.log").open("wb")
            logs.append(log)
            procs.append(
                subprocess.Popen(
                    command,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    env=_env(),
                    cwd=cwd,
                    start_new_session=True,
                )
            )
        for (_name, _cmd, _cwd, port), proc in zip(servers, procs, strict=True):
            wait_for(port, proc)
        yield {name: f"http://127.0.0.1:{port}" for name, _cmd, _cwd, port in servers} | {
            f"{name}_pid": str(p.pid) for (name, *_), p in zip(servers, procs, strict=True)
        }
    finally:
        for proc in procs:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, 15)
        for proc in procs:
            try:
                proc.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, 9)
        for log in logs:
            log.close()


def voila(notebook: Path, port: int, **kwargs: Any) -> list[str]:
    return voila_command(notebook, port=port, open_browser=False, **kwargs)


def open_lab(browser: Any, url: str, name: str, ready: str, width: int = 1280) -> Any:
    """A JupyterLab page on ``name``.ipynb (a path under the server's root) with every
    cell run, once ``ready`` shows. Each name gets a workspace of its own."""
    page = browser.new_page(viewport={"width": width, "height": 1000})
    space = name.replace("/", "-")
    page.goto(
        f"{url}/lab/workspaces/{space}/tree/{name}.ipynb?reset", wait_until="domcontentloaded"
    )
    page.wait_for_selector(".jp-Notebook", timeout=90_000)
    page.wait_for_function("() => window.jupyterapp !== undefined", timeout=60_000)
    page.wait_for_function(  # the kernel is up ("Python 3 (ipykernel) | Idle")
        "() => document.body.innerText.includes('| Idle')", timeout=90_000
    )
    page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
    try:
        page.wait_for_selector(ready, timeout=120_000)
    except Exception:
        page.screenshot(path=str(ROOT / "test-artifacts" / f"lab-{space}.png"))
        raise
    page.wait_for_timeout(500)
    return page
