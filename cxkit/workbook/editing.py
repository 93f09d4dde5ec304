"""Editing a workbook live: validate every change, save it soon, never lose or undo work.

The forms in :mod:`cxkit.widgets` (and any other editor) never touch the file. They
call :meth:`EditSession.apply` with an edit (see :mod:`cxkit.workbook.edits`) that changes a
*copy* of the workbook. The copy is validated in full; if valid it becomes the
session's workbook, the change is recorded for undo, and a save is due.

- **One session per file per process**: :meth:`EditSession.open` returns the session
  already open on that file, so every form in a kernel shares it.
- **Bounded latency**: a change is written at most ``max_wait`` seconds after the first
  unsaved change (a deadline, not a timer that each keystroke restarts). Pending
  changes are written at interpreter exit (kernel shutdown) and by :meth:`flush`.
- **Many editors, one file**: a save first compares the file's content hash with the
  one it last read or wrote. If another process changed the file, this session's
  changes are applied to the fresh file (:func:`cxkit.workbook.changes.merge`); where both
  changed the same field, the other's value is kept and a :class:`Conflict` with
  both values is reported. Saves take an advisory lock on ``.<name>.lock``.
- **Undo / redo** of the session's own changes, applied the same three-way way.
- :meth:`EditSession.watch` (the forms start it in a kernel) takes in other editors'
  saves while this session has nothing pending, so a form never shows a stale file.

Saves are atomic, keep a ``.bak`` and keep the YAML's comments; lines a change does
not touch stay byte-identical.

>>> session = EditSession.open("clients/acme")                        # doctest: +SKIP
>>> session.apply(lambda wb: setattr(wb.client, "name", "Acme"))       # doctest: +SKIP
[]
>>> session.flush()                                                    # doctest: +SKIP
"""

from __future__ import annotations

import atexit
import contextlib
import fcntl
import hashlib
import io
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from ruamel.yaml import YAML

from cxkit._files import atomic_write
from cxkit.errors import Problem, Reason, WorkbookError
from cxkit.workbook import edits
from cxkit.workbook.changes import Change, Conflict, diff, merge
from cxkit.workbook.model import Loc, Workbook, check_references
from cxkit.workbook.problems import problems_from_refs, problems_from_validation
from cxkit.workbook.yamlfile import (
    WorkbookFile,
    _plain,
    merge_into,
    resolve_workbook_path,
    validate_data,
)

Edit = Callable[[Workbook], Any]
MAX_WAIT = 0.25  # seconds from the first unsaved change to its save (then ~0.1 s to write)
_MERGE_WINDOW = 2.0  # keystrokes into one field within this many seconds undo together


def _no_place(_: Loc) -> tuple[str, int | None]:
    return "", None


def _yaml() -> YAML:
    """The round-trip YAML writer, never re-wrapping a line (untouched lines stay as read)."""
    y = YAML(typ="rt")
    y.preserve_quotes = True
    y.indent(mapping=2, sequence=4, offset=2)
    y.width = 1 << 20
    y.allow_unicode = True
    return y


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass
class SaveStatus:
    state: str = "saved"  # saved | pending | saving | error
    saved_at: float | None = None
    error: str | None = None


@dataclass
class Step:
    """One undoable change: what it was (for the button's tooltip) and its changes."""

    label: str
    changes: list[Change]
    at: float = field(default_factory=time.monotonic)


_SESSIONS: dict[Path, EditSession] = {}
_SESSIONS_LOCK = threading.Lock()


