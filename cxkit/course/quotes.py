"""Scores quoted in a student's findings, read however they are written.

A quote is a metric name (NPS, CSAT, CES) followed by an estimate and its interval.
Every reasonable way of writing one is read, in English and in Hebrew:

- ``NPS -15 (95% CI -18 to -11)``, ``NPS +11 [4, 19]``, ``NPS −37 (−45 – −29)``
- ``CSAT 45% (43% to 47%)``, ``CES 4.23 (4.16-4.30)``, ``CES 4,2 (4,1 עד 4,3)``
- ``NPS -15 (95% CI -18 to -11, n = 1,940)`` and ``n=368;`` anywhere in the quote
- ``NPS 15- (רווח סמך 18- עד 11-)``: the minus after the number, as right-to-left
  text (and cxkit's own Hebrew output) writes it
- ``NPS -15 ± 3.5``

>>> quoted_intervals("NPS 15- (95% רווח סמך 18- עד 11-), n=1,940")
[('NPS', -15.0, -18.0, -11.0)]
>>> quoted_intervals("CSAT 45% (43% to 47%) and NPS +11 (4 to 19)")
[('CSAT', 45.0, 43.0, 47.0), ('NPS', 11.0, 4.0, 19.0)]
"""

from __future__ import annotations

import hashlib
import re
import stat
from collections import Counter
from pathlib import Path
from typing import Any

from cxkit.course.checks import Context, Detail, Outcome, _ratio, real_opportunities
from cxkit.course.filler import normalise
from cxkit.errors import CxkitError

Quote = tuple[str, float, float, float]

_METRIC = re.compile(r"(?<![A-Za-z])(NPS|CSAT|CES)(?![A-Za-z])", re.IGNORECASE)
_MARKS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069\u00a0]")
_LABEL = re.compile(r"(?<![\d.,])95\s*%")  # the interval's level, not a score
_SIZE = re.compile(r"(?<![A-Za-z])n\s*[=:]\s*(?:\d{1,3}(?:,\d{3})+|\d+)(?![\d.])", re.IGNORECASE)
_NUMBER = re.compile(r"(?<![\w.,])(\d{1,3}(?:,\d{3})+(?![\d,])|\d+(?:[.,]\d+)?)\s*%?")
_MINUS = "-−–"


def _value(raw: str) -> float:
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+", raw):
        return float(raw.replace(",", ""))
    return float(raw.replace(",", "."))


def _hebrew_prefix(text: str) -> bool:
    return len(text) >= 2 and text[-1] in "-־" and "\u05d0" <= text[-2] <= "\u05ea"


def _numbers(segment: str) -> list[tuple[float, int, int]]:
    """``(value, start, end)`` of each signed number in ``segment``."""
    out = []
    for m in _NUMBER.finditer(segment):
        value = _value(m.group(1))
        before = segment[: m.start()].rstrip(" ")
        after = segment[m.end() :]
        sign = 1.0
        if before.endswith("+"):
            sign = 1.0
        elif before and before[-1] in _MINUS and _hebrew_prefix(segment[: m.start()]):
            sign = 1.0  # "ל-30", "ב-15": a Hebrew prefix letter and a hyphen
        elif before and before[-1] in _MINUS:
            rest = before[:-1].rstrip(" ")
            # "43-47" is a range; "-18", "(−18", "to -11" and "- -11" are negative.
            if not rest or not (rest[-1].isdigit() or rest[-1] == "%") or before[-1] == "−":
                sign = -1.0
        # "15-" (Hebrew): the minus follows the number and no digit follows the minus
        # ("15-18" is a range).
        if sign > 0 and after[:1] and after[0] in _MINUS and not after[1:2].isdigit():
            sign = -1.0
        out.append((sign * value, m.start(), m.end()))
    return out


def _plus_minus(segment: str, first: tuple[float, int, int]) -> float | None:
    m = re.match(r"\s*(?:±|\+/-|\+-)\s*(\d+(?:[.,]\d+)?)", segment[first[2] :])
    return _value(m.group(1)) if m else None


