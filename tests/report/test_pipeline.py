"""The report pipeline end to end: every sample renders once per session, through the CLI.

One batch (``cxkit batch``, two processes) renders every sample client plus two
made-up ones: a client whose notebook fails, and one whose every name is
``<script>alert(1)</script>``. The tests then read the files it wrote.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from ruamel.yaml import YAML

from cxkit.i18n import locale
from cxkit.report.pipeline import NOTEBOOK, client_name
from tests.conftest import ROOT, SAMPLES, XSS

MAX_BYTES = 3 * 1024 * 1024


def _html(batch: tuple[subprocess.CompletedProcess[str], Path], name: str) -> str:
    path = batch[1] / f"{name}.html"
    assert path.exists(), batch[0].stdout + batch[0].stderr
    return path.read_text("utf-8")


SAMPLE_NAMES = [client_name(p) for p in SAMPLES]


def test_a_broken_client_fails_alone(batch: tuple) -> None:
    proc, out = batch
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "broken-client" in proc.stdout and "failed" in proc.stdout
    assert "1 of 8 report(s) failed" in proc.stderr
    assert not (out / "broken-client.html").exists()
    nb = nbformat.read(out / "broken-client.failed.ipynb", as_version=4)
    errors = [
        c for c in nb.cells if any(o.get("output_type") == "error" for o in c.get("outputs", []))
    ]
    assert len(errors) == 1 and "WorkbookError" in json.dumps(errors[0]["outputs"])
    assert any(
        "papermill-error-cell" in json.dumps(c.get("metadata", {}))
        or "An Exception was encountered" in c.get("source", "")
        for c in nb.cells
    )
    for name in [*SAMPLE_NAMES, "xss-client"]:
        assert (out / f"{name}.html").exists(), name
    assert not list(out.glob(".*.running.ipynb"))


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_every_sample_renders_offline_and_small(batch: tuple, name: str) -> None:
    html = _html(batch, name)
    assert len(html.encode("utf-8")) <= MAX_BYTES
    # no network: no external script, stylesheet, font, image or import
    assert not re.search(r"""<(script|img|iframe)[^>]+src\s*=\s*["']?(https?:)?//""", html, re.I)
    assert not re.search(r"""<link[^>]+href\s*=\s*["']?(https?:)?//""", html, re.I)
    assert not re.search(r"""url\(\s*["']?(https?:)?//|@import""", html, re.I)
    assert "require.js" not in html and "MathJax.js" not in html and "unpkg.com" not in html
    # plotly.js exactly once
    assert len(re.findall(r"\* plotly\.js[^\n]* v\d", html)) == 1
    # no code, no prompts
    assert "jp-InputPrompt" not in html and "In&nbsp;[" not in html
    assert "Report.load(" not in html and "jp-CodeCell" not in html


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_every_chart_carries_data(batch: tuple, name: str) -> None:
    html = _html(batch, name)
    divs = re.findall(r'<div class="cx-chart plotly-graph-div" id="([^"]+)"', html)
    blocks = dict(
        re.findall(
            r'<script type="application/json" class="cx-chart-data" data-for="([^"]+)">'
            r"(.*?)</script>",
            html,
            re.S,
        )
    )
    assert divs and set(divs) == set(blocks)
    for chart_id, payload in blocks.items():
        fig = json.loads(payload)
        assert fig["data"], chart_id
        assert all(len(t.get("y", t.get("z", [])) or []) for t in fig["data"]), chart_id
    assert "application/vnd.plotly.v1+json" not in html  # the blank-chart trap


@pytest.mark.parametrize("path", SAMPLES, ids=SAMPLE_NAMES)
def test_direction_and_language(batch: tuple, path: Path) -> None:
    html = _html(batch, client_name(path))
    lang = YAML(typ="safe").load(path.read_text("utf-8"))["client"].get("language", "en")
    direction = locale(lang).dir
    assert f'<html lang="{lang}" dir="{direction}">' in html
    assert f'<body dir="{direction}"' in html
    assert locale(lang).t("summary") in html


def test_user_text_is_escaped_everywhere(batch: tuple) -> None:
    html = _html(batch, "xss-client")
    assert XSS not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert html.count("<script") == html.count("</script>")
    # only cxkit's own scripts: chart data blocks, plotly.js and the loader
    kinds = re.findall(r"<script([^>]*)>", html)
    assert all(k == "" or 'type="application/json"' in k for k in kinds)
    assert len([k for k in kinds if k == ""]) == 2


def test_cover_and_contents(batch: tuple) -> None:
    html = _html(batch, "pension-withdrawal")
    assert "5 March 2026" in html and "--cx-brand: #1b4d3e" in html
    assert 'class="cx-toc"' in html and 'href="#journey-withdrawal-current"' in html
    assert "@page poster" in html and "A3 landscape" in html


def test_locales_have_the_same_keys() -> None:
    he, en = locale("he"), locale("en")
    assert he.labels.keys() == en.labels.keys()
    assert he.channels.keys() == en.channels.keys() and he.statuses.keys() == en.statuses.keys()


