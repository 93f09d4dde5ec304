"""Limits on untrusted files, and the checks that enforce them before anything is parsed.

A workbook, a survey export or a student's submission may come from someone else
(see SECURITY.md). Each check here runs *before* the expensive step: the size of a
file before it is read, the declared sizes of a zip before a sheet is inflated,
where a referenced path really leads (symlinks included) before it is opened, and
the first bytes of a logo before it is embedded. Every message names the file, the
limit and, where raising it makes sense, how.

This module is low in the layers: it imports only :mod:`cxkit.errors`.

>>> excerpt("x" * 500).endswith("x… (500 chars)")
True
>>> image_kind(b"GIF89a...")
'image/gif'
"""

from __future__ import annotations

import os
import re
import stat
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

from cxkit.errors import LimitExceeded, Problem, ProblemsError, Reason, Term, Words

ENV_WORKBOOK_MB = "CXKIT_MAX_WORKBOOK_MB"
ENV_SPREADSHEET_MB = "CXKIT_MAX_SPREADSHEET_MB"
ENV_ALLOWED_FOLDERS = "CXKIT_ALLOWED_FOLDERS"

WORKBOOK_MB = 1  # samples are ~40 KB; ruamel parses ~0.2 MB/s: 1 MB is ~5 s at worst
SPREADSHEET_MB = 100  # a survey export's whole .xlsx, unzipped
EXCEL_PER_YAML = 10  # an Excel workbook (the template) may unzip to 10x the YAML limit
#: A workbook nests at most ~10 levels (journeys > stage > touchpoints > emotion_by_persona).
YAML_MAX_DEPTH = 20
#: Ordinary sheets inflate 5-30x; a zip bomb inflates 1000x and more. Parts under
#: ZIP_RATIO_FLOOR bytes are never refused for their ratio (tiny parts compress well).
ZIP_MAX_RATIO = 200
ZIP_RATIO_FLOOR = 1_000_000
ZIP_MAX_PARTS = 10_000
LOGO_MAX_BYTES = 400_000
EXCERPT_CHARS = 60
PATH_CHARS = 240  # a path a workbook names is shown whole unless absurdly long

_MB = 1_000_000


# --------------------------------------------------------------------------- settings


