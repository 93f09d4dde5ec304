"""The report's sections, built inside the report notebook's kernel.

The notebook makes a :class:`Report` from its parameters and asks it for each
section in turn; every section is an :class:`Html` block that shows itself in a
notebook and that the nbconvert template copies into the report. The cover
block also carries the report's language, direction and title as a JSON output
(``application/vnd.cxkit.report+json``) that :mod:`cxkit.report.pipeline` reads back.

>>> r = Report.load("data/samples/pension-withdrawal", report_date="2026-03-05")  # doctest: +SKIP
>>> r.cover()  # doctest: +SKIP
"""

from __future__ import annotations

import base64
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from markupsafe import Markup

from cxkit import analysis, journeymap
from cxkit._limits import image_kind, read_logo
from cxkit.charts import journey as charts
from cxkit.charts.base import readable
from cxkit.errors import LimitExceeded
from cxkit.i18n import Locale, locale
from cxkit.report.data import JourneyScores, SurveyData, survey_data
from cxkit.report.pipeline import META_MIME
from cxkit.workbook.model import Journey, State, Workbook
from cxkit.workbook.yamlfile import load_workbook, resolve_workbook_path

PAGE_GREY = "#eef0f3"  # the greyest background brand text sits on (panels, lane labels)
MOT_YELLOW = "#fffbea"  # the moment-of-truth cards under the secondary colour's kicker


@dataclass(frozen=True)
class Html:
    """A block of report HTML (already escaped) that displays itself in Jupyter."""

    html: str
    meta: dict[str, Any] | None = None

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        bundle: dict[str, Any] = {"text/html": self.html}
        if self.meta is not None:
            bundle[META_MIME] = self.meta
        return bundle

    def __str__(self) -> str:
        return self.html


def _logo_uri(wb_path: Path, logo: str | None) -> str | None:
    """The brand logo as a data: URI (the report stays one offline file), or None.

    Only a file inside the client folder (or a folder the user allowed), within
    :data:`~cxkit._limits.LOGO_MAX_BYTES`, whose bytes are an image; anything else is
    left out here and reported by ``cxkit validate``. SVG is only ever an ``<img>``
    source, where its scripts do not run.
    """
    if not logo:
        return None
    try:
        data = read_logo(wb_path.parent, logo)
    except (LimitExceeded, OSError):
        return None
    kind = image_kind(data[:4096])
    return f"data:{kind};base64,{base64.b64encode(data).decode('ascii')}"


def journey_groups(journeys: Sequence[Journey]) -> list[list[Journey]]:
    """Each journey with the future-state journeys that redesign it (current first)."""
    ids = {j.id for j in journeys}
    groups: list[list[Journey]] = []
    for j in journeys:
        if j.redesigns and j.redesigns in ids:
            continue
        groups.append([j, *(f for f in journeys if f.redesigns == j.id)])
    return groups


