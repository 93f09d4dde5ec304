"""Pieces shared by the forms: labels in the user's language, fields with inline errors,
the save-status line with undo/redo, and the form's styling (right-to-left, phone width)."""

from __future__ import annotations

import asyncio
import contextlib
import html
import threading
import time
from collections.abc import Callable
from typing import Any

import ipywidgets as w

from cxkit.errors import Problem, Reason
from cxkit.i18n import label_table, locale
from cxkit.i18n.messages import message_text
from cxkit.workbook.changes import MISSING, Conflict
from cxkit.workbook.editing import EditSession, SaveStatus

# Right-to-left is set on the form box and inherited; the chart is set back to
# left-to-right (Plotly lays out its own SVG and mirrors nothing itself). Columns wrap,
# and below 640 px they stack into one.
_STYLE = """
<style>
.cxkit-form { max-width: 980px; font-size: 14px; box-sizing: border-box; }
.cxkit-form.cxkit-rtl { direction: rtl; }
.cxkit-form.cxkit-rtl .widget-html-content, .cxkit-form.cxkit-rtl input,
.cxkit-form.cxkit-rtl textarea, .cxkit-form.cxkit-rtl select { text-align: right; }
.cxkit-form .cxkit-chart, .cxkit-form .cxkit-chart * { direction: ltr; text-align: initial; }
.cxkit-form .cxkit-chart { overflow-x: auto; max-width: 100%; }
.cxkit-form .cxkit-error { color: #b3261e; font-size: 12px; min-height: 0; }
.cxkit-form .cxkit-status { color: #444; font-size: 12px; }
.cxkit-form .cxkit-status-error { color: #b3261e; font-weight: 600; }
.cxkit-form .cxkit-conflict { background: #fff4e5; border: 1px solid #e0a040;
  border-radius: 6px; padding: 4px 8px; font-size: 12px; }
.cxkit-form h3 { margin: 6px 0; }
.cxkit-form .cxkit-row { flex-wrap: wrap; align-items: center; gap: 4px; max-width: 100%; }
.cxkit-form .cxkit-columns { flex-wrap: wrap; gap: 8px; }
.cxkit-form .cxkit-columns > .cxkit-col { flex: 1 1 280px; min-width: 0; }
.cxkit-form .cxkit-columns > .cxkit-col-wide { flex: 2 1 320px; min-width: 0; }
.cxkit-form .widget-dropdown, .cxkit-form .widget-text, .cxkit-form .widget-textarea,
.cxkit-form .widget-select-multiple { max-width: 100%; }
.cxkit-form .cxkit-items { gap: 2px; }
.cxkit-form .cxkit-items .cxkit-item { width: 100%; justify-content: flex-start; }
.cxkit-form .cxkit-items .cxkit-item button, .cxkit-form .cxkit-item { text-align: start; }
.cxkit-form .cxkit-selected { outline: 2px solid #1f4e79; background: #dbe7f3; font-weight: 600; }
.cxkit-form .cxkit-choice .widget-toggle-button { width: auto; min-width: 44px; }
.cxkit-form .cxkit-choice .widget-toggle-buttons { flex-wrap: wrap; }
.cxkit-form .cxkit-choice .widget-toggle-button { direction: ltr; }  /* "−2", never "2−" */
.cxkit-form .cxkit-confirm { background: #fdecea; border-radius: 6px; padding: 4px 8px; }
.cxkit-form .widget-vbox > * { flex-shrink: 0; }
@media (max-width: 640px) {
  .cxkit-form .cxkit-columns { flex-direction: column; }
  .cxkit-form .cxkit-columns > .cxkit-col, .cxkit-form .cxkit-columns > .cxkit-col-wide {
    width: 100%; flex: 0 0 auto; }
  .cxkit-form .cxkit-row > * { max-width: 100%; }
}
.cxkit-card { border: 1px solid #d0d7de; border-radius: 10px; padding: 12px 16px;
  background: #fbfcfd; max-width: 420px; }
.cxkit-card h4 { margin: 0 0 4px 0; font-size: 18px; }
.cxkit-card blockquote { margin: 4px 0 8px 0; color: #444; font-style: italic; }
.cxkit-card ul { margin: 2px 0 6px 0; padding-inline-start: 18px; }
.cxkit-card .cxkit-chip { display: inline-block; border-radius: 10px; padding: 1px 8px;
  margin: 2px; background: #e8eef5; font-size: 12px; }
</style>
"""

