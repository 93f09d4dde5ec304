"""Editing a workbook live: validate every change, autosave without ever breaking the file.

The forms in :mod:`cxkit.widgets` never touch the file directly. They call
:meth:`EditSession.apply` with a small function that changes a *copy* of the
workbook. The copy is validated in full (fields and cross-references). If it is
valid it becomes the session's workbook and a save is scheduled (debounced, so a
burst of keystrokes writes once). If it is not, the session keeps the last good
workbook and the problems are returned for the form to show next to the field.

Saves go through :meth:`cxkit.workbook.yamlfile.WorkbookFile.save`, so they are atomic, keep
a ``.bak`` of the previous file and keep the YAML's comments. A save that fails
(disk full, a crash in the middle) leaves the old file whole and is retried on the
next change or :meth:`EditSession.flush`.

>>> session = EditSession.open("clients/acme")                    # doctest: +SKIP
>>> session.apply(lambda wb: setattr(wb.client, "name", "Acme"))   # doctest: +SKIP
[]
>>> session.flush()                                                # doctest: +SKIP
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from cxkit.errors import Problem, Reason
from cxkit.workbook.model import Loc, Workbook, check_references
from cxkit.workbook.problems import problems_from_refs, problems_from_validation
from cxkit.workbook.yamlfile import WorkbookFile

Edit = Callable[[Workbook], Any]


def _no_place(_: Loc) -> tuple[str, int | None]:
    return "", None


@dataclass
class SaveStatus:
    state: str = "saved"  # saved | pending | error
    saved_at: float | None = None
    error: str | None = None


@dataclass
class EditSession:
    """A workbook file open for editing by forms. Thread-safe; saves are debounced."""

    file: WorkbookFile
    delay: float = 0.5
    status: SaveStatus = field(default_factory=SaveStatus)
    listeners: list[Callable[[EditSession], None]] = field(default_factory=list)
    _lock: threading.RLock = field(default_factory=threading.RLock, repr=False)
    _timer: threading.Timer | None = field(default=None, repr=False)
    _dirty: bool = field(default=False, repr=False)

    @classmethod
    def open(cls, path: str | Path, *, delay: float = 0.5) -> EditSession:
        return cls(WorkbookFile.load(path), delay=delay)

    @property
    def workbook(self) -> Workbook:
        return self.file.workbook

    @property
    def path(self) -> Path:
        return self.file.path

    @property
    def language(self) -> str:
        return self.workbook.client.language.value

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
        try:  # in-place list edits (append, reorder) bypass assignment checks
            candidate = Workbook.model_validate(candidate.model_dump())
        except ValidationError as exc:
            return None, problems_from_validation(exc, file, _no_place)
        refs = check_references(candidate)
        if refs:
            return None, problems_from_refs(refs, file, _no_place)
        return candidate, []

    def apply(self, edit: Edit, at: Loc = ()) -> list[Problem]:
        """Validate and apply ``edit``; schedule a save. Returns the problems (empty if ok)."""
        candidate, problems = self.check(edit, at)
        if candidate is None:
            return problems
        with self._lock:
            self.file.workbook = candidate
            self._dirty = True
            self.status = SaveStatus("pending", self.status.saved_at)
            self._schedule()
        self._notify()
        return []

    # ------------------------------------------------------------------ saving

    def _schedule(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
        if self.delay <= 0:
            self._timer = None
            self._save()
            return
        self._timer = threading.Timer(self.delay, self._save)
        self._timer.daemon = True
        self._timer.start()

    def _save(self) -> None:
        with self._lock:
            if not self._dirty:
                return
            try:
                self.file.save()
            except Exception as exc:  # disk full, a crash mid-save...: the old file is whole
                self.status = SaveStatus("error", self.status.saved_at, str(exc))
            else:
                self._dirty = False
                self.status = SaveStatus("saved", time.time())
        self._notify()

    def flush(self) -> SaveStatus:
        """Write any pending change now (and wait for it)."""
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None
        self._save()
        return self.status

    @property
    def dirty(self) -> bool:
        return self._dirty

    def _notify(self) -> None:
        for listener in list(self.listeners):
            listener(self)


def problems_at(problems: list[Problem], loc: Loc) -> list[Problem]:
    """The problems located at ``loc`` or inside it."""
    return [p for p in problems if p.loc[: len(loc)] == loc]


def unused_id(base: str, taken: set[str]) -> str:
    """``base``, or ``base-2``, ``base-3``... whichever is not taken yet."""
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


__all__ = ["EditSession", "Reason", "SaveStatus", "problems_at", "unused_id"]
