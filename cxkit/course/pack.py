"""The student kit: what a class receives, and nothing that solves an exercise.

``build_pack(target)`` writes a folder (or a ``.zip``) with the exercise notebooks,
their starters and data, a short bilingual how-to and the install scripts. Answer keys
(``templates/trainer/``) and the sample workbooks (``data/samples/``, which would hand
out finished journeys) are never copied: only the five starters are.

``wheels/`` always holds cxkit's own wheel; with ``offline`` it holds every library cxkit
needs as well, so a room
without network installs with one command (``install-windows.bat`` or
``install-mac-linux.sh``, or ``python -m pip install --no-index --find-links wheels
cxkit``). Wheels of compiled libraries are per platform: pass ``platforms`` for the
laptops the students bring.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from cxkit.course.exercises import ROOT, rubrics
from cxkit.errors import CxkitError

#: pip's names for the platforms students bring (64-bit; Python 3.11 wheels).
PLATFORMS = {
    "linux": ["manylinux2014_x86_64", "manylinux_2_17_x86_64", "manylinux_2_28_x86_64"],
    "windows": ["win_amd64"],
    "macos": ["macosx_11_0_arm64", "macosx_10_9_x86_64", "macosx_11_0_x86_64"],
}

STUDENTS = """\
# CX exercises / תרגילי חוויית לקוח

1. Install (once): on Windows double-click `install-windows.bat`; on macOS or Linux run
   `sh install-mac-linux.sh` in this folder. It makes a `.venv` here and installs cxkit{offline}.
2. Start: `start-windows.bat` or `sh start-mac-linux.sh`. JupyterLab opens on the
   exercises. Open one, choose *Run > Run All Cells*, and fill in the form.
3. Your work is saved as you type, in `notebooks/exercises/my-work/`. Press
   **Check my work** for your score and what is still missing.