def _env_mb(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    try:
        value = float(raw) if raw else float(default)
    except ValueError:
        return default * _MB
    return int(value * _MB) if value > 0 else default * _MB


def workbook_max_bytes() -> int:
    """Largest workbook YAML file read (``CXKIT_MAX_WORKBOOK_MB``, default 1 MB)."""
    return _env_mb(ENV_WORKBOOK_MB, WORKBOOK_MB)


def spreadsheet_max_bytes() -> int:
    """Largest unzipped .xlsx read (``CXKIT_MAX_SPREADSHEET_MB``, default 100 MB)."""
    return _env_mb(ENV_SPREADSHEET_MB, SPREADSHEET_MB)


def allowed_folders() -> list[Path]:
    """Folders outside a client folder that the user allowed files to come from.

    Set by the user, never by a workbook (a workbook is untrusted): the
    ``CXKIT_ALLOWED_FOLDERS`` environment variable (separated like PATH), which
    ``cxkit --allow-folder DIR`` sets for the command and every kernel it starts.
    """
    raw = os.environ.get(ENV_ALLOWED_FOLDERS, "")
    return [Path(p).expanduser().resolve() for p in raw.split(os.pathsep) if p.strip()]


def _mb(n: int) -> str:
    return f"{n / _MB:.1f}".rstrip("0").rstrip(".") + " MB"


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def excerpt(text: object, limit: int = EXCERPT_CHARS) -> str:
    r"""At most ``limit`` characters of ``text`` for an error message, on one line, with
    control characters (line breaks, NUL, terminal escapes) shown as ``\n``, ``\x1b``...

    >>> print(excerpt("a\x1b[31mb\n"))
    a\x1b[31mb\n
    """
    s = str(text)
    flat = _CONTROL.sub(lambda m: _NAMED.get(m.group(), f"\\x{ord(m.group()):02x}"), s)
    if len(flat) <= limit:
        return flat
    return f"{flat[:limit]}… ({len(s)} chars)"


# --------------------------------------------------------------------------- reading


def _fail(
    error: type[ProblemsError],
    file: Path | str,
    message: str,
    reason: Reason,
    words: Words | None = None,
) -> NoReturn:
    """Raise ``error`` with one problem; ``words`` is the message as a template and its
    values (``locales/messages.*.yml``), for wording it in the workbook's language."""
    raise error([Problem(str(file), message, reason, words=words)])


def _what(what: str) -> Term:
    """A kind of file as a word of the messages' table (``survey export`` -> ``survey-export``)."""
    return Term("file-" + what.replace(" ", "-"))


def regular_file_size(
    path: Path, what: str = "file", error: type[ProblemsError] = LimitExceeded
) -> int:
    """The size of ``path`` if it is a regular file (symlinks followed); refuse devices,
    pipes and sockets (``/dev/zero``, a FIFO that would block forever)."""
    st = os.stat(path)
    if stat.S_ISDIR(st.st_mode):
        raise IsADirectoryError(str(path))
    if not stat.S_ISREG(st.st_mode):
        _fail(
            error,
            path,
            f"is not a regular file (a device, pipe or socket); a {what} must be an ordinary file",
            Reason.NOT_A_FILE,
            Words.of("not-regular", what=_what(what)),
        )
    return st.st_size


def read_bounded(
    path: Path,
    max_bytes: int,
    *,
    what: str,
    raise_hint: str = "",
    error: type[ProblemsError] = LimitExceeded,
) -> bytes:
    """The bytes of regular file ``path``, refused unread when it is over ``max_bytes``.

    The size is checked before reading and the read itself stops at the limit, so a
    file that grows (or lies about its size, like ``/proc`` files) cannot exceed it.
    """
    size = regular_file_size(path, what, error)

    def over(actual: str, more: bool = False, exact: int | None = None) -> None:
        hint = f"; {raise_hint}" if raise_hint else ""
        said = f"more than {actual}" if more else actual
        words = Words.of(
            "over-limit-more" if more else "over-limit",
            size=actual if exact is None else Words.of("bytes", n=f"{exact:,}"),
            limit=_mb(max_bytes),
            what=_what(what),
            hint=Words.of("raise-limit", setting=ENV_WORKBOOK_MB, mb=max_bytes // _MB)
            if what == "workbook" and raise_hint
            else Words.of("smaller-image")
            if what == "logo"
            else None,
        )
        _fail(
            error,
            path,
            f"is {said}, over the {_mb(max_bytes)} limit for a {what}{hint}",
            Reason.TOO_LARGE,
            words,
        )

    if size > max_bytes:
        shown = _mb(size)
        if shown != _mb(max_bytes):
            over(shown)
        else:
            over(f"{size:,} bytes", exact=size)
    # Non-blocking, and checked again once open: a file swapped for a pipe meanwhile
    # neither blocks nor gets read.
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(fd, "rb") as fh:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            _fail(error, path, "is not a regular file any more", Reason.NOT_A_FILE)
        data = fh.read(max_bytes + 1)
    if len(data) > max_bytes:
        over(_mb(max_bytes), more=True)
    return data


def workbook_bytes(path: Path, error: type[ProblemsError] = LimitExceeded) -> bytes:
    """A workbook YAML file's bytes, within :func:`workbook_max_bytes`."""
    limit = workbook_max_bytes()
    return read_bounded(
        path,
        limit,
        what="workbook",
        raise_hint=f"if it really is that large, set {ENV_WORKBOOK_MB} to more than "
        f"{limit // _MB} (megabytes)",
        error=error,
    )


def excel_workbook_max_bytes() -> int:
    """Largest unzipped Excel *workbook* (the template) read: 10 times the YAML limit.

    openpyxl holds every cell in memory: a template that unzips to 9 MB takes ~3.5 s
    and ~280 MB (benchmarks/bench_hostile.py), about what the largest YAML costs.
    """
    return EXCEL_PER_YAML * workbook_max_bytes()


def check_zip(
    path: Path,
    *,
    what: str,
    error: type[ProblemsError] = LimitExceeded,
    limit: int | None = None,
    raise_hint: str | None = None,
) -> None:
    """Refuse an .xlsx whose zip declares too much data, too many parts, or a part that
    inflates like a zip bomb, before any part is inflated.

    ``limit`` (unzipped bytes) defaults to :func:`spreadsheet_max_bytes`, and
    ``raise_hint`` to how to raise that. Python's ``zipfile`` (which openpyxl reads
    through) never returns more than a part's declared size, so checking the declared
    sizes bounds the real ones.
    """
    regular_file_size(path, what, error)
    try:
        with zipfile.ZipFile(path) as zf:
            parts = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        _fail(
            error,
            path,
            f"cannot be read as an Excel workbook (not a valid .xlsx zip: {excerpt(exc)})",
            Reason.MALFORMED,
        )
    if len(parts) > ZIP_MAX_PARTS:
        _fail(
            error,
            path,
            f"has {len(parts)} parts inside, over the limit of {ZIP_MAX_PARTS} for a {what}",
            Reason.TOO_LARGE,
        )
    if limit is None:
        limit = spreadsheet_max_bytes()
        raise_hint = (
            f"if it really is that large, set {ENV_SPREADSHEET_MB} to more than "
            f"{limit // _MB} (megabytes)"
        )
    total = sum(p.file_size for p in parts)
    if total > limit:
        hint = f"; {raise_hint}" if raise_hint else ""
        _fail(
            error,
            path,
            f"unzips to {_mb(total)}, over the {_mb(limit)} limit for a {what}{hint}",
            Reason.TOO_LARGE,
        )
    for p in parts:
        if p.file_size > ZIP_RATIO_FLOOR and p.file_size > ZIP_MAX_RATIO * max(p.compress_size, 1):
            ratio = p.file_size // max(p.compress_size, 1)
            _fail(
                error,
                path,
                f"part '{excerpt(p.filename)}' unzips {ratio} times larger than it is stored "
                f"(the limit is {ZIP_MAX_RATIO}); that is a zip bomb, not a {what}: not read",
                Reason.TOO_LARGE,
            )


# --------------------------------------------------------------------------- folders


@dataclass(frozen=True)
class Resolved:
    """Where a path a workbook names really leads; ``problem`` says why it may not be read."""

    path: Path
    problem: str | None = None
    reason: Reason = Reason.OUTSIDE_FOLDER
    words: Words | None = None  # the problem as a template and its values


def resolve_inside(folder: Path, name: str, extra: Sequence[Path] = ()) -> Resolved:
    """``name`` (relative to ``folder``, or absolute) resolved with symlinks followed;
    a problem unless it lands inside ``folder`` or a folder the user allowed."""
    base = Path(folder).resolve()
    if "\0" in name:
        return Resolved(
            base,
            f"'{excerpt(name, PATH_CHARS)}' contains a NUL character, which no file name has",
            Reason.BAD_VALUE,
            Words.of("nul-in-name", name=excerpt(name, PATH_CHARS)),
        )
    target = (base / name).resolve()
    roots = [base, *allowed_folders(), *(Path(e).resolve() for e in extra)]
    if any(target == r or target.is_relative_to(r) for r in roots):
        return Resolved(target)
    shown = excerpt(name, PATH_CHARS)
    via = "" if str(target) == os.path.normpath(str(base / name)) else f" (it leads to {target})"
    return Resolved(
        target,
        f"'{shown}' is outside the client folder{via}; only files inside {base} are read. "
        f"Move the file into the client folder, or allow its folder with "
        f"`cxkit --allow-folder {target.parent} ...` (or {ENV_ALLOWED_FOLDERS})",
        words=Words.of(
            "outside-folder",
            name=shown,
            via=Words.of("leads-to", target=str(target)) if via else None,
            base=str(base),
            parent=str(target.parent),
            setting=ENV_ALLOWED_FOLDERS,
        ),
    )


# --------------------------------------------------------------------------- images

_SVG = re.compile(
    rb"^\s*(<\?xml[^>]{0,200}\?>\s*)?(<!--.{0,2000}?-->\s*)*"
    rb"(<!DOCTYPE\s+svg[^>\[]{0,300}>\s*)?(<!--.{0,2000}?-->\s*)*<svg[\s>]",
    re.DOTALL | re.IGNORECASE,
)
IMAGE_KINDS = ("image/png", "image/jpeg", "image/gif", "image/webp", "image/svg+xml")


def image_kind(head: bytes) -> str | None:
    """The image type of a file by its first bytes (never its name), or None.

    PNG, JPEG, GIF and WebP by their signatures; SVG when the text starts with an
    ``<svg`` element (used only as an ``<img>`` source, where its scripts never run).
    """
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "image/gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    text = head[3:] if head.startswith(b"\xef\xbb\xbf") else head
    if _SVG.match(text[:4096]):
        return "image/svg+xml"
    return None


def read_logo(folder: Path, name: str, error: type[ProblemsError] = LimitExceeded) -> bytes:
    """The logo's bytes if it is inside ``folder``, a regular file within
    :data:`LOGO_MAX_BYTES`, and an image by its bytes; else raise ``error``."""
    where = resolve_inside(folder, name)
    if where.problem:
        _fail(error, where.path, where.problem, where.reason, where.words)
    data = read_bounded(
        where.path, LOGO_MAX_BYTES, what="logo", raise_hint="use a smaller image", error=error
    )
    if image_kind(data[:4096]) is None:
        _fail(
            error,
            where.path,
            "is not an image: a logo must be a PNG, JPEG, GIF, WebP or SVG file "
            "(checked by its contents, not its name)",
            Reason.NOT_AN_IMAGE,
            Words("not-an-image"),
        )
    return data
