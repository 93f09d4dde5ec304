"""Theme tagging of verbatims with keyword codebooks, offline and auditable.

A codebook (YAML; the shipped one is ``cxkit/data/themes.yml``) lists themes with
keywords per language. A comment gets every theme one of whose keywords it
contains. Hebrew one-letter prefixes (ו ה ב ל מ ש כ) are stripped before matching,
so "וההמתנה" matches "המתנה". No models are downloaded; the same comment always
gets the same tags, and :func:`explain` shows which keyword fired.

>>> book = load_codebook()
>>> tag_comment("Waited an hour in the queue and the agent was rude", book)
['waiting', 'staff-attitude']
>>> tag_comment("חיכינו המון זמן בתור", book)
['waiting']
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import pandas as pd
from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from cxkit.errors import CxkitError, Problem, Reason, SurveyError
from cxkit.surveys.answers import DETRACTOR_MAX, PROMOTER_MIN
from cxkit.surveys.formats import BIDI_MARKS
from cxkit.surveys.responses import Responses

HEBREW_PREFIXES = set("והבלמשכ")
_POINTS = re.compile("[\u0591-\u05c7]")  # Hebrew vowel points and cantillation
_WORD = re.compile(r"[^\W\d_]+(?:['\u2019\u05f3][^\W\d_]+)*")


def _words(text: str) -> list[str]:
    t = unicodedata.normalize("NFKC", text).casefold()
    t = _POINTS.sub("", BIDI_MARKS.sub("", t))
    return _WORD.findall(t)


def _forms(word: str) -> set[str]:
    """The word and the word without up to three Hebrew prefix letters."""
    forms = {word}
    w = word
    for _ in range(3):
        if len(w) > 2 and w[0] in HEBREW_PREFIXES:
            w = w[1:]
            forms.add(w)
        else:
            break
    return forms


@dataclass(frozen=True)
class Keyword:
    text: str
    words: tuple[str, ...]
    prefix: bool  # trailing * on the last word

    def matches_at(self, words: list[str], forms: list[set[str]], i: int) -> bool:
        if i + len(self.words) > len(words):
            return False
        for k, want in enumerate(self.words):
            last = k == len(self.words) - 1
            candidates = forms[i] if k == 0 else {words[i + k]}
            if last and self.prefix:
                if not any(c.startswith(want) for c in candidates):
                    return False
            elif want not in candidates:
                return False
        return True


@dataclass(frozen=True)
class Theme:
    id: str
    labels: dict[str, str]
    keywords: tuple[Keyword, ...]

    def label(self, language: str = "en") -> str:
        return self.labels.get(language) or self.labels.get("en") or self.id


@dataclass(frozen=True)
class Codebook:
    """Themes in file order; ``source`` is the file they came from."""

    themes: tuple[Theme, ...]
    source: str

    @property
    def ids(self) -> list[str]:
        return [t.id for t in self.themes]


def _keyword(text: str) -> Keyword:
    prefix = text.strip().endswith("*")
    words = tuple(_words(text.strip().rstrip("*")))
    return Keyword(text=text, words=words, prefix=prefix)


def load_codebook(path: str | Path | None = None) -> Codebook:
    """Load a theme codebook; without ``path``, the one shipped with cxkit.

    Raises :class:`SurveyError` naming the file and theme for a malformed codebook.
    """
    if path is None:
        return _shipped()
    p = Path(path)
    if not p.is_file():
        raise SurveyError([Problem(str(p), "theme codebook not found", Reason.FILE_NOT_FOUND)])
    try:
        data = YAML(typ="safe").load(p.read_text(encoding="utf-8-sig"))
    except (YAMLError, UnicodeDecodeError) as exc:
        raise SurveyError([Problem(str(p), f"not valid YAML: {exc}", Reason.MALFORMED)]) from None
    return _parse_codebook(data, str(p))


@cache
def _shipped() -> Codebook:
    text = resources.files("cxkit").joinpath("data/themes.yml").read_text(encoding="utf-8")
    return _parse_codebook(YAML(typ="safe").load(text), "cxkit/data/themes.yml")


def _parse_codebook(data: Any, file: str) -> Codebook:
    problems: list[Problem] = []
    themes_in = data.get("themes") if isinstance(data, dict) else None
    if not isinstance(themes_in, dict) or not themes_in:
        raise SurveyError(
            [
                Problem(
                    file,
                    "expected a 'themes:' mapping of theme id -> {label, keywords}",
                    Reason.MALFORMED,
                    where="themes",
                )
            ]
        )
    themes = []
    for tid, spec in themes_in.items():
        where = f"themes.{tid}"
        if not isinstance(spec, dict) or not isinstance(spec.get("keywords"), dict):
            problems.append(
                Problem(
                    file,
                    "expected 'keywords:' with a list per language (en: [...], he: [...])",
                    Reason.MALFORMED,
                    where=where,
                )
            )
            continue
        kws = []
        for lang, words in spec["keywords"].items():
            if not isinstance(words, list):
                problems.append(
                    Problem(
                        file,
                        "expected a list of keywords",
                        Reason.WRONG_TYPE,
                        where=f"{where}.keywords.{lang}",
                    )
                )
                continue
            kws += [k for k in (_keyword(str(w)) for w in words) if k.words]
        label = spec.get("label") or {}
        labels = label if isinstance(label, dict) else {"en": str(label)}
        themes.append(Theme(str(tid), {str(k): str(v) for k, v in labels.items()}, tuple(kws)))
    if problems:
        raise SurveyError(problems)
    return Codebook(tuple(themes), file)


def explain(text: str, codebook: Codebook | None = None) -> dict[str, list[str]]:
    """Which keywords of which themes a comment contains (for auditing tags)."""
    book = codebook or load_codebook()
    words = _words(text or "")
    forms = [_forms(w) for w in words]
    found: dict[str, list[str]] = {}
    for theme in book.themes:
        hits = [
            k.text
            for k in theme.keywords
            if any(k.matches_at(words, forms, i) for i in range(len(words)))
        ]
        if hits:
            found[theme.id] = hits
    return found


def tag_comment(text: str, codebook: Codebook | None = None) -> list[str]:
    """Theme ids of one comment, in codebook order."""
    return list(explain(text, codebook))


def tag_themes(comments: pd.Series, codebook: Codebook | None = None) -> pd.DataFrame:
    """One boolean column per theme, aligned with ``comments`` (blank -> all False)."""
    book = codebook or load_codebook()
    cache_: dict[str, list[str]] = {}
    rows: list[tuple[str, ...]] = []
    for c in comments:
        if not isinstance(c, str) or not c.strip():
            rows.append(())
            continue
        if c not in cache_:
            cache_[c] = tag_comment(c, book)
        rows.append(tuple(cache_[c]))
    data = {t: [t in r for r in rows] for t in book.ids}
    return pd.DataFrame(data, index=comments.index, dtype=bool)


@dataclass
class ThemeSummary:
    """Theme counts by group and by NPS group, with representative quotes."""

    comments: int  # non-blank comments
    tagged: int  # comments with at least one theme
    counts: pd.DataFrame  # theme x group (plus "ALL")
    by_nps_group: pd.DataFrame  # theme x promoter/passive/detractor
    quotes: dict[str, list[str]]
    codebook: Codebook


def nps_group(nps: pd.Series) -> pd.Series:
    """``promoter`` / ``passive`` / ``detractor`` (missing where no valid NPS)."""
    out = pd.Series(pd.NA, index=nps.index, dtype="object")
    out[nps >= PROMOTER_MIN] = "promoter"
    out[(nps > DETRACTOR_MAX) & (nps < PROMOTER_MIN)] = "passive"
    out[nps <= DETRACTOR_MAX] = "detractor"
    return out


def theme_summary(
    responses: Responses | pd.DataFrame,
    by: str = "stage",
    codebook: Codebook | None = None,
    quotes: int = 3,
) -> ThemeSummary:
    """Count themes in the comments, per ``by`` group and per NPS group.

    Quotes are chosen deterministically: comments 20-240 characters long first,
    then those matching most keywords, then file order.
    """
    frame = responses.frame if isinstance(responses, Responses) else responses
    if by not in frame.columns:
        raise CxkitError(
            f"cannot count themes by '{by}': no such column", reason=Reason.MISSING_COLUMN
        )
    book = codebook or load_codebook()
    has = (
        frame["comment"].notna()
        if "comment" in frame.columns
        else pd.Series(False, index=frame.index)
    )
    sub = frame[has]
    tags = tag_themes(sub["comment"], book)
    groups = sub[by].astype("object").fillna("(none)")
    counts = tags.groupby(groups).sum().T
    counts.insert(0, "ALL", tags.sum())
    if "nps" in sub.columns:
        by_nps = tags.groupby(nps_group(sub["nps"]).fillna("no NPS")).sum().T
    else:
        by_nps = pd.DataFrame(index=tags.columns)
    by_nps = by_nps.reindex(
        columns=[c for c in ("promoter", "passive", "detractor", "no NPS") if c in by_nps.columns]
    )
    picked: dict[str, list[str]] = {}
    for theme in book.ids:
        texts = sub.loc[tags[theme], "comment"].drop_duplicates()
        ranked = sorted(
            texts,
            key=lambda t: (
                not 20 <= len(t) <= 240,
                -sum(len(v) for v in explain(t, book).values()),
            ),
        )
        picked[theme] = ranked[:quotes]
    return ThemeSummary(
        comments=len(sub),
        tagged=int(tags.any(axis=1).sum()),
        counts=counts,
        by_nps_group=by_nps,
        quotes=picked,
        codebook=book,
    )
