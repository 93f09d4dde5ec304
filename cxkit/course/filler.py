"""Is this text the student's own work? Filler, placeholders and copied text earn nothing.

A rubric counts an answer only when it says something: not one character, not a
placeholder ("x", "TODO", "בדיקה"), not one letter or word repeated, and not a text
the student was given -- the starter's own text, a sample workbook's (the samples ship
with every copy of cxkit), or a sentence of the instructions or the README.

>>> known = KnownTexts.from_texts(exact=["Receives a generic letter"], brief="")
>>> [filler_reason(t, known) for t in ("x", "TODO", "aaaa", "receives a generic letter.")]
['short', 'placeholder', 'repeated', 'copied']
>>> filler_reason("Waits 9 minutes on hold", known) is None
True
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

_PLACEHOLDER_WORDS = (
    "x xx xxx xxxx test tests testing todo tbd tba tbc na n a none nothing null nil asdf asd qwe "
    "qwerty lorem ipsum dolor foo bar baz abc abcd blah bla text placeholder example something "
    "stuff same idem ditto whatever dunno idk ok okay yes no fill filler sample hello hi "
    "עוד משהו בדיקה בדיקות טסט טקסט כלשהו כלשהי כלום אין לא כן יודע יודעת בלה אבג דוגמה "
    "דוגמא מילוי אותו אותה"
)
PLACEHOLDERS = frozenset(_PLACEHOLDER_WORDS.split(" "))
#: A generic label, maybe numbered: "touchpoint 3", "new stage", "שלב 2", "נקודת מגע חדשה".
GENERIC = re.compile(
    r"^(?:new )?(?:touchpoint|touch point|stage|step|opportunity|persona|item|tp|journey|"
    r"נקודת מגע|נקודה|שלב|צעד|הזדמנות|פרסונה|מסע)(?: חדשה| חדש)?(?: ?(?:\d+|[a-zא-ת]))?$"
)
#: Shortest own text that is searched for inside the instructions (shorter ones may
#: legitimately share a phrase with them).
CHUNK = 40
_SKIP_KEYS = frozenset(
    {"id", "cxkit", "channel", "channels", "value", "file", "format", "language", "state"}
)


def normalise(text: str) -> str:
    """Case-, accent-, punctuation- and spacing-insensitive form of ``text``."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = re.sub(r"[^\w]+", " ", text.casefold())
    return " ".join(text.replace("_", " ").split())


@dataclass(frozen=True)
class KnownTexts:
    """Texts the student was given: exact answers (normalised) and the instructions."""

    exact: frozenset[str]
    brief: str  # normalised instructions and README, one long string
    origin: dict[str, str]  # normalised text -> "starter" | "sample" | "brief" | "default"
    brief_raw: str = ""  # the instructions as written (their example quotes)

    @classmethod
    def from_texts(cls, exact: Iterable[str], brief: str, origin: str = "brief") -> KnownTexts:
        norm = {normalise(t) for t in exact} - {""}
        return cls(frozenset(norm), normalise(brief), dict.fromkeys(norm, origin), brief)

    def merged(self, other: KnownTexts) -> KnownTexts:
        return KnownTexts(
            self.exact | other.exact,
            f"{self.brief} {other.brief}".strip(),
            {**other.origin, **self.origin},
            f"{self.brief_raw}\n{other.brief_raw}".strip(),
        )

    def source(self, text: str) -> str | None:
        """Where ``text`` was copied from ("starter", "sample", "brief"), or None."""
        n = normalise(text)
        if n in self.exact:
            return self.origin.get(n, "brief")
        if len(n) >= CHUNK and n in self.brief:
            return "brief"
        return None


def _letters(text: str) -> list[str]:
    return [c for c in text if c.isalpha()]


def filler_reason(text: str | None, known: KnownTexts | None = None) -> str | None:
    """Why ``text`` earns nothing ("short", "placeholder", "repeated", "copied"), or None.

    A text copied from the starter, a sample, the instructions or a form's default
    ("New touchpoint") reads as "copied"; the caller tells them apart with
    :meth:`KnownTexts.source`.
    """
    if text is None:
        return "short"
    n = normalise(text)
    letters = _letters(n)
    if len(letters) < 3:
        return "short"
    words = n.split()
    if n in PLACEHOLDERS or all(w in PLACEHOLDERS for w in words) or words[0] == "lorem":
        return "placeholder"
    if GENERIC.match(n):
        return "placeholder"
    squeezed = n.replace(" ", "")
    if (len(letters) >= 5 and len(set(letters)) <= 2) or (len(words) > 1 and len(set(words)) == 1):
        return "repeated"
    if re.fullmatch(r"(.{1,4}?)\1{2,}", squeezed):
        return "repeated"
    if known is not None and known.source(text) is not None:
        return "copied"
    return None


# --------------------------------------------------------------------------- given texts


def yaml_strings(data: Any, key: str = "") -> Iterator[str]:
    """Every free-text string in a loaded YAML tree (ids, enums and paths left out)."""
    if isinstance(data, dict):
        for k, v in data.items():
            if str(k) not in _SKIP_KEYS:
                yield from yaml_strings(v, str(k))
    elif isinstance(data, list):
        for v in data:
            yield from yaml_strings(v, key)
    elif isinstance(data, str) and key not in _SKIP_KEYS:
        yield data


def _read_yaml(path: Path) -> Any:
    try:
        return YAML(typ="safe").load(path.read_text(encoding="utf-8"))
    except Exception:
        return None


def workbook_texts(path: Path) -> list[str]:
    """The free-text strings of a workbook file (empty for a missing or broken one)."""
    return list(yaml_strings(_read_yaml(path))) if path.is_file() else []


def _markdown(path: Path) -> str:
    """Instruction text of a notebook or Markdown file; quoted case material left out."""
    try:
        if path.suffix == ".ipynb":
            cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
            text = "\n".join(
                "".join(c["source"]) for c in cells if c.get("cell_type") == "markdown"
            )
        else:
            text = path.read_text(encoding="utf-8")
    except (OSError, ValueError, KeyError):
        return ""
    # An interview or case quoted with ">" is material to work from, not an answer.
    return "\n".join(line for line in text.splitlines() if not line.lstrip().startswith(">"))


def _sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?:;])\s+|\n+|`", text) if s.strip()]


@cache
def _shipped_texts(root: Path) -> KnownTexts:
    samples: list[str] = []
    for wb in sorted((root / "data" / "samples").glob("*/workbook.yml")):
        samples += workbook_texts(wb)
    brief_parts = []
    for doc in [root / "README.md", *sorted((root / "notebooks" / "exercises").glob("*.ipynb"))]:
        if doc.is_file():
            brief_parts.append(_markdown(doc))
    brief = "\n".join(brief_parts)
    from_brief = KnownTexts.from_texts(_sentences(brief), brief, "brief")
    return KnownTexts.from_texts(samples, "", "sample").merged(from_brief)


@cache
def given_texts(root: Path, extra_brief: tuple[str, ...] = ()) -> KnownTexts:
    """Everything a student receives with cxkit under ``root``: the sample workbooks,
    the exercise notebooks' instructions and the README (plus ``extra_brief``)."""
    shipped = _shipped_texts(root)
    if not extra_brief:
        return shipped
    extra = "\n".join(extra_brief)
    return shipped.merged(KnownTexts.from_texts(_sentences(extra), extra, "brief"))