class Report:
    """One client's report: the workbook, its analysis and the section builders."""

    def __init__(
        self,
        wb: Workbook,
        wb_path: Path,
        loc: Locale,
        *,
        day: dt.date,
        journeys: Sequence[str] | None = None,
        data: SurveyData | None = None,
    ) -> None:
        self.wb, self.path, self.loc, self.day, self.data = wb, wb_path, loc, day, data
        chosen = [j for j in wb.journeys if not journeys or j.id in journeys]
        self.groups = journey_groups(chosen)
        # The brand colours as the report uses them: as text on the light page and as
        # backgrounds under white text, so darkened (hue kept) to 4.5:1 on the page's
        # greyest background when the brand's own shade is lighter than that.
        self.brand_raw = wb.client.brand.primary
        self.brand = readable(self.brand_raw, PAGE_GREY)
        self.brand2 = readable(wb.client.brand.secondary or "#E69F00", MOT_YELLOW)
        self.names = {p.id: p.name for p in wb.personas}
        self.content_lang = wb.client.language.value
        self.u = journeymap.isolator(loc, self.content_lang)

    @classmethod
    def load(
        cls,
        workbook: str | Path,
        *,
        language: str | None = None,
        journeys: Sequence[str] | None = None,
        report_date: str | dt.date | None = None,
        surveys: bool = True,
    ) -> Report:
        """Load the workbook (and its survey data) named by the notebook's parameters."""
        path = resolve_workbook_path(Path(workbook)).resolve()
        wb = load_workbook(path)
        lang = language or wb.client.language.value
        if isinstance(report_date, str):
            day = dt.date.fromisoformat(report_date)
        else:
            day = report_date or dt.date.today()
        data = survey_data(wb, path) if surveys else None
        return cls(wb, path, locale(lang), day=day, journeys=journeys, data=data)

    # ------------------------------------------------------------------ helpers

    def scores_for(self, journey: Journey) -> JourneyScores | None:
        """The survey scores measured on ``journey`` (None without survey data)."""
        return self.data.journeys.get(journey.id) if self.data else None

    def _render(self, template: str, **context: Any) -> Html:
        return Html(
            journeymap.render(
                template, t=self.loc.t, loc=self.loc, u=self.u, ltr=journeymap.ltr, **context
            )
        )

    def chart(self, fig: charts.Figure, *, chart_id: str, alt: str) -> Markup:
        """A chart for the report: its ``<figure>``, its JSON and its data table."""
        height = fig.get("layout", {}).get("height") or 380
        return Markup(
            self._render(
                "chart.html.j2",
                chart_id=chart_id,
                alt=alt,
                height=int(height),
                payload=Markup(charts.figure_payload(fig)),
                data=charts.figure_table(fig),
            ).html
        )

    def score_figures(self, journey: Journey) -> list[tuple[str, charts.Figure]]:
        """The journey's score charts: (metric, figure) per measured metric, then
        ("nps-mix", the NPS composition) when there is NPS."""
        scores = self.scores_for(journey)
        if not scores:
            return []
        out = [
            (metric, charts.score_chart(bars, metric, self.loc))
            for metric, bars in scores.by_stage.items()
            if bars
        ]
        if scores.nps_mix:
            out.append(("nps-mix", charts.nps_composition(scores.nps_mix, self.loc)))
        return out

    def logo(self) -> tuple[str, bytes] | None:
        """The brand logo as (MIME type, bytes), or None (the same file the cover shows)."""
        uri = _logo_uri(self.path, self.wb.client.brand.logo)
        if not uri:
            return None
        head, data = uri.split(",", 1)
        return head[5:].split(";")[0], base64.b64decode(data)

    def emotion_figures(self, group: Sequence[Journey]) -> list[tuple[Journey, charts.Figure]]:
        """One emotion panel per journey of ``group`` (the current state, then its future
        states); measured emotion and moments of truth belong to the current state. A
        journey without any emotion yet (a new workbook) gets no panel."""
        main = group[0]
        scores = self.scores_for(main)
        moments = analysis.moments_of_truth(
            main,
            lowest_score=scores.lowest if scores else None,
            negative_comments=scores.negative_comments if scores else None,
        )
        figs = [
            (
                j,
                charts.emotion_curve(
                    j,
                    self.loc,
                    persona_names=self.names,
                    measured=scores.measured_emotion if scores and j is main else None,
                    moments=moments if j is main else (),
                ),
            )
            for j in group
        ]
        return [(j, fig) for j, fig in figs if fig["data"]]  # no emotion yet: no empty chart

    def contents(self) -> list[tuple[str, str]]:
        """The table of contents: (anchor, title), in report order."""
        t = self.loc.t
        toc = [("summary", t("summary"))]
        if self.wb.personas:
            toc.append(("personas", t("personas")))
        for group in self.groups:
            toc.append((f"journey-{group[0].id}", group[0].title))
        toc.append(("appendix", t("appendix")))
        return toc

    # ------------------------------------------------------------------ sections

    def cover(self) -> Html:
        """Cover page (brand, client, date) and the table of contents."""
        meta = {
            "lang": self.loc.lang,
            "dir": self.loc.dir,
            "title": f"{self.wb.client.name} · {self.loc.t('report_title')}",
        }
        block = self._render(
            "cover.html.j2",
            client=self.wb.client,
            brand=self.brand,
            brand2=self.brand2,
            brand_raw=self.brand_raw,
            logo=_logo_uri(self.path, self.wb.client.brand.logo),
            date=self.loc.date(self.day),
            toc=self.contents(),
        )
        return Html(block.html, meta)

    def summary(self) -> Html:
        """Executive summary: at a glance, headline scores, moments of truth, pains, quick wins."""
        rows = []
        for group in self.groups:
            j = group[0]
            scores = self.scores_for(j)
            moments = analysis.moments_of_truth(
                j,
                lowest_score=scores.lowest if scores else None,
                negative_comments=scores.negative_comments if scores else None,
            )
            quick = [r for r in analysis.rank_opportunities(j) if r.quadrant == "quick-win"]
            rows.append(
                {
                    "journey": j,
                    "stats": analysis.journey_stats(j),
                    "moments": moments[:4],
                    "pains": [p for p in analysis.top_pain_points(j, 4) if p.text.strip()],
                    "quick": quick[:3],
                }
            )
        return self._render(
            "summary.html.j2",
            rows=rows,
            headline=self.data.headline if self.data else [],
            reason=self.reason_for,
        )

    def personas(self) -> Html:
        """Persona cards."""
        if not self.wb.personas:
            return Html("")
        cards = journeymap.persona_cards(
            self.wb.personas, self.loc, brand=self.brand, content=self.content_lang
        )
        return self._render(
            "section.html.j2",
            anchor="personas",
            title=self.loc.t("personas"),
            body=Markup(cards),
            kicker=None,
        )

    def journeys(self) -> list[Html]:
        """One chapter per journey (with its future state): map, emotion, findings, ideas."""
        return [self.journey(group) for group in self.groups]

    def journey(self, group: Sequence[Journey]) -> Html:
        """The chapter for one journey and the future-state journeys that redesign it."""
        main = group[0]
        loc, t = self.loc, self.loc.t
        scores = self.scores_for(main)
        measured = scores.measured_emotion if scores else None
        ranked = analysis.rank_opportunities(main)
        dups = analysis.duplicated_steps(main)
        moments = analysis.moments_of_truth(
            main,
            lowest_score=scores.lowest if scores else None,
            negative_comments=scores.negative_comments if scores else None,
        )
        posters = [
            {
                "journey": j,
                "html": Markup(
                    journeymap.poster(
                        j,
                        loc,
                        ranked=ranked if j is main else None,
                        measured=measured if j is main else None,
                        content=self.content_lang,
                    )
                ),
            }
            for j in group
        ]
        emotions = [
            {
                "journey": j,
                "html": self.chart(
                    fig,
                    chart_id=f"{j.id}-emotion",
                    alt=t("emotion_chart_alt", journey=j.title),
                ),
            }
            for j, fig in self.emotion_figures(group)
        ]
        figs: dict[str, Markup] = {}
        spots = analysis.hotspots(main)
        if spots.total:
            figs["hotspots"] = self.chart(
                charts.hotspot_heatmap(spots, loc),
                chart_id=f"{main.id}-hotspots",
                alt=t("heatmap_alt"),
            )
        values = analysis.value_stream(main)
        if any(v.total - v.unclassified for v in values):
            figs["value"] = self.chart(
                charts.value_stream_chart(values, loc),
                chart_id=f"{main.id}-value",
                alt=t("value_alt"),
            )
        efforts = analysis.effort_by_stage(main)
        if any(e.mean is not None for e in efforts):
            figs["effort"] = self.chart(
                charts.effort_chart(efforts, loc),
                chart_id=f"{main.id}-effort",
                alt=t("effort_alt"),
            )
        if ranked:
            figs["matrix"] = self.chart(
                charts.opportunity_matrix(ranked, loc),
                chart_id=f"{main.id}-matrix",
                alt=t("matrix_alt"),
            )
        score_figs = [
            self.chart(
                fig,
                chart_id=f"{main.id}-score-{key}" if key != "nps-mix" else f"{main.id}-nps-mix",
                alt=t("score_chart_alt", metric=t(key))
                if key != "nps-mix"
                else t("nps_composition"),
            )
            for key, fig in self.score_figures(main)
        ]
        return self._render(
            "journey.html.j2",
            main=main,
            posters=posters,
            emotions=emotions,
            persona=self.wb.persona(main.persona) if main.persona in self.names else None,
            figs=figs,
            moments=moments,
            reason=self.reason_for,
            duplicates=dups,
            gaps=analysis.expectation_gaps(main, measured)[:6],
            ranked=ranked,
            score_figs=score_figs,
            scores=scores,
            has_data=self.data is not None,
            future=State.FUTURE,
        )

    def appendix(self) -> Html:
        """Method and data sources; then, for print only, every journey map on its own A3
        page (on screen each map sits in its chapter)."""
        posters = []
        for group in self.groups:
            scores = self.scores_for(group[0])
            for j in group:
                html = journeymap.poster(
                    j,
                    self.loc,
                    measured=scores.measured_emotion if scores and j is group[0] else None,
                    content=self.content_lang,
                )
                posters.append(
                    {"journey": j, "future": j.state is State.FUTURE, "html": Markup(html)}
                )
        return self._render(
            "appendix.html.j2",
            posters=posters,
            sources=self.data.sources if self.data else [],
            responses=self.data.responses if self.data else 0,
            client=self.wb.client,
            date=self.loc.date(self.day),
        )

    def all(self) -> list[Html]:
        """Every section in report order (for scripts; the notebook calls them one by one)."""
        return [self.cover(), self.summary(), self.personas(), *self.journeys(), self.appendix()]

    def _reason(self, m: analysis.MomentOfTruth) -> tuple[str, str | None]:
        """The reason's sentence with ``\x00`` where its number goes, and the number."""
        t, v = self.loc.t, m.values
        if m.kind == "emotion-drop":
            before = self.loc.signed(float(v["before"]))
            after = self.loc.signed(float(v["after"]))
            return t("steepest_drop", before=before, after="\x00"), after
        if m.kind == "lowest-score":
            metric, value = str(v["metric"]), float(v["value"])
            if metric == "emotion":
                return t("lowest_emotion", value="\x00"), self.loc.signed(value, 1)
            shown = self.loc.number(value, 0 if metric == "nps" else 2)
            return t("lowest_metric", metric=t(metric), value="\x00"), shown
        return t("negative_verbatims", count="\x00"), str(int(v["count"]))

    def reason_text(self, m: analysis.MomentOfTruth) -> str:
        """Why a moment of truth is listed, as plain text (Markdown, the deck)."""
        if m.kind == "flagged":
            return m.reason or self.loc.t("flagged")
        text, number = self._reason(m)
        return text.replace("\x00", number or "")

    def reason_for(self, m: analysis.MomentOfTruth) -> Markup:
        """Why a moment of truth is listed, in the report's language and in words a client
        reads (no raw keys; numbers kept in order in right-to-left text)."""
        if m.kind == "flagged":
            return self.u(m.reason) if m.reason else Markup.escape(self.loc.t("flagged"))
        text, number = self._reason(m)
        return Markup.escape(text).replace("\x00", journeymap.ltr(number or ""))
