"""Writing files so that a crash or a kill never leaves half of one.

A path that cannot be written (a folder in the way, a file where a folder should be,
no permission) is an :class:`~cxkit.errors.OutputError` naming the path and what to
do, never a traceback.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from cxkit.errors import OutputError, Problem, Reason


def atomic_write(path: Path, data: str | bytes, *, backup: bool = True) -> None:
    """Replace ``path`` with ``data`` so readers see the old file or the new one, never half.

    With ``backup``, the previous version is kept as ``<name>.bak``.
    """
    path = Path(path)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    if _is_dir(path):
        raise OutputError(
            [
                Problem(
                    str(path),
                    "is a folder; give a file name to write to",
                    Reason.CANNOT_WRITE,
                )
            ]
        )
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise cannot_write(path, exc) from None
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
            fh.flush()
            os.fsync(fh.fileno())
        if not path.exists():  # mkstemp creates 0600; a new file gets the usual umask mode
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)
        else:
            os.chmod(tmp, path.stat().st_mode & 0o777)
            if backup:
                bak_tmp = path.with_name(f".{path.name}.bak.tmp")
                shutil.copy2(path, bak_tmp)
                os.replace(bak_tmp, path.with_name(path.name + ".bak"))
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise cannot_write(path, exc) from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _fsync_dir(path.parent)


def cannot_write(path: Path, exc: OSError) -> OutputError:
    """The one-line problem for an output path that cannot be written, saying why."""
    blocker = next((p for p in (path, *path.parents) if _is_file(p)), None)
    if blocker is not None and blocker != path:
        why = f"'{blocker}' is a file, not a folder; choose another output path"
    elif isinstance(exc, PermissionError):
        why = "permission denied; choose a folder you can write to"
    else:
        why = f"{(exc.strerror or str(exc)).lower()}; choose another output path"
    return OutputError([Problem(str(path), f"cannot write here: {why}", Reason.CANNOT_WRITE)])


def _is_dir(path: Path) -> bool:
    try:
        return path.is_dir()
    except OSError:
        return False


def _is_file(path: Path) -> bool:
    try:
        return path.exists() and not path.is_dir()
    except OSError:
        return False


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