4. To hand in: zip the `my-work` folder (or the exercise's folder inside it) and upload it.

<div dir="rtl">

1. התקנה (פעם אחת): ב-Windows לחצו פעמיים על `install-windows.bat`; ב-macOS או ב-Linux הריצו
   `sh install-mac-linux.sh` בתיקייה הזו.
2. הפעלה: `start-windows.bat` או `sh start-mac-linux.sh`. נפתח JupyterLab עם התרגילים. פתחו
   תרגיל, בחרו *Run > Run All Cells* ומלאו את הטופס.
3. העבודה נשמרת תוך כדי הקלדה בתיקייה `notebooks/exercises/my-work/`. לחצו על
   **בדיקת העבודה שלי** לציון ולמה שעוד חסר.
4. הגשה: כווצו לקובץ zip את התיקייה `my-work` (או את תיקיית התרגיל שבתוכה) והעלו אותו.

</div>
"""

INSTALL_SH = """\
#!/bin/sh
# Installs cxkit into .venv in this folder{offline_note}.
cd "$(dirname "$0")" || exit 1
python3 -m venv .venv || exit 1
.venv/bin/python -m pip install {pip_args} cxkit || exit 1
echo "Installed. Start with: sh start-mac-linux.sh"
"""
INSTALL_BAT = """\
@echo off
rem Installs cxkit into .venv in this folder{offline_note}.
cd /d "%~dp0"
py -3 -m venv .venv || python -m venv .venv || exit /b 1
.venv\\Scripts\\python -m pip install {pip_args} cxkit || exit /b 1
echo Installed. Start with: start-windows.bat
pause
"""
START_SH = """\
#!/bin/sh
cd "$(dirname "$0")" || exit 1
.venv/bin/python -m jupyter lab notebooks/exercises
"""
START_BAT = """\
@echo off
cd /d "%~dp0"
.venv\\Scripts\\python -m jupyter lab notebooks\\exercises
"""


@dataclass(frozen=True)
class Pack:
    """What was written: the pack, its workbooks and its wheels (when offline)."""

    target: Path
    workbooks: list[str]
    wheels: int


def _pip(args: list[str]) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "pip", *args], capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["pip failed"])[-1]
        raise CxkitError(f"pip {args[0]}: {last}")


def _wheels(folder: Path, root: Path, offline: bool, platforms: list[str]) -> int:
    """cxkit's own wheel always (built here, no network); with ``offline``, every
    library it needs too (downloaded now, while there is network)."""
    folder.mkdir()
    _pip(["wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(folder), str(root)])
    (own,) = folder.glob("cxkit-*.whl")
    if offline:
        for name in platforms or [""]:
            extra: list[str] = []
            if name:
                extra = ["--only-binary=:all:", "--python-version", "3.11"]
                for tag in PLATFORMS[name]:
                    extra += ["--platform", tag]
            _pip(["download", "-q", "-d", str(folder), *extra, str(own)])
    return len(list(folder.glob("*.whl")))


def _write(folder: Path, root: Path, offline: bool, platforms: list[str]) -> Pack:
    starters = root / "templates" / "exercises"
    if not starters.is_dir():
        raise CxkitError(f"{starters}: not found; run course pack from a cxkit source folder")
    notebooks = folder / "notebooks" / "exercises"
    notebooks.mkdir(parents=True)
    for nb in sorted((root / "notebooks" / "exercises").glob("*.ipynb")):
        shutil.copy2(nb, notebooks / nb.name)
    for rubric in sorted(rubrics().values(), key=lambda r: r.exercise):
        for name in rubric.starters:
            shutil.copytree(
                starters / name,
                folder / "templates" / "exercises" / name,
                ignore=shutil.ignore_patterns(".*", "__pycache__", "*.bak"),
            )
    pip_args = "--no-index --find-links wheels" if offline else "--find-links wheels"
    note = (
        ", from the wheels folder (no network needed)"
        if offline
        else " (its libraries come from the internet)"
    )
    texts = {
        "STUDENTS.md": STUDENTS.format(offline=" from the `wheels` folder" if offline else ""),
        "install-mac-linux.sh": INSTALL_SH.format(pip_args=pip_args, offline_note=note),
        "install-windows.bat": INSTALL_BAT.format(pip_args=pip_args, offline_note=note),
        "start-mac-linux.sh": START_SH,
        "start-windows.bat": START_BAT,
    }
    for name, text in texts.items():
        newline = "\r\n" if name.endswith(".bat") else "\n"
        (folder / name).write_text(text.replace("\n", newline), encoding="utf-8", newline="")
    for script in ("install-mac-linux.sh", "start-mac-linux.sh"):
        (folder / script).chmod(0o755)
    wheels = _wheels(folder / "wheels", root, offline, platforms)
    books = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("workbook.yml"))
    return Pack(folder, books, wheels)


def build_pack(
    target: Path, *, offline: bool = False, platforms: list[str] | None = None, root: Path = ROOT
) -> Pack:
    """Write the student kit to ``target`` (an empty or new folder, or a ``.zip``)."""
    for name in platforms or []:
        if name not in PLATFORMS:
            raise CxkitError(f"--platform {name}: expected one of {', '.join(PLATFORMS)}")
    if target.suffix.lower() == ".zip":
        if target.is_dir():
            raise CxkitError(f"{target}: is a folder, not a zip file")
        with tempfile.TemporaryDirectory(prefix="cxkit-pack-") as tmp:
            inner = Path(tmp) / target.stem
            made = _write(inner, root, offline, platforms or [])
            target.parent.mkdir(parents=True, exist_ok=True)
            partial = target.with_name(f".{target.name}.tmp")
            with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as zf:
                for path in sorted(inner.rglob("*")):
                    if path.is_file():
                        zf.write(path, f"{target.stem}/{path.relative_to(inner).as_posix()}")
            partial.replace(target)
            return Pack(target, made.workbooks, made.wheels)
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise CxkitError(f"{target}: already exists and is not empty; choose a new folder")
    target.mkdir(parents=True, exist_ok=True)
    return _write(target, root, offline, platforms or [])
