"""The map editor: the journey as the poster's grid, edited in place (an anywidget).

The page side is plain ES modules shipped in the package (``static/mapeditor.js`` and
its CSS), with no build step and nothing fetched from a network: anywidget hands the
module's text to the browser in the widget's own state, in JupyterLab and in Voila alike.

The kernel side holds nothing of its own: the workbook is the shared
:class:`~cxkit.workbook.editing.EditSession` of the file (the detailed forms use the same
one, so undo, autosave and two-editor merges are theirs), :func:`cxkit.widgets._mapmodel.view`
says what to draw, and :func:`cxkit.widgets._mapmodel.command` carries out what the page
sends. The page sends one message per gesture (a cell commit, a drop, an add, a delete);
the kernel answers by setting ``view`` again.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import anywidget
import traitlets

from cxkit.widgets import _mapmodel
from cxkit.widgets._common import Labels, kernel_loop, on_kernel_loop, status_text
from cxkit.workbook.editing import EditSession

STATIC = Path(__file__).parent / "static"


class MapEditor(anywidget.AnyWidget):
    """The map of one journey of ``session``'s workbook (the first, or ``journey``)."""

    _esm = (STATIC / "mapeditor.js").read_text(encoding="utf-8")
    _css = (STATIC / "mapeditor.css").read_text(encoding="utf-8")

    view = traitlets.Dict().tag(sync=True)
    labels = traitlets.Dict().tag(sync=True)
    # [stage id, touchpoint id or None] of the selected cell, and the last gesture's problems
    selected: traitlets.List[Any] = traitlets.List().tag(sync=True)
    problems: traitlets.List[str] = traitlets.List().tag(sync=True)
    confirm = traitlets.Dict().tag(sync=True)  # a delete waiting for "yes" (kind, ids, text)
    status = traitlets.Unicode("").tag(sync=True)
    can_undo = traitlets.Bool(False).tag(sync=True)
    can_redo = traitlets.Bool(False).tag(sync=True)
    answered = traitlets.Int(0).tag(sync=True)  # bumps when a gesture has been carried out

    def __init__(self, session: EditSession, journey: str | None = None, **kwargs: Any) -> None:
        self.session = session
        self.t = Labels(session.language)
        self.journey_id = journey
        self.selection_listeners: list[Any] = []
        super().__init__(labels=_mapmodel.labels(self.t), **kwargs)
        self._refresh()
        self.on_msg(self._on_msg)
        self._loop = kernel_loop()
        self._listener = lambda _s: self._from_session()
        session.listeners.append(self._listener)
        if self._loop is not None:
            session.watch()

    # ------------------------------------------------------------------ kernel -> page

    def _refresh(self) -> None:
        view = _mapmodel.view(self.session, self.journey_id, self.t)
        self.journey_id = view["journey"]
        with self.hold_sync():
            if view != self.view:
                self.view = view
            self.can_undo = bool(self.session.undo_steps)
            self.can_redo = bool(self.session.redo_steps)
            self.status = status_text(self.t, self.session.status)

    def _from_session(self) -> None:
        """The session changed (an edit, a save, another editor): redraw on the kernel's loop."""
        on_kernel_loop(self._loop, self._refresh)

    # ------------------------------------------------------------------ page -> kernel

    def _on_msg(self, _widget: Any, content: dict[str, Any], _buffers: Any) -> None:
        self.handle(content)

    def handle(self, msg: dict[str, Any]) -> dict[str, Any]:
        """Carry out one message as if the page had sent it (the tests call this too)."""
        if msg.get("op") == "select":
            self.select(msg.get("journey"), *(msg.get("ids") or [None, None]))
            return {}
        if msg.get("op") == "journey":
            self.select(msg.get("id"), None, None)
            return {}
        result = _mapmodel.command(self.session, self.journey_id, msg, self.t)
        with self.hold_sync():
            if "journey" in result:
                self.journey_id = result["journey"]
            self._refresh()
            self.problems = result["problems"]
            self.confirm = result.get("confirm", {})
            if "select" in result and not result["problems"]:
                self.selected = list(result["select"])
            self.answered += 1
        if "select" in result or "journey" in result:
            self._tell_selection()
        return result

    def select(self, journey: str | None, stage: str | None, touchpoint: str | None) -> None:
        """Show ``journey`` and select a cell's touchpoint (from the page or the form)."""
        changed = journey is not None and journey != self.journey_id
        if changed:
            self.journey_id = journey
            self._refresh()
        if [stage, touchpoint] != list(self.selected) or changed:
            self.selected = [stage, touchpoint]
            self._tell_selection()

    def _tell_selection(self) -> None:
        stage, tp = [*self.selected, None, None][:2]
        for listener in list(self.selection_listeners):
            listener(self.journey_id, stage, tp)

    def close(self) -> None:
        if self._listener in self.session.listeners:
            self.session.listeners.remove(self._listener)
        super().close()


__all__ = ["MapEditor"]