class EditSession:
    """A workbook file open for editing. Thread-safe; see the module docstring."""

    def __init__(self, file: WorkbookFile, *, max_wait: float = MAX_WAIT) -> None:
        self.file = file
        self.max_wait = max_wait
        self.status = SaveStatus()
        self.listeners: list[Callable[[EditSession], None]] = []
        self.conflicts: list[Conflict] = []
        self.undo_steps: list[Step] = []
        self.redo_steps: list[Step] = []
        self.revision = 0  # bumps whenever the workbook changes (edits, merges, undo)
        self.merges = 0  # bumps when another editor's saved changes came in
        self._lock = threading.RLock()
        self._save_lock = threading.Lock()
        self._timer: threading.Timer | None = None
        self._watcher: threading.Thread | None = None
        self._dirty = False
        self._base: dict[str, Any] = self._plain()
        self._hash = _digest(file.path.read_bytes()) if file.path.is_file() else ""

    @classmethod
    def open(cls, path: str | Path, *, max_wait: float = MAX_WAIT) -> EditSession:
        """The session on ``path`` in this process (opened on first use)."""
        key = resolve_workbook_path(path).resolve()
        with _SESSIONS_LOCK:
            session = _SESSIONS.get(key)
            if session is None:
                session = cls(WorkbookFile.load(key), max_wait=max_wait)
                _SESSIONS[key] = session
                return session
        session.sync()  # another process may have changed the file since
        return session

    # ------------------------------------------------------------------ state

    @property
    def workbook(self) -> Workbook:
        return self.file.workbook

    @property
    def path(self) -> Path:
        return self.file.path

    @property
    def language(self) -> str:
        return self.workbook.client.language.value

    @property
    def dirty(self) -> bool:
        return self._dirty

    def _plain(self) -> dict[str, Any]:
        return dict(self.workbook.model_dump(mode="json"))

    # ------------------------------------------------------------------ editing

    def check(self, edit: Edit, at: Loc = ()) -> tuple[Workbook | None, list[Problem]]:
        """Apply ``edit`` to a copy; return the copy if valid, else the problems."""
        with self._lock:
            candidate = self.workbook.model_copy(deep=True)
        file = str(self.path)
        try:
            edit(candidate)
        except ValidationError as exc:  # a field assignment was refused
            return None, problems_from_validation(exc, file, _no_place, prefix=at)
        except KeyError as exc:  # the item was removed meanwhile (another editor, undo)
            return None, [Problem(file, f"'{exc.args[0]}' is gone", Reason.BAD_REFERENCE, loc=at)]
        return self._validated(candidate.model_dump(mode="json"))

    def _validated(self, data: Any) -> tuple[Workbook | None, list[Problem]]:
        file = str(self.path)
        try:  # in-place list edits (append, reorder) bypass assignment checks
            candidate = Workbook.model_validate(data)
        except ValidationError as exc:
            return None, problems_from_validation(exc, file, _no_place)
        refs = check_references(candidate)
        if refs:
            return None, problems_from_refs(refs, file, _no_place)
        return candidate, []

    def apply(self, edit: Edit, at: Loc = (), label: str = "") -> list[Problem]:
        """Validate and apply ``edit``; a save is due. Returns the problems (empty if ok)."""
        with self._lock:
            before = self._plain()
            candidate, problems = self.check(edit, at)
            if candidate is None:
                return problems
            changes = diff(before, candidate.model_dump(mode="json"))
            if not changes:
                return []
            self._record(Step(label, changes))
            self.redo_steps.clear()
            self._adopt(candidate)
        self._notify()
        self._save_if_immediate()
        return []

    def _record(self, step: Step) -> None:
        last = self.undo_steps[-1] if self.undo_steps else None
        if (
            last is not None
            and len(last.changes) == len(step.changes) == 1
            and last.changes[0].kind == step.changes[0].kind == "set"
            and last.changes[0].at == step.changes[0].at
            and last.label == step.label
            and step.at - last.at < _MERGE_WINDOW
        ):  # typing into one field: one undo step for the burst
            first = last.changes[0]
            merged = Change("set", first.at, first.old, step.changes[0].new)
            self.undo_steps[-1] = Step(last.label, [merged], step.at)
        else:
            self.undo_steps.append(step)

    def _adopt(self, workbook: Workbook) -> None:
        """Make ``workbook`` current and make a save due (call with the lock held)."""
        self.file.workbook = workbook
        self.revision += 1
        self._dirty = True
        if self.status.state != "saving":
            self.status = SaveStatus("pending", self.status.saved_at)
        if self.max_wait > 0 and self._timer is None:  # a deadline from the first change
            self._timer = threading.Timer(self.max_wait, self._timer_fired)
            self._timer.daemon = True
            self._timer.start()

    def _save_if_immediate(self) -> None:
        if self.max_wait <= 0:
            self._save()

    def _timer_fired(self) -> None:
        with self._lock:
            self._timer = None
        self._save()

    # ------------------------------------------------------------------ undo / redo

    def undo(self) -> list[Conflict]:
        """Undo the last change this session made (unless others changed it since)."""
        return self._replay(self.undo_steps, self.redo_steps, inverse=True)

    def redo(self) -> list[Conflict]:
        return self._replay(self.redo_steps, self.undo_steps, inverse=False)

    def _replay(self, source: list[Step], target: list[Step], *, inverse: bool) -> list[Conflict]:
        with self._lock:
            if not source:
                return []
            step = source.pop()
            changes = [c.inverse() for c in reversed(step.changes)] if inverse else step.changes
            data, conflicts = merge(changes, self._plain())
            candidate, problems = self._validated(data)
            if candidate is None:
                source.append(step)
                self.conflicts = [Conflict((), None, str(p)) for p in problems]
                conflicts = self.conflicts
            else:
                target.append(Step(step.label, step.changes))
                self.conflicts = conflicts
                self._adopt(candidate)
        self._notify()
        self._save_if_immediate()
        return conflicts

    def settle(self, *, keep_mine: bool) -> list[Conflict]:
        """Answer the conflicts: keep the file's values (forget them) or put mine back.

        Putting mine back is an edit like any other (saved, undoable); a conflict on a
        whole item (deleted here, changed there) keeps the file's version.
        """
        with self._lock:
            conflicts, self.conflicts = self.conflicts, []
            if not keep_mine or not conflicts:
                candidate = None
            else:
                before = self._plain()
                changes = [Change("set", c.at, c.theirs, c.mine) for c in conflicts]
                data, left = merge(changes, before)
                candidate, _ = self._validated(data)
                if candidate is None:
                    self.conflicts = conflicts
                    return conflicts
                self.conflicts = left
                changed = diff(before, candidate.model_dump(mode="json"))
                if changed:
                    self._record(Step("keep mine", changed))
                    self.redo_steps.clear()
                    self._adopt(candidate)
        self._notify()
        if candidate is not None:
            self._save_if_immediate()
        return self.conflicts

    # ------------------------------------------------------------------ saving

    @contextlib.contextmanager
    def _file_lock(self) -> Iterator[None]:
        lock = self.path.with_name(f".{self.path.name}.lock")
        with open(lock, "a+b") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)

    def _save(self) -> None:
        with self._save_lock:
            with self._lock:
                if not self._dirty:
                    return
                snapshot = self._plain()
                self._dirty = False
                self.status = SaveStatus("saving", self.status.saved_at)
            self._notify()
            try:
                with self._file_lock():
                    self._write(snapshot)
            except Exception as exc:  # disk full, a bad merge...: the old file is whole
                with self._lock:
                    self._dirty = True
                    self.status = SaveStatus("error", self.status.saved_at, str(exc))
            else:
                with self._lock:
                    state = "pending" if self._dirty else "saved"
                    self.status = SaveStatus(state, time.time())
        self._notify()

    def _write(self, snapshot: dict[str, Any]) -> None:
        """Write ``snapshot`` (re-applied to the file if it changed on disk). Lock held."""
        on_disk = self.path.read_bytes() if self.path.is_file() else b""
        if self._hash and _digest(on_disk) != self._hash:
            fresh = WorkbookFile.load(self.path)
            merged, conflicts = merge(
                diff(self._base, snapshot), fresh.workbook.model_dump(mode="json")
            )
            workbook, problems = self._validated(merged)
            if workbook is None:
                raise WorkbookError(problems)
            with self._lock:  # changes made while we were merging go on top
                later = diff(snapshot, self._plain())
                current, more = merge(later, merged)
                now, _ = self._validated(current)
                self.conflicts = conflicts + more
                self.file._doc = fresh._doc
                self.file.workbook = now if now is not None else workbook
                self.revision += 1
                self.merges += 1
            snapshot = merged
        text = self._dumps(snapshot)
        check = _yaml().load(text)  # never write what we could not read back
        validate_data(_plain(check), str(self.path), lambda _loc: ("", None))
        atomic_write(self.path, text, backup=True)
        self.file._doc = check
        self._hash = _digest(text.encode("utf-8"))
        self._base = snapshot

    def _dumps(self, data: dict[str, Any]) -> str:
        workbook = Workbook.model_validate(data)
        minimal = workbook.model_dump(mode="json", exclude_defaults=True)
        minimal.setdefault("cxkit", data["cxkit"])
        doc = self.file._doc
        doc = merge_into(doc if doc is not None else None, data, minimal)
        buf = io.StringIO()
        _yaml().dump(doc, buf)
        return buf.getvalue()

    def sync(self) -> bool:
        """Take in changes another process saved; True when there were any."""
        with self._lock:
            dirty = self._dirty
        if dirty:
            self.flush()  # a save merges with the file
            return True
        with self._save_lock, self._file_lock():
            on_disk = self.path.read_bytes() if self.path.is_file() else b""
            if not self._hash or _digest(on_disk) == self._hash:
                return False
            fresh = WorkbookFile.load(self.path)
            with self._lock:
                self.file = fresh
                self._base = self._plain()
                self._hash = _digest(on_disk)
                self.revision += 1
                self.merges += 1
        self._notify()
        return True

    def watch(self, every: float = 1.0) -> None:
        """Take in other editors' saves while idle, checking the file every ``every`` s
        (its size and time first, the content hash only when those changed)."""
        with self._lock:
            if self._watcher is not None:
                return
            self._watcher = threading.Thread(target=self._watch, args=(every,), daemon=True)
            self._watcher.start()

    def _watch(self, every: float) -> None:
        def stamp() -> tuple[int, int]:
            try:
                st = self.path.stat()
            except OSError:
                return (0, 0)
            return (st.st_mtime_ns, st.st_size)

        last = stamp()
        while True:
            time.sleep(every)
            now = stamp()
            if now != last and not self._dirty:
                with contextlib.suppress(Exception):  # a half-written file: next time
                    self.sync()
                last = stamp()

    def flush(self) -> SaveStatus:
        """Write any pending change now (and wait for it)."""
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None
        self._save()
        return self.status

    def close(self) -> SaveStatus:
        """Flush, and forget the session (the next open reads the file again)."""
        status = self.flush()
        with _SESSIONS_LOCK:
            for key, session in list(_SESSIONS.items()):
                if session is self:
                    del _SESSIONS[key]
        return status

    def _notify(self) -> None:
        for listener in list(self.listeners):
            listener(self)

    # ------------------------------------------------------------------ named edits

    def set_field(self, kind: str, ids: edits.Ids, name: str, value: Any) -> list[Problem]:
        found = edits.find(self.workbook, kind, ids)
        at = found[1] if found is not None else ()
        return self.apply(edits.set_field(kind, ids, name, value), at=at, label=name)

    def insert(
        self, kind: str, parent: edits.Ids, item: Any, after: str | None = None
    ) -> list[Problem]:
        return self.apply(edits.insert(kind, parent, item, after), label=f"add {kind}")

    def delete(self, kind: str, ids: edits.Ids) -> list[Problem]:
        return self.apply(edits.delete(kind, ids), label=f"delete {kind}")

    def move(self, kind: str, ids: edits.Ids, step: int) -> list[Problem]:
        return self.apply(edits.move(kind, ids, step), label=f"move {kind}")

    def relocate(self, kind: str, ids: edits.Ids, parent: edits.Ids, index: int) -> list[Problem]:
        """Drop a stage or touchpoint at ``index`` of ``parent`` (see :func:`edits.relocate`)."""
        return self.apply(edits.relocate(kind, ids, parent, index), label=f"move {kind}")

    def what_goes(self, kind: str, ids: edits.Ids) -> dict[str, int]:
        return edits.what_goes(self.workbook, kind, ids)


def flush_all() -> None:
    """Write every session's pending changes (runs at interpreter exit)."""
    with _SESSIONS_LOCK:
        sessions = list(_SESSIONS.values())
    for session in sessions:
        with contextlib.suppress(Exception):  # at exit there is no one left to tell
            session.flush()


atexit.register(flush_all)


def problems_at(problems: list[Problem], loc: Loc) -> list[Problem]:
    """The problems located at ``loc`` or inside it."""
    return [p for p in problems if p.loc[: len(loc)] == loc]


unused_id = edits.unused_id

__all__ = [
    "MAX_WAIT",
    "Conflict",
    "EditSession",
    "Reason",
    "SaveStatus",
    "flush_all",
    "problems_at",
    "unused_id",
]