NONE = ""  # the "(none)" option of a dropdown (a None value would show a blank menu)
UNSET = "unset"  # the "not set" choice of a value that may be empty (emotion, effort)
MINUS = "\u2212"


def signed(value: int) -> str:
    """-2 -> "−2", 1 -> "+1", 0 -> "0" (a real minus sign, readable in both directions)."""
    return f"{MINUS}{-value}" if value < 0 else (f"+{value}" if value > 0 else "0")


class Labels:
    """``t("name")`` -> the label in the form's language (English when a key is missing)."""

    def __init__(self, language: str) -> None:
        self.language = language
        self._table = label_table("forms", language)
        self._fallback = label_table("forms", "en")
        self._report = locale(language)

    def __call__(self, key: str, **params: Any) -> str:
        text = self._table.get(key) or self._fallback.get(key) or key
        return text.format(**params) if params else text

    def channel(self, value: str) -> str:
        return self._report.channels.get(value, value)

    def status(self, value: str) -> str:
        return self._report.statuses.get(value, value)

    @property
    def rtl(self) -> bool:
        return self._table.get("dir") == "rtl"


def message_for(problem: Problem, t: Labels) -> str:
    """A problem as a short message for the person filling in the form."""
    if problem.reason is Reason.MISSING:
        return t("required")
    if problem.reason is Reason.DUPLICATE_ID:
        return t("duplicate_id", id=problem.subject or "")
    if problem.reason is Reason.BAD_VALUE and problem.loc and problem.loc[-1] == "id":
        return t("bad_id")
    return t("invalid", message=message_text(problem, t.language))


def kernel_loop() -> asyncio.AbstractEventLoop | None:
    """In a kernel, the event loop its messages are handled on (None outside one)."""
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None


def on_kernel_loop(loop: asyncio.AbstractEventLoop | None, fn: Callable[[], None]) -> None:
    """Run ``fn`` on the kernel's loop (now, if this is that thread). A session's save or
    watch thread calls this, so a refresh never runs in between the handling of a click
    or a keystroke."""
    if loop is not None and threading.current_thread() is not threading.main_thread():
        with contextlib.suppress(RuntimeError):  # the loop is closed: the kernel is going
            loop.call_soon_threadsafe(fn)
        return
    fn()


def status_text(t: Labels, st: SaveStatus) -> str:
    """ "Saved 10:42:07", "Saving… (saved 10:42:01)" or the error, in the form's language."""
    if st.state == "error":
        return t("status_error", error=st.error)
    when = time.strftime("%H:%M:%S", time.localtime(st.saved_at)) if st.saved_at else ""
    if st.state in ("pending", "saving"):  # while typing goes on, the last save too
        return t("status_pending_after" if when else "status_pending", time=when)
    return t("status_saved", time=when) if when else ""


def lines(text: str) -> list[str]:
    return [s.strip() for s in text.splitlines() if s.strip()]


def esc(value: object) -> str:
    return html.escape("" if value is None else str(value))


def choice(options: list[tuple[str, Any]]) -> w.ToggleButtons:
    """A row of buttons for a small scale; its options never change."""
    widget = w.ToggleButtons(options=options, style={"button_width": "auto"})
    widget.add_class("cxkit-choice")
    return widget


def optional_scale(values: range, t: Labels, *, sign: bool = False) -> w.ToggleButtons:
    """ "not set" plus one button per value (a 0 is a value like any other)."""
    return choice([(t("not_set"), UNSET)] + [(signed(v) if sign else str(v), v) for v in values])