def quoted_intervals(text: str) -> list[Quote]:
    """``(metric, estimate, low, high)`` for every score quoted with its interval."""
    text = _MARKS.sub(" ", text)
    marks = list(_METRIC.finditer(text))
    out: list[Quote] = []
    for i, m in enumerate(marks):
        end = marks[i + 1].start() if i + 1 < len(marks) else len(text)
        segment = text[m.end() : min(end, m.end() + 160)].split("\n")[0]
        segment = _SIZE.sub(" ", _LABEL.sub(" ", segment))
        nums = _numbers(segment)
        metric = m.group(1).upper()
        k = 0
        while k < len(nums):
            margin = _plus_minus(segment, nums[k])
            if margin is not None:
                est = nums[k][0]
                out.append((metric, est, est - margin, est + margin))
                k += 1
                continue
            if k + 2 < len(nums):
                est, a, b = nums[k][0], nums[k + 1][0], nums[k + 2][0]
                low, high = min(a, b), max(a, b)
                if low <= est <= high and low < high:
                    out.append((metric, est, low, high))
                    k += 3
                    continue
            k += 1
    return out


def quote_text(q: Quote) -> str:
    metric, est, low, high = q
    return f"{metric} {est:g} ({low:g} to {high:g})"


# --------------------------------------------------------------------------- surveys


def _responses(ctx: Context) -> Any:
    """The workbook's first survey, read once per check (None when it cannot be)."""
    if "responses" not in ctx.memo:
        ctx.memo["responses"] = _read_responses(ctx)
    return ctx.memo["responses"]


def _read_responses(ctx: Context) -> Any:
    from cxkit.surveys.responses import load_responses

    if not ctx.wb.surveys or ctx.folder is None:
        return None
    if not _readable(ctx.folder, ctx.wb.surveys[0].file):
        return None
    try:
        return load_responses(ctx.wb, ctx.folder / "workbook.yml", ctx.wb.surveys[0])
    except (CxkitError, OSError, ValueError):
        return None


#: The largest survey export a student's workbook may point at.
MAX_SURVEY_BYTES = 50_000_000


def _readable(folder: Path, name: str) -> bool:
    """The survey file is a regular file of sane size inside the student's folder
    (not a link out of it, not ``/dev/zero``)."""
    base = folder.resolve()
    try:
        target = (folder / name).resolve(strict=True)
        st = target.stat()
    except (OSError, RuntimeError):
        return False
    return (
        target.is_relative_to(base) and stat.S_ISREG(st.st_mode) and st.st_size <= MAX_SURVEY_BYTES
    )


def _same_export(ctx: Context) -> bool:
    """The survey read is the exercise's own export (the starter's file, unchanged)."""
    if ctx.starter is None or ctx.starter_folder is None or not ctx.starter.surveys:
        return True
    if ctx.folder is None:
        return False
    given = ctx.starter_folder / ctx.starter.surveys[0].file
    mine = ctx.folder / ctx.wb.surveys[0].file
    if not _readable(ctx.folder, ctx.wb.surveys[0].file):
        return False
    try:
        if mine.stat().st_size != given.stat().st_size:
            return False
        return (
            hashlib.sha256(mine.read_bytes()).digest()
            == hashlib.sha256(given.read_bytes()).digest()
        )
    except OSError:
        return False


def check_survey_mapped(ctx: Context, p: dict[str, Any]) -> Outcome:
    """The listed roles are mapped to distinct columns that really hold those answers,
    and most responses are linked to a journey stage."""
    roles: list[str] = p.get("roles", ["nps", "stage"])
    if not ctx.wb.surveys:
        return Outcome(0.0, [{"role": r} for r in roles])
    if not _same_export(ctx):
        return Outcome(0.0, [{"kind": "file"}])
    columns = ctx.wb.surveys[0].columns
    details: list[Detail] = []
    ok = 0
    chosen = {r: getattr(columns, r) for r in roles}
    owners = Counter(normalise(c) for c in chosen.values() if c)
    responses = _responses(ctx)
    frame = responses.frame if responses is not None else None
    for role, column in chosen.items():
        if column is None:
            details.append({"role": role})
            continue
        if owners[normalise(column)] > 1:
            details.append({"kind": "same", "role": role})
            continue
        if role == "stage":
            continue  # judged by its links below
        read = 0.0 if frame is None else float(frame[role].notna().mean())
        if read < float(p.get("read", 0.6)):
            details.append({"kind": "unread", "role": role, "share": f"{read:.0%}"})
            continue
        ok += 1
    if "stage" in roles and chosen.get("stage") and owners[normalise(chosen["stage"])] == 1:
        linked = 0.0 if frame is None else float(frame["stage"].notna().mean())
        if linked >= float(p.get("linked", 0.9)):
            ok += 2  # the column, and its answers linked to stages
        else:
            details.append({"kind": "links", "share": f"{linked:.0%}"})
            ok += 1 if linked > 0 else 0
    total = len(roles) + (1 if "stage" in roles else 0)
    return Outcome(_ratio(ok, total), details)