def test_report_notebook_is_committed_clean() -> None:
    committed = ROOT / "notebooks" / "04_journey_report.ipynb"
    assert committed.read_bytes() == NOTEBOOK.read_bytes(), "keep the two copies identical"
    nb = nbformat.read(committed, as_version=4)
    assert nb.metadata.kernelspec.name == "python3" and nb.metadata.language_info.name == "python"
    assert ["parameters"] in [c.metadata.get("tags") for c in nb.cells]
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None
            assert "def " not in cell.source and "class " not in cell.source


def test_a_kernel_that_dies_while_starting_gets_one_more_try(tmp_path: Path) -> None:
    from cxkit.report.pipeline import Renderer

    calls: list[int] = []

    class Flaky(Renderer):
        def execute(self, workbook: Path, output: Path, parameters: dict) -> object:
            calls.append(1)
            if len(calls) == 1:
                raise RuntimeError("Kernel died before replying to kernel_info")
            return "executed"

    flaky = Flaky.__new__(Flaky)  # no exporter needed for this check
    assert flaky._execute_with_retry(tmp_path / "w.yml", tmp_path / "o.ipynb", {}) == "executed"
    assert len(calls) == 2

    class Broken(Renderer):
        def execute(self, workbook: Path, output: Path, parameters: dict) -> object:
            raise RuntimeError("something else")

    with pytest.raises(RuntimeError, match="something else"):
        Broken.__new__(Broken)._execute_with_retry(tmp_path / "w.yml", tmp_path / "o.ipynb", {})


def test_measured_emotion_per_touchpoint_when_the_survey_names_it() -> None:
    from cxkit.report.data import survey_data
    from cxkit.workbook.yamlfile import load_workbook

    def per_stage(path: Path) -> list[set[float]]:
        wb = load_workbook(path)
        data = survey_data(wb, path)
        assert data is not None
        measured = data.journeys[wb.journeys[0].id].measured_emotion
        return [
            {measured[t.id] for t in s.touchpoints if t.id in measured}
            for s in wb.journeys[0].stages
        ]

    clinic = ROOT / "data/samples/weight-loss-clinic/workbook.yml"  # maps a touchpoint column
    assert any(len(values) > 1 for values in per_stage(clinic))
    card = ROOT / "data/samples/credit-card-renewal/workbook.yml"  # stages only
    assert all(len(values) <= 1 for values in per_stage(card))


def test_quotes_cover_the_main_themes_not_one_theme_five_times() -> None:
    import pandas as pd

    from cxkit.report.data import _spread_over_themes

    pool = pd.DataFrame(
        {
            "comment": [
                "We had to wait two hours",
                "Waited forever on hold",
                "The queue was endless, we waited",
                "The price was far too high",
                "Nothing else to add",
            ],
            "stage": ["arrive", "call", "arrive", "pay", "pay"],
            "emotion_": [-2.0, -1.9, -1.8, -1.0, -0.5],  # strongest first, as the report sorts
        }
    )
    chosen = _spread_over_themes(pool, 3, "en")
    assert [c[0] for c in chosen] == [
        "We had to wait two hours",
        "The price was far too high",
        "Waited forever on hold",
    ]
    assert [c[3] for c in chosen] == ["Waiting and delays", "Price and fees", None]
    hebrew = _spread_over_themes(pool.head(1), 1, "he")
    assert hebrew[0][3] == "המתנה ועיכובים"


def test_rendering_in_a_users_process_leaves_its_sys_modules_alone() -> None:
    code = (
        "import sys\n"
        "from cxkit.report.pipeline import Renderer\n"
        "Renderer()\n"
        "print(sys.modules.get('rfc3987_syntax', 'absent') is None)\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert proc.stdout.strip() == "False"


def test_a_blank_starter_renders_no_made_up_findings(tmp_path: Path) -> None:
    """A workbook straight from `cxkit new`: no empty cards, no sample quote, no empty chart."""
    from tests.conftest import cxkit

    for lang in ("en", "he"):
        made = cxkit("new", f"blank-{lang}", "-l", lang, "--root", tmp_path / "clients")
        assert made.returncode == 0, made.stderr
        proc = cxkit(
            "report",
            tmp_path / "clients" / f"blank-{lang}",
            "-o",
            tmp_path / "out",
            "--date",
            "2026-03-05",
        )
        assert proc.returncode == 0, proc.stdout + proc.stderr
        html = (tmp_path / "out" / f"blank-{lang}.html").read_text("utf-8")
        html = html.split("<main", 1)[1].split("</main>")[0]  # the page, not its stylesheet
        loc = locale(lang)
        assert "cx-panel" not in html  # no moments / pains / quick-wins card with nothing in it
        assert "cx-quote" not in html  # the starter's sample quote is not a persona's words
        assert "cx-chart-data" not in html.split('id="journey-')[1].split("</section>")[0]
        assert loc.t("no_emotion_yet").split(":")[0] in html