def from_choice(value: Any) -> Any:
    return None if value == UNSET else value


def to_choice(value: Any) -> Any:
    return UNSET if value is None else value


class Field:
    """A labelled input with an error line under it."""

    def __init__(self, label: str, widget: w.ValueWidget, hint: str | None = None) -> None:
        self.input = widget
        self.error = w.HTML(value="")
        self.error.add_class("cxkit-error")
        widget.description = ""
        title = w.HTML(
            value=f"<b>{esc(label)}</b>" + (f" <small>{esc(hint)}</small>" if hint else "")
        )
        self.box = w.VBox(
            [title, widget, self.error], layout=w.Layout(margin="0 0 6px 0", width="100%")
        )

    def show(self, messages: list[str]) -> None:
        self.error.value = "<br>".join(esc(m) for m in messages)

    @property
    def value(self) -> Any:
        return self.input.value

    @value.setter
    def value(self, v: Any) -> None:
        # Never echo a value the browser already shows, nor one that differs from it only
        # by the spaces the model trims: the student may be typing the space before the
        # next word ("עסוק" + " " + "רונית"), and writing the trimmed text back would
        # swallow it.
        if self.input.value != v and not same_text(self.input.value, v):
            self.input.value = v


def same_text(shown: Any, saved: Any) -> bool:
    """True when two texts differ only by spaces at line ends and blank lines."""
    if not isinstance(shown, str) or not isinstance(saved, str):
        return False
    return lines(shown) == lines(saved)


