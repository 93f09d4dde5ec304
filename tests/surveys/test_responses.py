"""Survey importers: one fixture per export format, hand-computed expectations.

Fixtures live in tests/fixtures/surveys/ (written by make_fixtures.py in their real
layouts). Expected numbers were counted by hand from the rows in that script.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from cxkit.errors import Reason, SurveyError
from cxkit.scoring.scores import score
from cxkit.surveys.answers import builtin_labels, parse_answers
from cxkit.surveys.decoding import decode_bytes, sniff_delimiter
from cxkit.surveys.responses import (
    ImportPolicy,
    load_all_responses,
    load_responses,
    read_survey,
    responses_from_raw,
    suggest_roles,
)
from cxkit.workbook.model import Scale, SurveyFormat, SurveySource, Workbook
from cxkit.workbook.yamlfile import load_workbook
from tests.conftest import FIXTURES, ROOT

FIX = FIXTURES / "surveys"
SAMPLES = ROOT / "data" / "samples"

# file, format, encoding, delimiter, header rows, data rows, responses kept, excluded rows
LAYOUTS = [
    ("generic.csv", "generic", "utf-8", ",", 1, 10, 10, {}),
    (
        "qualtrics.csv",
        "qualtrics",
        "utf-8-sig",
        ",",
        3,
        9,
        6,
        {"preview": 1, "partial": 1, "duplicate-id": 1},
    ),
    ("qualtrics-utf16.tsv", "qualtrics", "utf-16", "\t", 3, 6, 5, {"preview": 1}),
    ("surveymonkey.xlsx", "surveymonkey", "xlsx", None, 2, 6, 6, {}),
    ("google-forms-cp1255.csv", "google-forms", "cp1255", ",", 1, 5, 5, {}),
    ("typeform.csv", "typeform", "utf-8", ",", 1, 5, 4, {"partial": 1}),
    ("semicolon-bom.csv", "generic", "utf-8-sig", ";", 1, 7, 7, {}),
    ("stray-byte.csv", "generic", "utf-8", ",", 1, 4, 4, {}),
]

# file, NPS (n, score, promoters, detractors), CSAT (n, top2 %, mean), CES (n, mean, agree %)
SCORES = [
    ("generic.csv", (7, 100 / 7, 3, 2), (10, 70.0, 3.7), (9, 48 / 9, 700 / 9)),
    ("qualtrics.csv", (6, -100 / 3, 1, 3), (6, 50.0, 20 / 6), (6, 25 / 6, 50.0)),
    ("qualtrics-utf16.tsv", (5, 0.0, 2, 2), None, None),
    ("surveymonkey.xlsx", (4, 25.0, 2, 1), (5, 60.0, 3.2), None),
    ("google-forms-cp1255.csv", (5, 0.0, 2, 2), (5, 60.0, 3.6), None),
    ("typeform.csv", (4, 25.0, 2, 1), (4, 50.0, 3.5), None),
    ("semicolon-bom.csv", None, None, (5, 5.4, 80.0)),
    ("stray-byte.csv", (4, 25.0, 2, 1), None, None),
]

# file, metric -> rejected answers by reason
EXCLUDED = [
    (
        "generic.csv",
        {"nps": {"blank": 1, "unknown-label": 1, "out-of-range": 1}, "ces": {"blank": 1}},
    ),
    ("surveymonkey.xlsx", {"nps": {"blank": 1, "out-of-range": 1}, "csat": {"unknown-label": 1}}),
    ("semicolon-bom.csv", {"ces": {"blank": 1, "not-whole-number": 1}}),
]


def _responses(name: str):
    raw = read_survey(FIX / name)
    return responses_from_raw(raw, suggest_roles(raw), source_id=Path(name).stem)


@pytest.mark.parametrize(
    ("name", "fmt", "enc", "delim", "heads", "rows", "kept", "dropped"), LAYOUTS
)
def test_layout_is_detected(name, fmt, enc, delim, heads, rows, kept, dropped):
    raw = read_survey(FIX / name)
    assert (raw.format.value, raw.encoding, raw.delimiter, raw.header_rows, raw.rows) == (
        fmt,
        enc,
        delim,
        heads,
        rows,
    )
    responses = responses_from_raw(raw, suggest_roles(raw))
    assert responses.rows == kept
    assert responses.sources[0].excluded_rows == dropped


@pytest.mark.parametrize(("name", "nps", "csat", "ces"), SCORES)
def test_hand_computed_scores(name, nps, csat, ces):
    total = score(_responses(name)).all
    if nps is None:
        assert total.nps is None
    else:
        n, value, promoters, detractors = nps
        assert total.nps is not None
        assert total.nps.n == n
        assert total.nps.score == pytest.approx(value)
        assert total.nps.promoters == pytest.approx(100 * promoters / n)
        assert total.nps.detractors == pytest.approx(100 * detractors / n)
    if csat is None:
        assert total.csat is None
    else:
        assert total.csat is not None
        assert (total.csat.n, total.csat.top2, total.csat.mean) == pytest.approx(csat)
    if ces is None:
        assert total.ces is None
    else:
        assert total.ces is not None
        assert (total.ces.n, total.ces.mean, total.ces.agree) == pytest.approx(ces)


@pytest.mark.parametrize(("name", "expected"), EXCLUDED)
def test_every_rejected_answer_is_counted(name, expected):
    assert _responses(name).excluded == expected


def test_rejected_answers_name_file_row_column_and_expectation():
    issues = _responses("generic.csv").issues
    texts = [str(i) for i in issues]
    assert any(
        "generic.csv" in t
        and "row 9 '11'" in t
        and "expected a whole number 0-10" in t
        and "column 'How likely are you to recommend us to a friend?'" in t
        for t in texts
    )
    # each rejection carries its own code: the same one the exclusion counts use
    assert {i.reason for i in issues} == {Reason.OUT_OF_RANGE, Reason.UNKNOWN_LABEL}


def test_row_numbers_point_at_the_file_rows():
    # Qualtrics: 3 header rows, so R_1 is row 4; R_4 (after a preview and a partial) is row 7.
    frame = _responses("qualtrics.csv").frame
    assert list(frame["row"][:2]) == [4, 7]
    assert list(frame["id"]) == ["R_1", "R_4", "R_5", "R_6", "R_7", "R_8"]


def test_qualtrics_headers_html_and_line_breaks_are_cleaned():
    raw = read_survey(FIX / "qualtrics.csv")
    assert raw.questions["Q2"] == "How satisfied were you with this part?"
    assert raw.questions["Q3"] == "How likely are you to recommend us to a friend or colleague?"
    assert raw.resolve("How satisfied were you with this part?") == "Q2"
    assert "" not in raw.columns and not any(c.startswith("column ") for c in raw.columns)


def test_nps_group_column_is_never_suggested_as_nps():
    raw = read_survey(FIX / "qualtrics.csv")
    assert suggest_roles(raw)["nps"] == "Q3"


def test_qualtrics_recoded_nps_is_shifted_and_said():
    responses = _responses("qualtrics-utf16.tsv")
    assert sorted(responses.frame["nps"]) == [0, 6, 7, 9, 10]
    assert any("1-11" in n for n in responses.sources[0].notes)


def test_surveymonkey_two_header_rows_are_joined():
    raw = read_survey(FIX / "surveymonkey.xlsx")
    assert "Which channels did you use? - Web" in raw.columns
    assert raw.questions["Any other comments?"] == "Any other comments?"
    assert raw.first_data_row == 3


def test_google_forms_hebrew_dates_are_day_first():
    frame = _responses("google-forms-cp1255.csv").frame
    assert list(frame["month"].astype(str)) == ["2024-03"] * 2 + ["2024-04"] * 3
    assert frame["date"].iloc[2] == pd.Timestamp("2024-04-02 09:15:00")


def test_stray_byte_is_replaced_and_reported():
    raw = read_survey(FIX / "stray-byte.csv")
    assert raw.encoding == "utf-8"
    assert any("not valid UTF-8" in n for n in raw.notes)
    assert "\ufffd" in raw.df["comment"].iloc[2]


SUGGESTIONS = [
    (
        "generic.csv",
        {
            "nps": "How likely are you to recommend us to a friend?",
            "csat": "How satisfied were you overall?",
            "ces": "The company made it easy to handle my request",
            "date": "date",
            "comment": "Any comments?",
            "stage": "stage",
            "segment": "segment",
            "id": "id",
        },
    ),
    (
        "typeform.csv",
        {
            "nps": "How likely are you to recommend us to a friend?",
            "csat": "How satisfied are you with the onboarding?",
            "date": "Submit Date (UTC)",
            "id": "#",
            "segment": "Which plan are you on?",
            "comment": "Anything else?",
        },
    ),
    (
        "google-forms-cp1255.csv",
        {
            "nps": "באיזו מידה היית ממליץ/ה עלינו לחבר או לבן משפחה?",
            "csat": "עד כמה היית מרוצה מהשירות?",
            "stage": "באיזה שלב פנית אלינו?",
            "date": "חותמת זמן",
            "comment": "הערות",
        },
    ),
    (
        "semicolon-bom.csv",
        {
            "ces": "עד כמה היה קל לטפל בבקשה שלך?",
            "stage": "שלב",
            "date": "תאריך",
            "comment": "הערות",
        },
    ),
]


@pytest.mark.parametrize(("name", "expected"), SUGGESTIONS)
def test_roles_are_suggested_from_question_text(name, expected):
    assert suggest_roles(read_survey(FIX / name)) == expected


def test_hebrew_made_it_easy_question_is_suggested_as_ces():
    path = ROOT / "data/samples/insurer-policy-update/surveys/policy-update-qualtrics.csv"
    assert suggest_roles(read_survey(path))["ces"] == "Q4"  # "מגן הקלה עליי לטפל בעניין..."


# --------------------------------------------------------------------------- answers

ANSWERS = [
    ("10 - Extremely likely", 10.0, None),
    ("0 - בכלל לא", 0.0, None),
    ("0 (Not at all likely)", 0.0, None),
    ("Extremely likely", 10.0, None),
    ("\u200f9\u200f", 9.0, None),  # bidi marks around a number
    ("９", 9.0, None),  # full-width digit, NFKC
    ("", np.nan, "blank"),
    ("   ", np.nan, "blank"),
    ("11", np.nan, "out-of-range"),
    ("-1", np.nan, "out-of-range"),
    ("7.5", np.nan, "not-whole-number"),
    ("maybe", np.nan, "unknown-label"),
    ("#?!", np.nan, "unparseable"),
]


@pytest.mark.parametrize(("text", "value", "reason"), ANSWERS)
def test_nps_answers_as_tools_write_them(text, value, reason):
    parsed = parse_answers(
        pd.Series([text], dtype="str"),
        Scale(min=0, max=10),
        builtin_labels("nps", Scale(min=0, max=10)),
    )
    assert parsed.reasons[0] == reason
    np.testing.assert_equal(parsed.values[0], value)


LABELS = [
    ("csat", Scale(min=1, max=5), "Very satisfied", 5),
    ("csat", Scale(min=1, max=5), "מרוצה מאוד", 5),
    ("csat", Scale(min=1, max=5), "לא מרוצה", 2),
    ("csat", Scale(min=0, max=4), "Neither satisfied nor dissatisfied", 2),
    ("ces", Scale(min=1, max=7), "Strongly agree", 7),
    ("ces", Scale(min=1, max=7), "די מסכים", 5),
    ("ces", Scale(min=1, max=5), "Agree", 4),
]


@pytest.mark.parametrize(("metric", "scale", "text", "value"), LABELS)
def test_builtin_label_sets_in_english_and_hebrew(metric, scale, text, value):
    parsed = parse_answers(pd.Series([text]), scale, builtin_labels(metric, scale))
    assert parsed.values[0] == value


def test_lower_is_better_scale_gets_no_guessed_labels():
    assert builtin_labels("ces", Scale(min=1, max=5, higher_is_better=False)) == {}


def test_numeric_columns_take_the_fast_path_with_the_same_reasons():
    parsed = parse_answers(pd.Series([9, 10, 12, np.nan, 3.5]), Scale(min=0, max=10), {})
    assert list(parsed.reasons) == [None, None, "out-of-range", "blank", "not-whole-number"]


# --------------------------------------------------------------------------- encodings


ENCODINGS = [
    ("utf-8", "שלום,1\n".encode(), "utf-8"),
    ("utf-8-sig", b"\xef\xbb\xbf" + "שלום,1\n".encode(), "utf-8-sig"),
    ("utf-16", "שלום,1\n".encode("utf-16"), "utf-16"),
    ("utf-16-le no BOM", "name,score\nשלום,1\n".encode("utf-16-le"), "utf-16-le"),
    ("cp1255", "שם,ציון\nשלום עולם,1\nתודה רבה,2\n".encode("cp1255"), "cp1255"),
]


@pytest.mark.parametrize(("case", "data", "expected"), ENCODINGS)
def test_encodings_are_detected(case, data, expected):
    text, used, _ = decode_bytes(data, None, "x.csv")
    assert used == expected
    assert "שלום" in text.decode("utf-8")
    assert not text.startswith(b"\xef\xbb\xbf")


def test_forced_encoding_is_used_and_bad_bytes_reported():
    text, used, notes = decode_bytes(b"a,b\n\xff,1\n", "ascii", "x.csv")
    assert used == "ascii" and notes and "\ufffd" in text.decode()


@pytest.mark.parametrize(
    ("sample", "expected"),
    [
        ("a,b,c\n1,2,3\n", ","),
        ("a;b;c\n1;2,5;3\n", ";"),
        ("a\tb\n1\t2\n", "\t"),
        ('"q, with comma";b\n1;2\n', ";"),
    ],
)
def test_delimiter_is_sniffed(sample, expected):
    assert sniff_delimiter(sample) == expected


# --------------------------------------------------------------------------- bad input


def test_missing_file(tmp_path):
    with pytest.raises(SurveyError, match="survey file not found") as exc:
        read_survey(tmp_path / "nope.csv")
    assert exc.value.problems[0].reason is Reason.FILE_NOT_FOUND


def test_empty_file(tmp_path):
    (tmp_path / "empty.csv").write_text("")
    with pytest.raises(SurveyError, match="empty"):
        read_survey(tmp_path / "empty.csv")


def test_ragged_row_names_its_line(tmp_path):
    (tmp_path / "ragged.csv").write_text("a,b\n1,2\n3,4,5,6\n")
    with pytest.raises(SurveyError, match=r"line 3.*4 fields; the header has 2"):
        read_survey(tmp_path / "ragged.csv")


def test_unknown_column_suggests_the_closest(tmp_path):
    raw = read_survey(FIX / "generic.csv")
    with pytest.raises(
        SurveyError,
        match=r"'recomend' for nps not found; did you mean "
        r"'How likely are you to recommend us",
    ):
        responses_from_raw(raw, {"nps": "recomend"})


def test_missing_excel_sheet_suggests_the_closest():
    with pytest.raises(SurveyError, match="sheet 'Shet' not found; did you mean 'Sheet'"):
        read_survey(FIX / "surveymonkey.xlsx", sheet="Shet")


def test_not_an_excel_file(tmp_path):
    (tmp_path / "fake.xlsx").write_text("not a zip")
    with pytest.raises(SurveyError, match="not a readable Excel file"):
        read_survey(tmp_path / "fake.xlsx")


def test_forced_format_is_obeyed():
    raw = read_survey(FIX / "typeform.csv", format="generic")
    assert raw.format is SurveyFormat.GENERIC
    assert responses_from_raw(raw, suggest_roles(raw)).rows == 5  # partial kept: not Typeform


def test_policy_can_keep_previews_partials_and_duplicates():
    raw = read_survey(FIX / "qualtrics.csv")
    policy = ImportPolicy(keep_previews=True, keep_partial=True, drop_duplicates=False)
    assert responses_from_raw(raw, suggest_roles(raw), policy=policy).rows == 9


# --------------------------------------------------------------------------- workbook


def test_workbook_survey_links_stages_and_lists_unmatched():
    path = FIX / "hotel-workbook.yml"
    wb = load_workbook(path)
    responses = load_responses(wb, path, wb.surveys[0])
    assert list(responses.frame["stage"].astype(object).fillna("-")) == [
        "check-in",
        "room",
        "room",
        "check-out",
        "check-out",
        "-",
    ]
    (u,) = responses.unmatched
    assert (u.value, u.count, u.suggestion) == ("Chek-in", 1, "Check-in")
    assert "did you mean 'Check-in'" in str(responses.issues[-1])
    # stages keep the journey's order, not the alphabet's
    assert [g.group for g in score(responses, by="stage").groups] == [
        "ALL",
        "check-in",
        "room",
        "check-out",
        "(none)",
    ]


def test_stage_map_and_touchpoint_imply_stage(tmp_path):
    (tmp_path / "s.csv").write_text(
        "nps,step,where\n9,At the desk,desk\n3,Paying,bill\n7,Elsewhere,nowhere\n"
    )
    wb = Workbook.model_validate(
        {
            "cxkit": 1,
            "client": {"name": "x"},
            "personas": [{"id": "p", "name": "P"}],
            "journeys": [
                {
                    "id": "j",
                    "title": "J",
                    "persona": "p",
                    "stages": [
                        {
                            "id": "arrive",
                            "name": "Arrive",
                            "touchpoints": [
                                {"id": "desk", "name": "Front desk", "channel": "face-to-face"}
                            ],
                        },
                        {
                            "id": "leave",
                            "name": "Leave",
                            "touchpoints": [
                                {"id": "bill", "name": "Bill", "channel": "face-to-face"}
                            ],
                        },
                    ],
                }
            ],
            "surveys": [
                {
                    "id": "s",
                    "file": "s.csv",
                    "columns": {"nps": "nps", "touchpoint": "where"},
                    "touchpoint_map": {"nowhere": "bill"},
                }
            ],
        }
    )
    responses = load_responses(wb, tmp_path / "workbook.yml", wb.surveys[0])
    assert list(responses.frame["touchpoint"]) == ["desk", "bill", "bill"]
    assert list(responses.frame["stage"]) == ["arrive", "leave", "leave"]


def test_workbook_column_error_names_the_workbook_entry(tmp_path):
    (tmp_path / "s.csv").write_text("nps\n9\n")
    wb = Workbook.model_validate(
        {
            "cxkit": 1,
            "client": {"name": "x"},
            "surveys": [{"id": "s", "file": "s.csv", "columns": {"nps": "NPS score"}}],
        }
    )
    with pytest.raises(SurveyError) as exc:
        load_responses(wb, tmp_path / "workbook.yml", wb.surveys[0])
    p = exc.value.problems[0]
    assert p.where == "surveys[0].columns.nps" and "s.csv" in p.message
    assert "did you mean 'nps'" in p.message


def test_workbook_missing_survey_file_names_the_entry(tmp_path):
    wb = Workbook.model_validate(
        {"cxkit": 1, "client": {"name": "x"}, "surveys": [{"id": "s", "file": "gone.csv"}]}
    )
    with pytest.raises(SurveyError) as exc:
        load_all_responses(wb, tmp_path / "workbook.yml")
    assert exc.value.problems[0].where == "surveys[0].file"
    assert exc.value.problems[0].reason is Reason.FILE_NOT_FOUND


def test_workbook_value_labels_win(tmp_path):
    (tmp_path / "s.csv").write_text("sat\nTop\nBottom\nVery satisfied\n")
    source = SurveySource(
        id="s", file="s.csv", columns={"csat": "sat"}, value_labels={"sat": {"Top": 5, "Bottom": 1}}
    )
    wb = Workbook.model_validate({"cxkit": 1, "client": {"name": "x"}, "surveys": [source]})
    frame = load_responses(wb, tmp_path / "workbook.yml", wb.surveys[0]).frame
    assert list(frame["csat"]) == [5, 1, 5]


# --------------------------------------------------------------------------- samples


def _sample_workbooks() -> list[Path]:
    return sorted(p for p in SAMPLES.glob("*/workbook.yml"))


@pytest.mark.parametrize("path", _sample_workbooks(), ids=lambda p: p.parent.name)
def test_every_sample_client_imports_cleanly_and_scores(path):
    wb = load_workbook(path)
    for source in wb.surveys:
        if not (path.parent / source.file).is_file():
            pytest.skip(f"{source.file} not written yet")
    responses = load_all_responses(wb, path)
    assert not responses.unmatched, [str(u) for u in responses.unmatched]
    assert responses.rows > 0
    table = score(responses, by="stage" if responses.mapped("stage") else ())
    total = table.all
    for metric in ("nps", "csat", "ces"):
        part = getattr(total, metric)
        if part is not None and part.n:
            assert (
                part.low
                <= (part.score if metric == "nps" else part.mean if metric == "ces" else part.top2)
                <= part.high
            )


def test_decimal_comma_weights_and_mixed_date_layouts(tmp_path):
    # European Excel: ';' delimiter, "0,5" weights; one date without its time.
    (tmp_path / "w.csv").write_text(
        "nps;weight;when\n10;0,5;2-1-2026 20:51\n0;1,5;3-1-2026 9:50\n9;1;05-02-2026\n"
    )
    raw = read_survey(tmp_path / "w.csv")
    responses = responses_from_raw(raw, {"nps": "nps", "weight": "weight", "date": "when"})
    assert list(responses.frame["weight"]) == [0.5, 1.5, 1.0]
    assert list(responses.frame["month"].astype(str)) == ["2026-01", "2026-01", "2026-02"]
    assert "date" not in responses.excluded and "weight" not in responses.excluded
