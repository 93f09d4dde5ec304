"""The journey-map poster and persona cards, as escaped HTML.

The poster is a CSS grid: stages as columns (one column per touchpoint), lanes as
rows (touchpoints and channels, actions, questions, expectation, the emotion
curve, pain points, opportunities, backstage and owner). The grid follows the
page direction, so in a Hebrew report the journey runs right to left; the
emotion curve is drawn in physical coordinates and mirrored for RTL. Every
workbook string goes through Jinja's autoescape.

>>> from cxkit.i18n import locale
>>> from cxkit.workbook.model import Persona
>>> "&lt;b&gt;" in persona_cards([Persona(id="p", name="<b>")], locale("en"), brand="#123456")
True
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import jinja2
from markupsafe import Markup, escape

from cxkit.analysis import Duplicate, RankedOpportunity, duplicated_steps, rank_opportunities
from cxkit.i18n import Locale, locale
from cxkit.workbook.model import Journey, Persona, Touchpoint

EMOTION_Y = {2: 12.0, 1: 31.0, 0: 50.0, -1: 69.0, -2: 88.0}  # % from the top of the lane


@cache
def environment() -> jinja2.Environment:
    """The Jinja environment for the report's partials (autoescape always on)."""
    folder = resources.files("cxkit").joinpath("report", "templates", "partials")
    # No bytecode cache: a cache on disk is code loaded on the next run, and a cache in a
    # shared folder is code another user can plant (SECURITY.md). Compiling the partials
    # takes ~40 ms per kernel, against seconds for a report.
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(folder)),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    return env


def render(template: str, **context: Any) -> str:
    """Render ``partials/<template>`` with ``context`` (escaped)."""
    return environment().get_template(template).render(**context)


def initials(name: str) -> str:
    """Up to two initials from the persona's *name*, the part before a comma or dash:
    ``Dana Levi, the renter`` -> ``DL``; ``Dana, the renter`` -> ``D``; ``מיכל, הנהגת`` -> ``מ``.
    """
    for sep in (",", " – ", " - ", " — ", "(", ":"):
        name = name.split(sep)[0]
    words = [w for w in name.split() if w[:1].isalpha()]
    return "".join(w[0] for w in words[:2]).upper() or "?"


def isolator(page: Locale, content: str | None) -> Any:
    """``u(text)``: the client's text, escaped, with its own ``lang`` and ``dir`` when the
    workbook's language is not the page's (a Hebrew workbook in an English report)."""
    if not content or content == page.lang:
        return lambda text: escape("" if text is None else text)
    other = locale(content)

    def u(text: Any) -> Markup:
        if text is None or text == "":
            return Markup("")
        return Markup('<span lang="%s" dir="%s">%s</span>') % (other.lang, other.dir, text)

    return u


def ltr(text: Any) -> Markup:
    """A number, id or code kept left to right and isolated from the text around it, so a
    Hebrew line reads "−29" and not "29−"."""
    return Markup('<bdi dir="ltr">%s</bdi>') % (text,)


def persona_cards(
    personas: Sequence[Persona], loc: Locale, *, brand: str, content: str | None = None
) -> str:
    """One card per persona: name, segment, quote, goals, expectations, frustrations..."""
    from cxkit.workbook.starters import stand_in_texts

    stand_ins = stand_in_texts()
    cards = [
        {
            "p": p,
            "quote": p.quote if p.quote and p.quote.strip() not in stand_ins else None,
            "initials": initials(p.name),
            "channels": [loc.channel(c.value) for c in p.channels],
        }
        for p in personas
    ]
    return render(
        "personas.html.j2", cards=cards, t=loc.t, brand=brand, u=isolator(loc, content), ltr=ltr
    )


@dataclass(frozen=True)
class _Dot:
    left: float  # physical %, already mirrored for RTL
    top: float
    emotion: int
    moment: bool
    label: str


def _emotion_lane(tps: Sequence[Touchpoint], rtl: bool) -> tuple[list[_Dot], str]:
    n = len(tps)
    dots = []
    for i, tp in enumerate(tps):
        if tp.emotion is None:
            continue
        x = (i + 0.5) / n * 100
        dots.append(
            _Dot(
                100 - x if rtl else x,
                EMOTION_Y[tp.emotion],
                tp.emotion,
                tp.moment_of_truth,
                tp.name,
            )
        )
    points = " ".join(f"{d.left:.2f},{d.top:.2f}" for d in sorted(dots, key=lambda d: d.left))
    return dots, points


def poster(
    journey: Journey,
    loc: Locale,
    *,
    persona: Persona | None = None,
    ranked: Sequence[RankedOpportunity] | None = None,
    duplicates: Sequence[Duplicate] | None = None,
    measured: Mapping[str, float] | None = None,
    content: str | None = None,
) -> str:
    """The swimlane journey map of ``journey`` as one HTML ``<section>`` fragment.

    ``ranked`` and ``duplicates`` default to the analysis of ``journey``;
    ``measured`` (touchpoint id -> emotion -2..+2) adds measured values to the
    emotion lane's labels; ``content`` is the workbook's language (see :func:`isolator`).
    """
    ranked = rank_opportunities(journey) if ranked is None else ranked
    duplicates = duplicated_steps(journey) if duplicates is None else duplicates
    tps = [t for _, t in journey.touchpoints()]
    by_tp: dict[str, list[RankedOpportunity]] = {}
    for r in ranked:
        for ref, _ in r.touchpoints:
            by_tp.setdefault(ref, []).append(r)
    dup_docs = {
        (tp_id, d.text) for d in duplicates if d.kind == "document" for tp_id, _, _ in d.touchpoints
    }
    dup_norm = {d.text.casefold() for d in duplicates if d.kind == "document"}
    dots, points = _emotion_lane(tps, loc.rtl)
    columns = [
        {
            "tp": t,
            "channel": loc.channel(t.channel.value),
            "opportunities": by_tp.get(t.id, []),
            "documents": [
                (d, (t.id, d) in dup_docs or d.casefold() in dup_norm) for d in t.documents
            ],
            "measured": (measured or {}).get(t.id),
        }
        for t in tps
    ]
    lanes_present = {
        "actions": any(t.action for t in tps),
        "questions": any(t.questions for t in tps),
        "expectation": any(t.expectation for t in tps),
        "emotion": bool(dots),
        "pain_points": any(t.pain_points for t in tps),
        "opportunities": bool(by_tp),
        "backstage": any(t.owner or t.backstage or t.documents for t in tps),
    }
    return render(
        "poster.html.j2",
        journey=journey,
        persona=persona,
        stages=[(s, len(s.touchpoints)) for s in journey.stages if s.touchpoints],
        columns=columns,
        n=len(tps),
        lanes=lanes_present,
        dots=dots,
        points=points,
        t=loc.t,
        signed=loc.signed,
        rtl=loc.rtl,
        u=isolator(loc, content),
        ltr=ltr,
    )