class Form:
    """Base for the forms: a session, labels, a status line, undo/redo, quiet updates."""

    title_key = ""

    def __init__(self, session: EditSession) -> None:
        self.session = session
        self.t = Labels(session.language)
        self.status = w.HTML(value="")
        self.status.add_class("cxkit-status")
        self.conflict = w.HTML(value="")
        self.undo_button = w.Button(description=self.t("undo"), layout=w.Layout(width="auto"))
        self.redo_button = w.Button(description=self.t("redo"), layout=w.Layout(width="auto"))
        self.undo_button.on_click(lambda _b: self.undo())
        self.redo_button.on_click(lambda _b: self.redo())
        self.keep_mine_button = w.Button(
            description=self.t("keep_mine"), layout=w.Layout(width="auto")
        )
        self.keep_theirs_button = w.Button(
            description=self.t("keep_theirs"), layout=w.Layout(width="auto")
        )
        self.keep_mine_button.on_click(lambda _b: self.session.settle(keep_mine=True))
        self.keep_theirs_button.on_click(lambda _b: self.session.settle(keep_mine=False))
        self.conflict_bar = w.VBox(
            [self.conflict, w.HBox([self.keep_mine_button, self.keep_theirs_button])]
        )
        self._quiet = 0
        self._seen = session.revision
        self._merges = session.merges
        self._loop = kernel_loop()
        self._listener = lambda _s: self._from_session()
        session.listeners.append(self._listener)
        if self._loop is not None:  # in a kernel: show other notebooks' and tabs' saves
            session.watch()
        self._show_status()

    def frame(self, *children: w.Widget) -> w.VBox:
        header = w.HTML(
            value=_STYLE + f"<h3>{esc(self.t(self.title_key))}</h3>"
            f"<small>{esc(self.t('file_label'))}: {esc(self.session.path)}</small>"
        )
        bar = w.HBox([self.undo_button, self.redo_button, self.status])
        bar.add_class("cxkit-row")
        box = w.VBox([header, *children, self.conflict_bar, bar])
        box.add_class("cxkit-form")
        if self.t.rtl:
            box.add_class("cxkit-rtl")
        return box

    def _from_session(self) -> None:
        on_kernel_loop(self._loop, self._session_changed)

    def _session_changed(self) -> None:
        self._show_status()
        if self.session.merges != self._merges:  # another editor's changes came in
            self._merges = self.session.merges
            self._seen = self.session.revision
            self.quietly(self.reload)
        elif self._quiet:  # our own edit: the widgets already show it
            self._seen = self.session.revision
        elif self.session.revision != self._seen:
            self._seen = self.session.revision
            self.reload()

    def _show_status(self) -> None:
        st = self.session.status
        if st.state == "error":
            self.status.value = (
                f"<span class='cxkit-status-error' role='alert'>"
                f"{esc(self.t('status_error', error=st.error))}</span>"
            )
        else:
            self.status.value = esc(status_text(self.t, st))
        self.undo_button.disabled = not self.session.undo_steps
        self.redo_button.disabled = not self.session.redo_steps
        self.conflict.value = self._conflicts_html(self.session.conflicts)
        self.conflict_bar.layout.display = None if self.session.conflicts else "none"

    def _conflicts_html(self, conflicts: list[Conflict]) -> str:
        if not conflicts:
            return ""

        def shown(value: Any) -> str:
            if value is MISSING or value is None:
                return self.t("nothing")
            if isinstance(value, dict):
                return str(value.get("name") or value.get("title") or value.get("id"))
            return str(value)

        items = "".join(
            f"<li>{esc(' › '.join(c.at[-3:]))}: {esc(self.t('theirs'))} “{esc(shown(c.theirs))}”,"
            f" {esc(self.t('mine'))} “{esc(shown(c.mine))}”</li>"
            for c in conflicts
        )
        head = esc(self.t("conflict"))
        return f"<div class='cxkit-conflict' role='alert'>{head}<ul>{items}</ul></div>"

    def undo(self) -> None:
        self.session.undo()

    def redo(self) -> None:
        self.session.redo()

    def reload(self) -> None:
        """Show the session's workbook again (after undo, redo or another editor's change)."""

    def close(self) -> None:
        """Write pending edits and close the form's widgets."""
        self.session.flush()
        if self._listener in self.session.listeners:
            self.session.listeners.remove(self._listener)
        self.widget.close()

    def quietly(self, fn: Callable[[], None]) -> None:
        """Update widgets from the workbook without treating it as the user's edit."""
        self._quiet += 1
        try:
            fn()
        finally:
            self._quiet -= 1

    def on_change(self, field: Field, handler: Callable[[Any], list[Problem]]) -> None:
        """Call ``handler(new value)`` on user edits; show its problems under the field."""

        def observe(change: dict[str, Any]) -> None:
            if self._quiet:
                return
            self._quiet += 1  # what the edit refreshes is not another edit
            try:
                problems = handler(change["new"])
                field.show([message_for(p, self.t) for p in problems])
                if not problems:
                    self.after_edit()
            finally:
                self._quiet -= 1

        field.input.observe(observe, names="value")

    def after_edit(self) -> None:
        """Refresh previews after a successful edit (forms override)."""

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget)

    @property
    def widget(self) -> w.Widget:
        raise NotImplementedError


def text(multiline: bool = False, placeholder: str = "") -> w.ValueWidget:
    layout = w.Layout(width="96%", height="70px" if multiline else "auto")
    if multiline:
        return w.Textarea(placeholder=placeholder, layout=layout, continuous_update=True)
    return w.Text(placeholder=placeholder, layout=layout, continuous_update=True)


def row(*children: w.Widget) -> w.HBox:
    box = w.HBox(list(children))
    box.add_class("cxkit-row")
    return box


def tag(fields: dict[str, Any], prefix: str) -> None:
    """Name each field's box (``cxkit-<prefix>-<name>``) for styling and browser tests."""
    for name, field in fields.items():
        box = field.field.box if hasattr(field, "field") else field.box
        box.add_class(f"cxkit-{prefix}-{name}")


def columns(*cols: tuple[list[w.Widget], str]) -> w.HBox:
    """Side-by-side columns that wrap, and stack on a phone. ``(children, "col"|"col-wide")``."""
    boxes = []
    for children, kind in cols:
        box = w.VBox(children)
        box.add_class(f"cxkit-{kind}")
        boxes.append(box)
    out = w.HBox(boxes)
    out.add_class("cxkit-columns")
    return out