def actual_scores(ctx: Context) -> list[tuple[str, float, float, float, float]]:
    """Every overall and per-stage score the surveys give, with a rounding tolerance:
    NPS; CSAT top-2-box % and mean; CES mean and % agreeing."""
    from cxkit.scoring.scores import score

    responses = _responses(ctx)
    if responses is None:
        return []
    out: list[tuple[str, float, float, float, float]] = []
    for by in ((), ("stage",)):
        try:
            table = score(responses, by=by)
        except (CxkitError, KeyError, ValueError):
            continue
        for g in table.groups:
            if g.nps is not None and g.nps.n:
                out.append(("NPS", g.nps.score, g.nps.low, g.nps.high, 1.5))
            if g.csat is not None and g.csat.n:
                out.append(("CSAT", g.csat.top2, g.csat.low, g.csat.high, 1.5))
                out.append(("CSAT", g.csat.mean, g.csat.mean_low, g.csat.mean_high, 0.15))
            if g.ces is not None and g.ces.n:
                out.append(("CES", g.ces.mean, g.ces.low, g.ces.high, 0.15))
                out.append(("CES", g.ces.agree, g.ces.agree_low, g.ces.agree_high, 1.5))
    return out


def stage_scores(ctx: Context) -> dict[str, float]:
    """Stage id -> NPS, for the stages the survey links answers to."""
    from cxkit.scoring.scores import score

    responses = _responses(ctx)
    if responses is None:
        return {}
    try:
        table = score(responses, by=("stage",))
    except (CxkitError, KeyError, ValueError):
        return {}
    out = {
        g.keys["stage"]: g.nps.score
        for g in table.groups
        if g.keys.get("stage") and g.nps is not None and g.nps.n
    }
    return out if len(out) >= 2 else {}


def _matches(quote: Quote, actual: list[tuple[str, float, float, float, float]]) -> bool:
    metric, est, low, high = quote
    return any(
        m == metric and abs(est - e) <= tol and abs(low - lo) <= tol and abs(high - hi) <= tol
        for m, e, lo, hi, tol in actual
    )


def check_interval_quoted(ctx: Context, p: dict[str, Any]) -> Outcome:
    """The findings quote at least ``count`` scores with their 95% interval, each one a
    score the survey really gives (overall or for a stage); examples from the
    instructions do not count."""
    texts: list[str] = []
    for j in ctx.wb.journeys:
        texts += [j.description or ""]
        texts += [o.description or "" for o in j.opportunities]
    found = list(dict.fromkeys(q for t in texts for q in quoted_intervals(t)))
    examples = set(quoted_intervals(ctx.known.brief_raw))
    details: list[Detail] = []
    copied = [q for q in found if q in examples]
    details += [{"kind": "example", "quote": quote_text(q)} for q in copied]
    found = [q for q in found if q not in examples]
    if p.get("verify") and found:
        actual = actual_scores(ctx)
        wrong = [q for q in found if not _matches(q, actual)]
        details += [{"kind": "mismatch", "quote": quote_text(q)} for q in wrong]
        found = [q for q in found if q not in wrong]
    need = int(p.get("count", 1))
    if len(found) < need:
        details.insert(0, {"found": len(found), "need": need, "noun": "scores"})
    return Outcome(min(1.0, len(found) / need), details)


def check_weakest_stage_opportunity(ctx: Context, p: dict[str, Any]) -> Outcome:
    """A real opportunity tied to a touchpoint of the stage with the lowest NPS."""
    journey = ctx.journey(p)
    scores = stage_scores(ctx)
    if journey is None or not scores:
        return Outcome(0.0, [{"kind": "scores"}])
    weakest = min(scores, key=lambda s: scores[s])
    stage_of = {t.id: s for s, t in journey.touchpoints()}
    notes: list[Detail] = []
    opps = real_opportunities(ctx, journey, notes)
    if any(stage_of[r].id == weakest for o in opps for r in o.touchpoints if r in stage_of):
        return Outcome(1.0)
    targeted = [stage_of[r].name for o in opps for r in o.touchpoints if r in stage_of]
    if targeted:
        return Outcome(0.0, [*notes, {"kind": "other", "stage": targeted[0]}])
    return Outcome(0.0, [*notes, {"kind": "default"}])
