"""Each fast path of the scoring pipeline against the plain way of doing the same thing.

The importer and the scorer take shortcuts on a million rows (pyarrow reading the
file directly, Arrow dictionary codes, day tables for months, answer histograms).
These tests hold every shortcut to the straightforward computation it replaces,
on awkward data: blanks, unknown values, pre-1970 dates, weights, odd groups.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from cxkit.scoring import sums as score_sums
from cxkit.scoring.scores import score
from cxkit.surveys import formats as survey_formats
from cxkit.surveys._fast.distinct import distinct
from cxkit.surveys.responses import read_survey, responses_from_raw, suggest_roles
from cxkit.surveys.roles import clean_values, periods
from tests.conftest import FIXTURES, ROOT

FIX = FIXTURES / "surveys"
TEXT_SURVEYS = sorted(
    [p for p in FIX.iterdir() if p.suffix in {".csv", ".tsv"}]
    + [p for p in (ROOT / "data" / "samples").rglob("*") if p.suffix in {".csv", ".tsv"}]
)


# --------------------------------------------------------------------------- reading


def _careful(path: Path, encoding: str) -> survey_formats.RawSurvey:
    """The careful path: a given encoding skips the direct pyarrow read."""
    return read_survey(path, encoding=encoding)


@pytest.mark.parametrize("path", TEXT_SURVEYS, ids=lambda p: p.name)
def test_direct_read_equals_the_careful_read(path):
    fast = read_survey(path)
    slow = _careful(path, fast.encoding)
    assert fast.format == slow.format
    assert fast.questions == slow.questions
    assert list(fast.row_numbers) == list(slow.row_numbers)
    pd.testing.assert_frame_equal(_as_text(fast.df), _as_text(slow.df))


def _as_text(df: pd.DataFrame) -> pd.DataFrame:
    """Dictionary-encoded columns as plain text (the C parser fallback gives text)."""
    out = df.copy()
    for col in out.columns:
        if isinstance(out[col].dtype, pd.CategoricalDtype):
            out[col] = out[col].astype("str")
    return out


def test_plain_utf8_never_decodes_the_whole_file(monkeypatch, tmp_path):
    path = tmp_path / "plain.csv"
    path.write_text("id,nps,stage\n1,9,Book\n2,3,Pay\n", encoding="utf-8")

    def refuse(*args, **kwargs):
        raise AssertionError("the careful path was taken for a plain UTF-8 file")

    monkeypatch.setattr(survey_formats, "decode", refuse)
    raw = read_survey(path)
    assert raw.encoding == "utf-8" and list(raw.df["stage"]) == ["Book", "Pay"]


def test_windows_1255_body_under_an_ascii_header_is_still_detected(tmp_path):
    lines = ["id,nps,comment"] + [f"{i},{i % 11},תודה רבה על השירות {i}" for i in range(3000)]
    path = tmp_path / "excel-hebrew.csv"
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1255"))
    raw = read_survey(path)
    assert raw.encoding == "cp1255"
    assert raw.df["comment"].iloc[2999] == "תודה רבה על השירות 2999"


def test_stray_byte_after_the_first_block_is_replaced_and_reported(tmp_path):
    rows = [f"{i},{i % 11},תודה".encode() for i in range(20000)]
    rows[15000] = b"15000,4,caf\xe9"  # one Latin-1 byte far past the 64 KB sample
    path = tmp_path / "stray.csv"
    path.write_bytes(b"id,nps,comment\n" + b"\n".join(rows) + b"\n")
    raw = read_survey(path)
    assert raw.encoding == "utf-8"
    assert any("not valid UTF-8" in n and "line 15002" in n for n in raw.notes)
    assert raw.df["comment"].iloc[15000] == "caf\ufffd"


def test_header_longer_than_the_sample_is_read_whole(tmp_path):
    question = "How likely are you to recommend us? " + "x" * 70000
    path = tmp_path / "long-header.csv"
    path.write_text(f'id,"{question}"\n1,9\n2,10\n', encoding="utf-8")
    raw = read_survey(path)
    assert raw.questions[raw.columns[1]].startswith("How likely")
    assert list(raw.df.iloc[:, 1]) == [9, 10]


# --------------------------------------------------------------------------- distinct values


def _arrow_strings(chunks: list[list[str | None]]) -> pd.Series:
    return pd.Series(pd.arrays.ArrowStringArray(pa.chunked_array(chunks, type=pa.large_string())))


def test_arrow_distinct_agrees_with_factorize_across_chunks():
    chunks = [["b", "a", None], ["c", "b"], [], [None, "a", "d", "a"]]
    arrow = _arrow_strings(chunks)
    plain = pd.Series([v for c in chunks for v in c], dtype=object)
    fast, slow = distinct(arrow), distinct(plain)
    assert fast.values == slow.values == ["b", "a", "c", "d"]
    assert fast.counts.tolist() == slow.counts.tolist() == [2, 3, 1, 1]
    table = np.array([10, 20, 30, 40], dtype="int8")
    assert fast.spread(table, missing=-1).tolist() == slow.spread(table, missing=-1).tolist()
    floats = np.array([0.5, 1.5, 2.5, 3.5])
    a, b = fast.spread(floats, missing=np.nan), slow.spread(floats, missing=np.nan)
    np.testing.assert_array_equal(a, b)
    assert a.flags.writeable


def test_clean_values_merges_spacing_and_drops_blank_answers():
    values = _arrow_strings([["  Families", "Couples ", None], ["families", " ", "Couples"]])
    cats = clean_values(values)
    assert list(cats.categories) == ["", "Couples", "Families", "families"]
    assert [None if pd.isna(v) else v for v in cats] == [
        "Families",
        "Couples",
        None,
        "families",
        None,
        "Couples",
    ]


# --------------------------------------------------------------------------- periods


@pytest.mark.parametrize("unit", ["s", "ms", "us", "ns"])
def test_periods_match_pandas_periods(unit):
    rng = np.random.default_rng(3)
    seconds = rng.integers(-3 * 365 * 86400, 3 * 365 * 86400, 5000)  # 1967-1972
    stamps = pd.Series(pd.to_datetime(seconds, unit="s")).astype(f"datetime64[{unit}]")
    stamps[rng.random(5000) < 0.1] = pd.NaT
    month, quarter = periods(stamps)
    want_m = stamps.dt.to_period("M").astype(str).where(stamps.notna())
    want_q = stamps.dt.to_period("Q").astype(str).str.replace("Q", "-Q").where(stamps.notna())
    assert [None if pd.isna(v) else v for v in month] == [None if pd.isna(v) else v for v in want_m]
    assert [None if pd.isna(v) else v for v in quarter] == [
        None if pd.isna(v) else v for v in want_q
    ]
    assert list(month.categories) == sorted(want_m.dropna().unique())
    assert month.ordered and quarter.ordered


def test_periods_of_no_dates_are_empty():
    month, quarter = periods(pd.Series(pd.to_datetime([None, None])))
    assert month.isna().all() and quarter.isna().all() and len(month.categories) == 0


# --------------------------------------------------------------------------- sums


def _awkward_frame(n: int, seed: int, weighted: bool) -> pd.DataFrame:
    rng = np.random.default_rng(seed)

    def answers(low: int, high: int) -> np.ndarray:
        x = rng.integers(low, high + 1, n).astype("float64")
        x[rng.random(n) < 0.15] = np.nan
        return x

    stage = pd.Categorical(
        rng.choice(["book", "stay", "pay", None], n), categories=["book", "stay", "pay", "never"]
    )
    frame = pd.DataFrame(
        {
            "nps": answers(0, 10),
            "csat": answers(1, 5),
            "ces": answers(1, 7),
            "stage": stage,
            "segment": rng.choice(["a", "b", "c"], n),
        }
    )
    if weighted:
        w = rng.gamma(2.0, 0.5, n)
        w[rng.random(n) < 0.05] = np.nan
        w[rng.random(n) < 0.03] = 0.0
        w[rng.random(n) < 0.02] = -1.0
        frame["weight"] = w
    return frame


@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("by", [(), ("stage",), ("stage", "segment")])
def test_histogram_sums_equal_row_sums(monkeypatch, weighted, by):
    frame = _awkward_frame(4000, seed=len(by) + 10 * weighted, weighted=weighted)
    fast = score(frame, by=by).frame
    monkeypatch.setattr(score_sums, "_on_scale", lambda x, scale: False)  # force the row sums
    slow = score(frame, by=by).frame
    pd.testing.assert_frame_equal(fast, slow, rtol=1e-9)
    assert fast["n"].iloc[0] == len(frame)


def test_answers_off_the_scale_take_the_row_sums():
    frame = pd.DataFrame({"csat": [4.5, 2.5, 5.0, 1.0]})  # halves: a hand-made frame
    csat = score(frame).all.csat
    assert csat is not None
    assert csat.mean == pytest.approx(3.25)
    assert csat.top2 == pytest.approx(50.0)  # 4.5 and 5.0 are at least 4


def test_sample_survey_scores_do_not_depend_on_the_path(monkeypatch):
    raw = read_survey(FIX / "generic.csv")
    responses = responses_from_raw(raw, suggest_roles(raw))
    fast = score(responses, by=["stage", "month"]).frame
    monkeypatch.setattr(score_sums, "_on_scale", lambda x, scale: False)
    slow = score(responses, by=["stage", "month"]).frame
    pd.testing.assert_frame_equal(fast, slow, rtol=1e-9)


def test_line_breaks_inside_quoted_answers_across_read_blocks(tmp_path):
    # ~4 MB: pyarrow reads in 1 MB blocks, so block edges fall inside quoted comments.
    rows = [f'{i},{i % 11},"Great stay\nthanks, really, {i}"' for i in range(60000)]
    path = tmp_path / "multiline.csv"
    path.write_text("id,nps,comment\n" + "\n".join(rows) + "\n", encoding="utf-8")
    raw = read_survey(path)
    assert raw.rows == 60000
    assert list(raw.df["id"]) == list(range(60000))
    assert raw.df["comment"].iloc[59999] == "Great stay\nthanks, really, 59999"


def test_responses_frame_is_editable_and_shares_nothing_with_the_export():
    raw = read_survey(FIX / "generic.csv")
    before = raw.df.copy()
    responses = responses_from_raw(raw, suggest_roles(raw))
    frame = responses.frame
    for col in ("nps", "csat", "ces", "row", "id", "date", "weight"):
        frame.loc[0, col] = frame.loc[1, col]  # raises if a column is a read-only view
    frame.loc[0, "nps"] = 0.0
    assert frame.loc[0, "nps"] == 0.0
    pd.testing.assert_frame_equal(raw.df, before)


def test_line_breaks_inside_quotes_in_a_windows_1255_file(tmp_path):
    # Not UTF-8, so the careful path reads it: quoted line breaks must hold there too.
    rows = [f'{i},{i % 11},"שהייה נהדרת\nתודה, באמת, {i}"' for i in range(60000)]
    path = tmp_path / "multiline-1255.csv"
    path.write_bytes(("id,nps,comment\r\n" + "\r\n".join(rows) + "\r\n").encode("cp1255"))
    raw = read_survey(path)
    assert raw.encoding == "cp1255"
    assert raw.rows == 60000
    assert list(raw.df["id"]) == list(range(60000))
    assert raw.df["comment"].iloc[59999] == "שהייה נהדרת\nתודה, באמת, 59999"
