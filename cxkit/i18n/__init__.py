"""Report labels in Hebrew and English, text direction and date formats.

Every word the report prints that is not the client's own text comes from
``cxkit/locales/<lang>.yml``; nothing is hard-coded in one language.

>>> loc = locale("he")
>>> loc.dir, loc.t("personas")
('rtl', 'פרסונות')
>>> locale("en").date(__import__("datetime").date(2026, 3, 5))
'5 March 2026'
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from ruamel.yaml import YAML

LANGUAGES = ("he", "en")


@dataclass(frozen=True)
class Locale:
    """Labels and conventions of one report language."""

    lang: str
    dir: str
    labels: dict[str, str]
    channels: dict[str, str]
    statuses: dict[str, str]
    months: tuple[str, ...]

    @property
    def rtl(self) -> bool:
        return self.dir == "rtl"

    def t(self, key: str, **values: Any) -> str:
        """The label ``key``, with ``{name}`` fields filled from ``values``.

        A missing key raises ``KeyError`` (a test checks both files have the same keys).
        """
        text = self.labels[key]
        return text.format(**values) if values else text

    def channel(self, channel: str) -> str:
        return self.channels.get(channel, channel)

    def status(self, status: str) -> str:
        return self.statuses.get(status, status)

    def date(self, day: dt.date) -> str:
        """``5 March 2026`` / ``5 במרץ 2026``."""
        month = self.months[day.month - 1]
        joiner = " ב" if self.lang == "he" else " "
        return f"{day.day}{joiner}{month} {day.year}"

    def number(self, value: float, digits: int = 1) -> str:
        """A number for display; a minus sign that survives RTL text (U+2212)."""
        text = f"{value:.{digits}f}" if digits else f"{round(value):d}"
        return text.replace("-", "\u2212")

    def signed(self, value: float, digits: int = 0) -> str:
        """``+2`` / ``−1`` / ``0``, wrapped in LTR marks so RTL text keeps the sign first."""
        text = self.number(value, digits)
        if value > 0:
            text = "+" + text
        return f"\u2066{text}\u2069"  # LEFT-TO-RIGHT ISOLATE ... POP DIRECTIONAL ISOLATE


LABEL_TABLES = ("forms", "course", "classroom", "messages")  # cxkit/i18n/locales/<table>.<lang>.yml


@cache
def label_table(table: str, lang: str) -> dict[str, str]:
    """A flat label table: ``forms`` (the widgets), ``course`` (exercise feedback) or
    ``classroom`` (the class page), in ``lang``; read once. Every label file of cxkit
    is in ``cxkit/i18n/locales/``, and this is the one function that reads them
    (:func:`locale` reads the report's)."""
    if table not in LABEL_TABLES:
        raise ValueError(f"unknown label table '{table}'; tables are {', '.join(LABEL_TABLES)}")
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language '{lang}'; use one of {', '.join(LANGUAGES)}")
    path = resources.files("cxkit").joinpath("i18n", "locales", f"{table}.{lang}.yml")
    data = YAML(typ="safe", pure=True).load(path.read_text("utf-8"))
    return {str(k): str(v) for k, v in data.items()}


@cache
def locale(lang: str) -> Locale:
    """The :class:`Locale` for ``lang`` (``he`` or ``en``)."""
    if lang not in LANGUAGES:
        raise ValueError(f"unknown report language '{lang}'; use one of {', '.join(LANGUAGES)}")
    text = resources.files("cxkit").joinpath("i18n", "locales", f"{lang}.yml").read_text("utf-8")
    data = YAML(typ="safe", pure=True).load(text)
    return Locale(
        lang=data["lang"],
        dir=data["dir"],
        labels={str(k): str(v) for k, v in data["labels"].items()},
        channels={str(k): str(v) for k, v in data["channel"].items()},
        statuses={str(k): str(v) for k, v in data["status"].items()},
        months=tuple(str(m) for m in data["months"]),
    )
