"""Collecting what students hand in, safely.

``collect(folder, scratch)`` finds every workbook in a class folder, however it came:

- one folder per student (``noa/workbook.yml``, ``noa/my-work/ex04-scoring/...``),
- loose ``.yml`` / ``.yaml`` / ``.xlsx`` files (``dana.yml``),
- ``.zip`` files, one per student or one for the whole class,
- Moodle's "Download all submissions" (``Noa Levi_123456_assignsubmission_file_/``),
- Canvas's "Download submissions" (``levinoa_12345_67890_workbook.yml``, ``_LATE_``).

Names and LMS identifiers are taken from those layouts. Nothing is trusted: a symlink
that leaves the class folder, a special file (a device such as ``/dev/zero``, a FIFO),
an oversized file and an unsafe zip (absolute or ``..`` paths, links, bombs) are not
read; each is listed with its reason. Zips are unpacked into ``scratch`` only.
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

from cxkit._limits import workbook_max_bytes

WORKBOOK_SUFFIXES = {".yml", ".yaml", ".xlsx"}
MAX_FILE_BYTES = 50_000_000  # any file handed in but a YAML workbook (Excel, a survey)
MAX_ZIP_BYTES = 200_000_000  # everything in one zip, unpacked
MAX_ZIP_ENTRIES = 5_000
MAX_ZIP_RATIO = 200  # unpacked / packed, per entry
MAX_DEPTH = 5

MOODLE = re.compile(
    r"^(?P<name>.+?)_(?P<id>\d+)_assign(?:submission|feedback)_[a-z]+_?(?P<rest>.*)$"
)
CANVAS = re.compile(r"^(?P<login>[a-z0-9-]+?)(?:_LATE)?_(?P<uid>\d+)_(?P<sub>\d+)_(?P<rest>.+)$")

#: Why a submission was not read (stable codes; the class page's locale words them).
SKIP_REASONS = (
    "read-error",
    "symlink-nowhere",
    "symlink-outside",
    "special-file",
    "too-large",
    "zip-many",
    "zip-escape",
    "zip-link",
    "zip-big",
    "zip-bomb",
    "zip-lies",
    "bad-zip",
    "no-workbook",
)
Why = tuple[str, dict[str, str]]  # (reason code, details), ("", {}) when all is well


@dataclass(frozen=True)
class Found:
    """One submission: a workbook to read, or a thing that was not read, and why."""

    label: str  # where it came from, relative to the class folder
    student: str  # name from the layout (LMS, folder or file name)
    student_id: str  # LMS identifier when there is one, else the label
    lms: str = ""  # "moodle" | "canvas" | ""
    path: Path | None = None  # the workbook file (None when skipped)
    saved: float | None = None  # last-saved time (seconds since the epoch)
    skipped: str = ""  # why it was not read: one of SKIP_REASONS
    args: tuple[tuple[str, str], ...] = ()  # the details the reason's text names


@dataclass(frozen=True)
class _Who:
    student: str
    student_id: str
    lms: str


def _who(name: str, fallback: str) -> _Who:
    """Name and identifier from a Moodle or Canvas name, else from ``fallback``."""
    m = MOODLE.match(name)
    if m:
        return _Who(m["name"].strip(), f"Participant {m['id']}", "moodle")
    m = CANVAS.match(name)
    if m:
        return _Who(m["login"], m["uid"], "canvas")
    return _Who(fallback, fallback, "")


def _problem(entry: Path, root: Path) -> Why:
    """("", {}) when ``entry`` may be read; else (reason code, its details)."""
    try:
        st = entry.lstat()
    except OSError as exc:
        return "read-error", {"error": str(exc.strerror)}
    if stat.S_ISLNK(st.st_mode):
        try:
            target = entry.resolve(strict=True)
        except (OSError, RuntimeError):
            return "symlink-nowhere", {}
        if not target.is_relative_to(root):
            return "symlink-outside", {"target": str(target)}
        st = target.stat()
    if stat.S_ISDIR(st.st_mode):
        return "", {}
    if not stat.S_ISREG(st.st_mode):
        return "special-file", {}
    # A YAML workbook: cxkit's workbook limit (CXKIT_MAX_WORKBOOK_MB); a real one is ~30 KB.
    yml = entry.suffix.lower() in {".yml", ".yaml"}
    limit = workbook_max_bytes() if yml else MAX_FILE_BYTES
    if st.st_size > limit:
        return "too-large", {"size": f"{st.st_size:,}"}
    return "", {}


def _looks_like_workbook(path: Path) -> bool:
    if path.suffix.lower() in {".yml", ".yaml"}:
        try:
            with path.open("rb") as fh:
                head = fh.read(4096)
        except OSError:
            return True  # let the reader say what is wrong
        return b"cxkit:" in head or b"client:" in head
    # An Excel workbook template, not a survey export kept next to a YAML workbook.
    return "surveys" not in {p.lower() for p in path.parts[:-1]}


def _safe_extract(archive: Path, target: Path) -> Why:
    """Unpack ``archive`` into ``target``; ("", {}) on success, else why it was refused."""
    try:
        with zipfile.ZipFile(archive) as zf:
            infos = zf.infolist()
            if len(infos) > MAX_ZIP_ENTRIES:
                return "zip-many", {"count": f"{len(infos):,}"}
            total = 0
            for info in infos:
                name = info.filename.replace("\\", "/")
                parts = [p for p in name.split("/") if p]
                if name.startswith("/") or ".." in parts or (parts and ":" in parts[0]):
                    return "zip-escape", {"name": info.filename}
                if stat.S_ISLNK(info.external_attr >> 16):
                    return "zip-link", {"name": info.filename}
                total += info.file_size
                if total > MAX_ZIP_BYTES:
                    return "zip-big", {}
                if info.compress_size and info.file_size / info.compress_size > MAX_ZIP_RATIO:
                    return "zip-bomb", {"name": info.filename, "size": f"{info.file_size:,}"}
            for info in infos:
                parts = [p for p in info.filename.replace("\\", "/").split("/") if p]
                if not parts or parts[0] == "__MACOSX":
                    continue
                out = target.joinpath(*parts)
                if info.is_dir():
                    out.mkdir(parents=True, exist_ok=True)
                    continue
                out.parent.mkdir(parents=True, exist_ok=True)
                written = 0
                with zf.open(info) as src, out.open("wb") as dst:
                    while chunk := src.read(1 << 16):
                        written += len(chunk)
                        if written > info.file_size or written > MAX_FILE_BYTES:
                            return "zip-lies", {"name": info.filename}
                        dst.write(chunk)
                stamp = time.mktime((*info.date_time, 0, 0, -1))
                os.utime(out, (stamp, stamp))
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError) as exc:
        return "bad-zip", {"error": str(exc)}
    return "", {}


class _Collector:
    def __init__(self, root: Path, scratch: Path) -> None:
        self.root = root.resolve()
        self.scratch = scratch
        self.found: list[Found] = []
        self._zips = 0

    def _unzip(self, archive: Path) -> tuple[Path | None, Why]:
        self._zips += 1
        target = self.scratch / f"zip{self._zips}"
        target.mkdir(parents=True)
        why = _safe_extract(archive, target)
        return (None, why) if why[0] else (target, why)

    def skip(self, label: str, who: _Who, why: Why) -> None:
        code, args = why
        self.found.append(
            Found(
                label,
                who.student,
                who.student_id,
                who.lms,
                skipped=code,
                args=tuple(sorted(args.items())),
            )
        )

    def unit(self, folder: Path, label: str, who: _Who, base: Path, depth: int = 0) -> None:
        """Every workbook one student handed in, anywhere under ``folder``."""
        books: list[Path] = []
        before = len(self.found)
        for path in sorted(folder.rglob("*")):
            rel = path.relative_to(folder)
            if any(p.startswith(".") or p == "__MACOSX" for p in rel.parts):
                continue
            if len(rel.parts) > MAX_DEPTH:
                continue
            why = _problem(path, base)
            if why[0]:
                if path.suffix.lower() in WORKBOOK_SUFFIXES | {".zip"}:
                    self.skip(f"{label}/{rel.as_posix()}", who, why)
                continue
            if path.is_dir():
                continue
            suffix = path.suffix.lower()
            if suffix == ".zip" and depth < 2:
                inner, why = self._unzip(path)
                if inner is None:
                    self.skip(f"{label}/{rel.as_posix()}", who, why)
                else:
                    self.unit(inner, f"{label}/{rel.as_posix()}", who, inner, depth + 1)
            elif suffix in WORKBOOK_SUFFIXES and _looks_like_workbook(path):
                books.append(path)
        yml = [b for b in books if b.suffix.lower() != ".xlsx"]
        for book in yml or books:
            where = book.relative_to(folder).as_posix()
            self.found.append(
                Found(
                    f"{label}/{where}",
                    who.student,
                    who.student_id,
                    who.lms,
                    book,
                    book.stat().st_mtime,
                )
            )
        if len(self.found) == before:
            self.skip(label, who, ("no-workbook", {}))

    def canvas_group(self, files: list[Path], who: _Who) -> None:
        """Canvas puts each uploaded file loose, prefixed; rebuild the student's folder."""
        folder = self.scratch / f"canvas-{who.student_id}"
        folder.mkdir(parents=True, exist_ok=True)
        for f in files:
            m = CANVAS.match(f.name)
            shutil.copy2(f, folder / (m["rest"] if m else f.name))
        _place_survey_files(folder)
        self.unit(folder, files[0].name, who, folder)

    def walk(self, folder: Path, prefix: str = "", depth: int = 0) -> None:
        canvas: dict[str, list[Path]] = {}
        whos: dict[str, _Who] = {}
        for entry in sorted(folder.iterdir()):
            if entry.name.startswith(".") or entry.name == "__MACOSX":
                continue
            label = f"{prefix}{entry.name}"
            who = _who(entry.name, entry.name if entry.is_dir() else entry.stem)
            why = _problem(entry, self.root if not prefix else folder.resolve())
            if why[0]:
                self.skip(label, who, why)
                continue
            if entry.is_dir() and depth < 2 and _is_class_download(entry):
                self.walk(entry, f"{label}/", depth + 1)  # a download kept in its own folder
                continue
            if entry.is_dir():
                self.unit(entry, label, who, self.root if not prefix else folder.resolve())
                continue
            suffix = entry.suffix.lower()
            if who.lms == "canvas":
                canvas.setdefault(who.student_id, []).append(entry)
                whos[who.student_id] = who
            elif suffix == ".zip":
                self.zip(entry, label, who, depth)
            elif suffix in WORKBOOK_SUFFIXES:
                if who.lms == "moodle":
                    who = _Who(who.student, who.student_id, who.lms)
                self.found.append(
                    Found(label, who.student, who.student_id, who.lms, entry, entry.stat().st_mtime)
                )
        for uid, files in canvas.items():
            zips = [f for f in files if f.suffix.lower() == ".zip"]
            for z in zips:
                self.zip(z, f"{prefix}{z.name}", whos[uid], depth)
            rest = [f for f in files if f.suffix.lower() in WORKBOOK_SUFFIXES]
            if rest:
                self.canvas_group(rest, whos[uid])

    def zip(self, entry: Path, label: str, who: _Who, depth: int) -> None:
        inner, why = self._unzip(entry)
        if inner is None:
            self.skip(label, who, why)
            return
        if depth < 1 and _is_class_download(inner):
            self.walk(inner, f"{label}!", depth + 1)
        else:
            self.unit(inner, label, who, inner, depth + 1)


def _is_class_download(folder: Path) -> bool:
    """A zip of the whole class (Moodle or Canvas), not one student's work."""
    names = [e.name for e in folder.iterdir() if not e.name.startswith(".")]
    return bool(names) and all(MOODLE.match(n) or CANVAS.match(n) for n in names)


def _place_survey_files(folder: Path) -> None:
    """Put loose files where the workbook's ``surveys:`` entries look for them."""
    for book in folder.glob("*.y*ml"):
        try:
            text = book.read_text("utf-8", errors="replace")
        except OSError:
            continue
        for m in re.finditer(r"^\s*file:\s*['\"]?([^'\"\n]+)", text, re.MULTILINE):
            wanted = Path(m.group(1).strip())
            if wanted.is_absolute() or ".." in wanted.parts:
                continue
            here = folder / wanted.name
            if here.is_file() and not (folder / wanted).exists():
                (folder / wanted).parent.mkdir(parents=True, exist_ok=True)
                shutil.move(here, folder / wanted)


def collect(folder: Path, scratch: Path) -> list[Found]:
    """Every submission in the class folder ``folder``; zips unpack into ``scratch``."""
    collector = _Collector(folder, scratch)
    collector.walk(folder)
    return collector.found
