"""Text exports: the Markdown summary and the Mermaid ``journey`` diagrams.

Workbook text is made literal for each target: :func:`md_text` escapes Markdown's
markup characters (and ``&``) and keeps each value on one line; :func:`mermaid_text`
swaps the characters that end or break a Mermaid journey line for look-alikes.
Mermaid scores tasks 1..5; cxkit's emotion -2..+2 maps onto it as ``emotion + 3``,
and a touchpoint without an emotion scores 3 (neutral).
"""

from __future__ import annotations

import re

from cxkit import analysis
from cxkit.report.sections import Report
from cxkit.workbook.model import Journey, State

# --------------------------------------------------------------------------- Markdown

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~#!{}])")


def md_text(text: str | None) -> str:
    """Workbook text made literal in Markdown: one line, markup characters escaped."""
    if not text:
        return ""
    one_line = " ".join(str(text).split())
    return _MD_SPECIAL.sub(r"\\\1", one_line.replace("&", "&amp;"))


def _fmt(report: Report, value: float | None, digits: int = 1) -> str:
    return "" if value is None else report.loc.number(value, digits)


def markdown(report: Report) -> str:
    """A Markdown summary of the report, in its language."""
    loc, t, wb = report.loc, report.loc.t, report.wb
    lines = [f"# {md_text(wb.client.name)} · {md_text(t('report_title'))}", ""]
    if wb.client.industry:
        lines += [f"*{md_text(wb.client.industry)}*", ""]
    if wb.client.description:
        lines += [md_text(wb.client.description), ""]
    lines += [f"{md_text(t('prepared_on'))}: {loc.date(report.day)}", ""]
    if report.data and report.data.headline:
        lines += [f"## {md_text(t('headline_scores'))}", ""]
        lines += [
            f"| | {md_text(t('score'))} | {md_text(t('interval'))} | {md_text(t('n'))} |",
            "|---|---:|---:|---:|",
        ]
        for bar in report.data.headline:
            digits = 0 if bar.key == "nps" else 2
            interval = (
                f"{_fmt(report, bar.low, digits)} – {_fmt(report, bar.high, digits)}"
                if bar.low is not None and bar.high is not None
                else ""
            )
            lines.append(
                f"| {md_text(t(bar.key) if bar.key in ('nps', 'csat', 'ces') else bar.label)} "
                f"| {_fmt(report, bar.value, digits)} | {interval} | {bar.n} |"
            )
        lines.append("")
    if wb.personas:
        lines += [f"## {md_text(t('personas'))}", ""]
        for p in wb.personas:
            head = f"### {md_text(p.name)}"
            if p.segment:
                head += f" · {md_text(p.segment)}"
            lines += [head, ""]
            if p.quote:
                lines += [f"> {md_text(p.quote)}", ""]
            for key, items in (
                ("goals", p.goals),
                ("expectations", p.expectations),
                ("frustrations", p.frustrations),
            ):
                if items:
                    lines.append(f"**{md_text(t(key))}:** " + "; ".join(map(md_text, items)))
            lines.append("")
    for group in report.groups:
        for j in group:  # the current state, then each future state that redesigns it
            lines += _md_journey(report, j, measured=j is group[0])
    lines += [f"*{md_text(t('generated_by'))}*", ""]
    return "\n".join(lines)


