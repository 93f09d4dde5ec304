"""What ``cxkit score`` prints on the terminal, in the workbook's language: the sources
read, the refusals, the table of scores, what was not counted and the methods.

Numbers, metric names (NPS, CSAT, CES) and the survey's own columns and answers stay as
written; the words around them are ``cxkit/i18n/locales/messages.<lang>.yml``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.table import Table
from rich.text import Text

from cxkit.cli.console import err, out
from cxkit.errors import Problem
from cxkit.i18n import label_table
from cxkit.i18n.messages import count, in_language, problem_text, say, word

if TYPE_CHECKING:
    from cxkit.scoring.scores import ScoreTable
    from cxkit.surveys.responses import Responses

CONFIDENCE_ORDER = ("low", "directional", "ok")


def _known(prefix: str, key: str, lang: str) -> str:
    """``prefix.key`` worded in ``lang`` when there is such a word, else ``key`` as written."""
    return label_table("messages", lang).get(f"{prefix}.{key}", key)


def print_warnings(problems: list[Problem], notes: list[str], lang: str) -> None:
    """Notes on reading the files, then answers left out, each on its own line."""
    for n in notes:
        err.print(say("note", lang, text=in_language(n, lang)), markup=False, highlight=False)
    for p in problems:
        err.print(say("warning", lang, text=problem_text(p, lang)), markup=False, highlight=False)


def _fmt(v: float | None, digits: int = 0) -> str:
    return "–" if v is None or v != v else f"{v:.{digits}f}"


def _ci(low: float, high: float, digits: int = 0) -> str:
    return "" if low != low else f" [{_fmt(low, digits)}, {_fmt(high, digits)}]"


def print_sources(responses: Responses, lang: str) -> None:
    """One line per survey read, then each metric refused and why."""
    for s in responses.sources:
        out.print(
            say(
                "score-source",
                lang,
                id=s.id,
                file=s.file,
                layout=s.layout or s.format.value,
                encoding=s.encoding,
                headers=count(s.header_rows, "header-rows", lang),
                rows=count(s.rows, "rows", lang),
                responses=count(s.kept, "kept", lang),
            ),
            markup=False,
            highlight=False,
        )
    for r in responses.refusals:
        said = word(r.words, lang) if r.words is not None else r.message
        out.print(
            say("score-refused", lang, said=said), markup=False, highlight=False, style="yellow"
        )


def _row(g: Any, labels: dict[str, dict[str, str]], lang: str) -> list[Any]:
    shown = " / ".join(labels.get(k, {}).get(v, v) for k, v in g.keys.items()) or g.group
    from cxkit.scoring.sums import ALL  # pandas loads only when a score is printed

    if shown == ALL:
        shown = say("group-all", lang)
    row: list[Any] = [Text(shown), Text(str(g.n))]
    scores: list[Any] = []
    if g.nps is not None:
        row += [
            f"{_fmt(g.nps.score)}{_ci(g.nps.low, g.nps.high)} (n={g.nps.n})",
            f"{_fmt(g.nps.promoters)} / {_fmt(g.nps.passives)} / {_fmt(g.nps.detractors)}",
        ]
        scores.append(g.nps)
    if g.csat is not None:
        row += [
            f"{_fmt(g.csat.top2)}{_ci(g.csat.low, g.csat.high)} (n={g.csat.n})",
            _fmt(g.csat.mean, 2),
        ]
        scores.append(g.csat)
    if g.ces is not None:
        row += [
            f"{_fmt(g.ces.mean, 2)}{_ci(g.ces.low, g.ces.high, 2)} (n={g.ces.n})",
            _fmt(g.ces.agree),
        ]
        scores.append(g.ces)
    worst = min(scores, key=lambda sc: CONFIDENCE_ORDER.index(sc.confidence), default=None)
    level = worst.confidence if worst is not None else "low"
    reasons = worst.confidence_words if worst is not None else []
    reason = "; ".join(word(w, lang) for w in reasons)
    flag = say(f"confidence.{level}", lang) + (f" ({reason})" if reason else "")
    return [
        *(c if isinstance(c, Text) else Text(c) for c in row),
        Text(flag, style="yellow" if level == "low" else ""),
    ]


def print_scores(
    table: ScoreTable,
    responses: Responses,
    info: dict[str, Any],
    labels: dict[str, dict[str, str]] | None,
    lang: str,
) -> None:
    """The sources, the table of scores, what was not counted and how each was scored."""
    labels = labels or {}
    print_sources(responses, lang)
    if table.by:
        by = " x ".join(_known("role", b, lang) for b in table.by)
        title = say("score-title-by", lang, by=by)
    else:
        title = say("score-title", lang)
    t = Table(title=title, header_style="bold")
    t.add_column(say("col.group", lang))
    t.add_column("n", justify="right")
    metrics = list(table.methods)
    for metric, columns in (
        ("nps", ("nps", "nps-mix")),
        ("csat", ("csat", "csat-mean")),
        ("ces", ("ces-mean", "ces-agree")),
    ):
        if metric in metrics:
            for c in columns:
                t.add_column(say(f"col.score-{c}", lang), justify="right")
    t.add_column(say("col.confidence", lang))
    for g in table.groups:
        t.add_row(*_row(g, labels, lang))
    out.print(t)
    excluded = responses.excluded
    if excluded:
        ex = Table(title=say("not-counted", lang), header_style="bold")
        ex.add_column(say("col.what", lang))
        ex.add_column(say("col.reason", lang))
        ex.add_column(say("col.count", lang), justify="right")
        for what, reasons in excluded.items():
            for reason, n in reasons.items():
                ex.add_row(Text(what), Text(_known("excluded", reason, lang)), str(n))
        out.print(ex)
    for metric, method in table.methods.items():
        said = _known("method", metric, lang) if lang != "en" else method
        out.print(f"{metric}: {said}", markup=False, highlight=False, style="dim")
    if "mapping" in info:  # a raw export: say which metrics no column was found for
        refused = {r.metric for r in responses.refusals}
        for metric in ("nps", "csat", "ces"):
            if metric not in table.methods and metric not in refused:
                out.print(
                    say("no-column-recognised", lang, name=metric.upper(), metric=metric),
                    markup=False,
                    highlight=False,
                    style="yellow",
                )
