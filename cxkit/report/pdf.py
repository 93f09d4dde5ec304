"""Printing a report to PDF with a system Chromium (no network, no header or footer)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from cxkit.errors import ChromiumNotFound, ReportError

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
PDF_WITHOUT_CHROMIUM = (
    "PDF needs a browser. The HTML report was written and prints to PDF from any browser too"
)


def find_chromium() -> str | None:
    """A system Chromium or Chrome: ``$CXKIT_CHROMIUM``, else the first on PATH."""
    env = os.environ.get("CXKIT_CHROMIUM")
    if env:
        return env if Path(env).exists() else shutil.which(env)
    return next((p for n in CHROMIUM_NAMES if (p := shutil.which(n))), None)


def print_pdf(
    html: str | Path, pdf: str | Path, *, chromium: str | None = None, timeout: float = 120
) -> Path:
    """Print ``html`` to ``pdf`` with headless Chromium (no network, no header/footer)."""
    browser = chromium or find_chromium()
    if browser is None:
        raise ChromiumNotFound(PDF_WITHOUT_CHROMIUM)
    src, dst = Path(html).resolve(), Path(pdf).resolve()
    cmd = [
        browser,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        f"--print-to-pdf={dst}",
        "--no-pdf-header-footer",
        "--disable-background-networking",
        "--disable-component-update",
        "--no-first-run",
        "--run-all-compositor-stages-before-draw",
        "--virtual-time-budget=10000",
        src.as_uri(),
    ]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise ReportError(f"{src}: printing to PDF with {browser} failed: {exc}") from None
    if proc.returncode != 0 or not dst.exists():
        tail = (proc.stderr or "").strip().splitlines()[-3:]
        raise ReportError(f"{src}: {browser} could not print a PDF: {' '.join(tail)}")
    return dst
