"""Pieces shared by the forms: labels in the user's language, fields with inline errors,
the save-status line and right-to-left styling."""

from __future__ import annotations

import html
import time
from collections.abc import Callable
from typing import Any

import ipywidgets as w

from cxkit.errors import Problem, Reason
from cxkit.i18n import label_table
from cxkit.workbook.editing import EditSession

_STYLE = """
<style>
.cxkit-form { max-width: 980px; font-size: 14px; }
.cxkit-form.cxkit-rtl, .cxkit-form.cxkit-rtl * { direction: rtl; text-align: right; }
.cxkit-form .cxkit-error { color: #b3261e; font-size: 12px; min-height: 0; }
.cxkit-form .cxkit-status { color: #555; font-size: 12px; }
.cxkit-form .cxkit-status-error { color: #b3261e; font-weight: 600; }
.cxkit-form h3 { margin: 6px 0; }
.cxkit-card { border: 1px solid #d0d7de; border-radius: 10px; padding: 12px 16px;
  background: #fbfcfd; max-width: 420px; }
.cxkit-card h4 { margin: 0 0 4px 0; font-size: 18px; }
.cxkit-card blockquote { margin: 4px 0 8px 0; color: #444; font-style: italic; }
.cxkit-card ul { margin: 2px 0 6px 0; padding-inline-start: 18px; }
.cxkit-card .cxkit-chip { display: inline-block; border-radius: 10px; padding: 1px 8px;
  margin: 2px; background: #e8eef5; font-size: 12px; }
</style>
"""


class Labels:
    """``t("name")`` -> the label in the form's language (English when a key is missing)."""

    def __init__(self, language: str) -> None:
        self.language = language
        self._table = label_table(f"widgets/locales/{language}.yml")
        self._fallback = label_table("widgets/locales/en.yml")

    def __call__(self, key: str, **params: Any) -> str:
        text = self._table.get(key) or self._fallback.get(key) or key
        return text.format(**params) if params else text

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
    return t("invalid", message=problem.message)


def lines(text: str) -> list[str]:
    return [s.strip() for s in text.splitlines() if s.strip()]


def esc(value: object) -> str:
    return html.escape("" if value is None else str(value))


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
        self.input.value = v


class Form:
    """Base for the three forms: a session, labels, a status line and quiet updates."""

    title_key = ""

    def __init__(self, session: EditSession) -> None:
        self.session = session
        self.t = Labels(session.language)
        self.status = w.HTML(value="")
        self.status.add_class("cxkit-status")
        self._quiet = 0
        session.listeners.append(lambda _s: self._show_status())
        self._show_status()

    def frame(self, *children: w.Widget) -> w.VBox:
        header = w.HTML(
            value=_STYLE + f"<h3>{esc(self.t(self.title_key))}</h3>"
            f"<small>{esc(self.t('file_label'))}: {esc(self.session.path)}</small>"
        )
        box = w.VBox([header, *children, self.status])
        box.add_class("cxkit-form")
        if self.t.rtl:
            box.add_class("cxkit-rtl")
        return box

    def _show_status(self) -> None:
        st = self.session.status
        if st.state == "error":
            self.status.value = (
                f"<span class='cxkit-status-error'>"
                f"{esc(self.t('status_error', error=st.error))}</span>"
            )
        elif st.state == "pending":
            self.status.value = esc(self.t("status_pending"))
        else:
            when = time.strftime("%H:%M:%S", time.localtime(st.saved_at)) if st.saved_at else ""
            self.status.value = esc(self.t("status_saved", time=when)) if when else ""

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
            problems = handler(change["new"])
            field.show([message_for(p, self.t) for p in problems])
            if not problems:
                self.after_edit()

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
