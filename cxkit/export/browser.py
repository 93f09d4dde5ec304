"""A small headless-Chromium driver for the exports: PDF, poster PNG, chart images.

It speaks the Chrome DevTools protocol over a pipe (``--remote-debugging-pipe``:
the browser reads JSON commands from fd 3 and writes replies to fd 4, each
message ending in a NUL byte), so it needs no package beyond the standard
library and a system Chromium. One :class:`Browser` serves many pages: starting
Chromium costs about a second, so an export that needs several images opens one.

The browser gets no network: every host resolves to nothing, and reports are
offline files anyway. POSIX only (the pipe's file descriptors); elsewhere the
PDF export falls back to Chromium's own ``--print-to-pdf``.

>>> with Browser() as b:                                       # doctest: +SKIP
...     page = b.open("reports/acme.html", width=1440)
...     png = page.screenshot(selector=".cx-poster")
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import select
import subprocess
import tempfile
import time
from pathlib import Path
from types import TracebackType
from typing import Any

from cxkit.errors import BrowserError, ChromiumNotFound
from cxkit.report.pipeline import find_chromium

ARGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--no-first-run",
    "--no-default-browser-check",
    "--hide-scrollbars",
    "--mute-audio",
    "--host-resolver-rules=MAP * ~NOTFOUND",
    "--remote-debugging-pipe",
)


def supported() -> bool:
    """True where the DevTools pipe works (POSIX)."""
    return os.name == "posix"


class Browser:
    """One headless Chromium, driven over the DevTools pipe. Use it as a context manager."""

    def __init__(self, chromium: str | None = None, *, timeout: float = 60.0) -> None:
        path = chromium or find_chromium()
        if path is None:
            raise ChromiumNotFound("this export draws the report in a browser")
        if not supported():
            raise BrowserError("image exports need a POSIX system (Linux or macOS)")
        self.timeout = timeout
        self._profile = tempfile.TemporaryDirectory(prefix="cxkit-chromium-")
        to_child_r, self._to_child = os.pipe()
        self._from_child, from_child_w = os.pipe()
        # Out of the way of 3 and 4, so the dup2 calls in the child cannot clobber them.
        high_r = _dup_high(to_child_r)
        high_w = _dup_high(from_child_w)
        for fd in (to_child_r, from_child_w):
            os.close(fd)

        def wire() -> None:  # in the child, before exec
            os.dup2(high_r, 3)
            os.dup2(high_w, 4)

        try:
            self._proc = subprocess.Popen(
                [path, *ARGS, f"--user-data-dir={self._profile.name}", "about:blank"],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                preexec_fn=wire,
                close_fds=False,
            )
        except OSError as exc:
            self._profile.cleanup()
            raise BrowserError(f"could not start {path}: {exc}") from None
        finally:
            os.close(high_r)
            os.close(high_w)
        self._buffer = b""
        self._next_id = 0
        self._events: list[dict[str, Any]] = []

    # ------------------------------------------------------------------ protocol

    def send(self, method: str, params: dict[str, Any] | None = None, session: str = "") -> Any:
        """Send one command and wait for its result (events that arrive meanwhile are kept)."""
        self._next_id += 1
        msg: dict[str, Any] = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        data = json.dumps(msg).encode() + b"\0"
        try:
            while data:
                data = data[os.write(self._to_child, data) :]
        except OSError as exc:
            raise BrowserError(f"Chromium closed the DevTools pipe ({exc})") from None
        while True:
            reply = self._read()
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    raise BrowserError(f"{method}: {reply['error'].get('message')}")
                return reply.get("result", {})
            if "method" in reply:
                self._events.append(reply)

    def wait_event(self, method: str, session: str = "") -> dict[str, Any]:
        """Wait for (and consume) the next event ``method`` of ``session``."""
        while True:
            for i, ev in enumerate(self._events):
                if ev["method"] == method and ev.get("sessionId", "") == session:
                    return self._events.pop(i)
            msg = self._read()
            if "method" in msg:
                self._events.append(msg)

    def _read(self) -> dict[str, Any]:
        deadline = time.monotonic() + self.timeout
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            ready, _, _ = select.select([self._from_child], [], [], max(left, 0))
            if not ready:
                raise BrowserError(f"Chromium did not answer within {self.timeout:.0f} s")
            chunk = os.read(self._from_child, 1 << 20)
            if not chunk:
                raise BrowserError("Chromium exited unexpectedly")
            self._buffer += chunk
        raw, self._buffer = self._buffer.split(b"\0", 1)
        message: dict[str, Any] = json.loads(raw)
        return message

    # ------------------------------------------------------------------ pages

    def open(
        self, source: str | Path, *, width: int = 1440, height: int = 900, print_media: bool = False
    ) -> Page:
        """Open a local HTML file (or ``html:`` + text) in a new tab of ``width`` x ``height``."""
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})[
            "sessionId"
        ]
        page = Page(self, target, session)
        page.resize(width, height)
        if print_media:
            self.send("Emulation.setEmulatedMedia", {"media": "print"}, session)
        page.goto(source)
        return page

    def close(self) -> None:
        if self._proc.poll() is None:
            with contextlib.suppress(BrowserError):
                self.send("Browser.close")
            try:
                self._proc.wait(10)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait()
        for fd in (self._to_child, self._from_child):
            with contextlib.suppress(OSError):
                os.close(fd)
        self._profile.cleanup()

    def __enter__(self) -> Browser:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def _dup_high(fd: int) -> int:
    import fcntl

    return fcntl.fcntl(fd, fcntl.F_DUPFD, 10)


class Page:
    """One tab: navigate, evaluate JavaScript, take screenshots, print to PDF."""

    def __init__(self, browser: Browser, target: str, session: str) -> None:
        self.browser, self.target, self.session = browser, target, session
        self.send("Page.enable")
        self.send("Runtime.enable")

    def send(self, method: str, params: dict[str, Any] | None = None) -> Any:
        return self.browser.send(method, params, self.session)

    def resize(self, width: int, height: int) -> None:
        self.send(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
        )

    def goto(self, source: str | Path) -> None:
        """Load a file (path) and wait for its load event and two animation frames."""
        if isinstance(source, Path) or not str(source).startswith(("file:", "about:", "data:")):
            url = Path(source).resolve().as_uri()
        else:
            url = str(source)
        self.send("Page.navigate", {"url": url})
        self.browser.wait_event("Page.loadEventFired", self.session)
        self.settle()

    def settle(self) -> None:
        """Wait two animation frames (layout and paint after the last change)."""
        self.evaluate("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")

    def evaluate(self, expression: str) -> Any:
        """Evaluate ``expression`` (promises awaited) and return its JSON value."""
        result = self.send(
            "Runtime.evaluate",
            {"expression": expression, "awaitPromise": True, "returnByValue": True},
        )
        if "exceptionDetails" in result:
            details = result["exceptionDetails"]
            text = details.get("exception", {}).get("description") or details.get("text")
            raise BrowserError(f"JavaScript failed: {text}")
        return result.get("result", {}).get("value")

    def box(self, selector: str) -> dict[str, float]:
        """The page-coordinate box of the first element matching ``selector``."""
        found = self.evaluate(
            f"(() => {{ const e = document.querySelector({json.dumps(selector)});"
            " if (!e) return null;"
            " const r = e.getBoundingClientRect();"
            " return {x: r.left + scrollX, y: r.top + scrollY, width: r.width, height: r.height};"
            " })()"
        )
        if not found:
            raise BrowserError(f"nothing on the page matches {selector!r}")
        return {k: float(v) for k, v in found.items()}

    def screenshot(self, *, selector: str | None = None, scale: float = 1.0) -> bytes:
        """A PNG of the viewport, or of the element ``selector`` (beyond the viewport too)."""
        params: dict[str, Any] = {"format": "png"}
        if selector is not None:
            box = self.box(selector)
            params["clip"] = {**box, "scale": scale}
            params["captureBeyondViewport"] = True
        data = self.send("Page.captureScreenshot", params)["data"]
        return base64.b64decode(data)

    def pdf(self) -> bytes:
        """Print the page with its own ``@page`` sizes (A4, the poster on A3), no header."""
        data = self.send(
            "Page.printToPDF",
            {
                "preferCSSPageSize": True,
                "printBackground": True,
                "displayHeaderFooter": False,
            },
        )["data"]
        return base64.b64decode(data)

    def close(self) -> None:
        self.browser.send("Target.closeTarget", {"targetId": self.target})