def _md_journey(report: Report, j: Journey, *, measured: bool) -> list[str]:
    """One journey's section; survey data only for a current state (``measured``)."""
    loc, t = report.loc, report.loc.t
    scores = report.scores_for(j) if measured else None
    stats = analysis.journey_stats(j)
    state = t("future_state" if j.state is State.FUTURE else "current_state")
    lines = [f"## {md_text(t('journey'))}: {md_text(j.title)} · {md_text(state)}", ""]
    if j.description:
        lines += [md_text(j.description), ""]
    glance = [
        f"{stats.stages} {t('stages')}",
        f"{stats.touchpoints} {t('touchpoints')}",
        f"{stats.pain_points} {t('pain_points')}",
    ]
    if stats.mean_effort is not None:
        glance.append(f"{loc.number(stats.mean_effort)}/5 {t('avg_effort')}")
    if stats.waste_share is not None:
        glance.append(f"{round(stats.waste_share * 100)}% {t('waste_share')}")
    lines += [f"**{md_text(t('at_a_glance'))}:** " + " · ".join(map(md_text, glance)), ""]
    moments = analysis.moments_of_truth(
        j,
        lowest_score=scores.lowest if scores else None,
        negative_comments=scores.negative_comments if scores else None,
    )
    if moments:
        lines += [f"### {md_text(t('moments_of_truth'))}", ""]
        for m in moments:
            why = md_text(report.reason_text(m))
            lines.append(f"- **{md_text(m.stage)} · {md_text(m.touchpoint)}**: {why}")
        lines.append("")
    pains = analysis.top_pain_points(j, 5)
    if pains:
        lines += [f"### {md_text(t('top_pain_points'))}", ""]
        lines += [
            f"- {md_text(p.text)} ({md_text(p.stage)} · {md_text(p.touchpoint)})" for p in pains
        ]
        lines.append("")
    ranked = analysis.rank_opportunities(j)
    if ranked:
        lines += [f"### {md_text(t('opportunities'))}", ""]
        lines += [
            f"| {md_text(t('rank'))} | {md_text(t('opportunity'))} | {md_text(t('impact'))} "
            f"| {md_text(t('effort'))} | {md_text(t('quadrant'))} | {md_text(t('status'))} |",
            "|---:|---|---:|---:|---|---|",
        ]
        for r in ranked:
            o = r.opportunity
            lines.append(
                f"| {r.rank} | {md_text(o.title)} | {o.impact} | {o.effort} "
                f"| {md_text(quadrant_label(report, r.quadrant))} "
                f"| {md_text(loc.status(o.status.value))} |"
            )
        lines.append("")
    return lines


def quadrant_label(report: Report, quadrant: str) -> str:
    key = {
        "quick-win": "quick_wins",
        "major-project": "major_projects",
        "fill-in": "fill_ins",
        "thankless": "thankless",
    }[quadrant]
    return report.loc.t(key)


# --------------------------------------------------------------------------- Mermaid

# Characters that end or break a Mermaid journey line: ':' separates task, score and
# actors; ',' separates actors; '#' starts an entity code and ';' ends one; '%%'
# starts a comment. Each becomes a look-alike that Mermaid treats as plain text.
_MERMAID_SUBS = str.maketrans(
    {
        ":": "\u2236",  # RATIO
        ",": "\u201a",  # SINGLE LOW-9 QUOTATION MARK
        "#": "\uff03",  # FULLWIDTH NUMBER SIGN
        ";": "\uff1b",  # FULLWIDTH SEMICOLON
        "%": "\uff05",  # FULLWIDTH PERCENT SIGN
        "{": "(",
        "}": ")",
        "<": "\u2039",
        ">": "\u203a",
    }
)


def mermaid_text(text: str | None) -> str:
    """Workbook text made safe inside a Mermaid journey line (one line, no syntax)."""
    if not text:
        return ""
    return " ".join(str(text).split()).translate(_MERMAID_SUBS)


def mermaid_score(emotion: int | None) -> int:
    """cxkit emotion -2..+2 -> Mermaid's 1..5 (``emotion + 3``); no emotion -> 3."""
    return 3 if emotion is None else max(1, min(5, emotion + 3))


def mermaid(report: Report) -> dict[str, str]:
    """journey id -> a Mermaid ``journey`` diagram (main persona as the actor)."""
    out = {}
    for j in (j for group in report.groups for j in group):  # future states too
        actor = mermaid_text(report.names.get(j.persona, j.persona)) or "customer"
        lines = ["journey", f"    title {mermaid_text(j.title)}"]
        for stage in j.stages:
            if not stage.touchpoints:
                continue
            lines.append(f"    section {mermaid_text(stage.name)}")
            for tp in stage.touchpoints:
                lines.append(f"      {mermaid_text(tp.name)}: {mermaid_score(tp.emotion)}: {actor}")
        out[j.id] = "\n".join(lines) + "\n"
    return out
