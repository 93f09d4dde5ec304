"""Every export layout and every failure of issue 12, each on its own small file.

The files are written at test time by tests/surveys/exports.py; each test asserts
the layout, the response count and either the exact score (counted by hand from
the rows in exports.py) or the exact refusal.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from cxkit.scoring.scores import score
from cxkit.surveys.answers import builtin_labels, parse_answers
from cxkit.surveys.fit import check_fit, describe
from cxkit.surveys.formats import RawSurvey
from cxkit.surveys.responses import (
    count_responses,
    read_survey,
    responses_from_raw,
    suggest_roles,
)
from cxkit.surveys.roles import explain_roles
from cxkit.workbook.model import Scale, SurveyFormat
from tests.conftest import cxkit
from tests.surveys import exports

# builder, format, layout, header rows, data rows, responses, rows left out,
# NPS (n, score) or None, CSAT (n, top-2 %, mean) or None
LAYOUTS = [
    ("wide-qualtrics", "qualtrics", "qualtrics", 3, 4, 3, {"preview": 1}, (3, 100 / 3), None),
    (
        "qualtrics-2016",
        "qualtrics",
        "qualtrics-2016",
        3,
        9,
        4,
        {"preview": 1, "test": 1, "spam": 1, "imported": 1, "partial": 1},
        (3, 100 / 3),  # 10, 9, 6 (the 12 is off the scale)
        None,
    ),
    (
        "qualtrics-legacy",
        "qualtrics",
        "qualtrics-legacy",
        2,
        7,
        3,
        {"preview": 1, "test": 2, "partial": 1},
        (3, 0.0),  # 10, 8, 5
        (3, 200 / 3, 11 / 3),  # 5, 4, 2
    ),
    ("typeform-grouped", "typeform", "typeform-grouped", 2, 5, 4, {"partial": 1}, (4, 25.0), None),
    ("surveymonkey-2017", "surveymonkey", "surveymonkey-2017", 2, 5, 5, {}, (5, 0.0), None),
    ("surveymonkey-resaved", "surveymonkey", "surveymonkey-resaved", 2, 4, 4, {}, (4, 25.0), None),
    (
        "microsoft-forms-csv",
        "microsoft-forms",
        "microsoft-forms",
        1,
        6,
        6,
        {},
        (6, 100 / 6),  # promoters 10, 9, 10; detractors 4, 6
        (6, 400 / 6, 23 / 6),
    ),
    (
        "microsoft-forms-xlsx",
        "microsoft-forms",
        "microsoft-forms",
        1,
        6,
        6,
        {},
        (6, 100 / 6),
        (6, 400 / 6, 23 / 6),
    ),
    ("google-forms-tsv", "google-forms", "google-forms", 1, 5, 5, {}, (5, 0.0), None),
    ("google-forms-xlsx", "google-forms", "google-forms", 1, 5, 5, {}, (5, 0.0), None),
    ("french-latin1", "generic", "generic", 1, 5, 5, {}, (5, 0.0), None),
    ("labelled-likelihood", "google-forms", "google-forms", 1, 9, 9, {}, None, None),
    ("satisfaction-0-10", "generic", "generic", 1, 12, 12, {}, None, None),
]


def _read(name: str, folder: Path) -> RawSurvey:
    return read_survey(exports.BUILDERS[name](folder))


@pytest.mark.parametrize(
    ("name", "fmt", "layout", "heads", "rows", "kept", "left_out", "nps", "csat"), LAYOUTS
)
def test_layout_responses_and_hand_computed_scores(
    tmp_path, name, fmt, layout, heads, rows, kept, left_out, nps, csat
):
    raw = _read(name, tmp_path)
    assert (raw.format.value, raw.layout, raw.header_rows, raw.rows) == (fmt, layout, heads, rows)
    assert raw.layout_reason
    assert count_responses(raw) == (kept, left_out)
    roles = suggest_roles(raw)
    assert ("nps" in roles) == (nps is not None)
    assert ("csat" in roles) == (csat is not None)
    if nps is None and csat is None:
        return
    responses = responses_from_raw(raw, roles)
    assert responses.rows == kept
    total = score(responses).all
    if nps is not None:
        assert total.nps is not None
        assert (total.nps.n, total.nps.score) == pytest.approx(nps)
    if csat is not None:
        assert total.csat is not None
        assert (total.csat.n, total.csat.top2, total.csat.mean) == pytest.approx(csat)


def test_wide_header_keeps_every_question_text(tmp_path):
    raw = _read("wide-qualtrics", tmp_path)
    head = exports.wide_qualtrics(tmp_path).read_bytes().split(b"\r\n", 3)
    assert sum(len(h) for h in head[:3]) > 65536 * 4  # header rows far past 64 KB
    assert raw.questions["Q2500"].startswith("Please rate item 2500 ")
    assert raw.questions["QNPS"] == exports.NPS_Q
    assert raw.df["ResponseId"].tolist() == ["R_1", "R_2", "R_3", "R_4"]


def test_legacy_columns_take_their_names_from_row_two(tmp_path):
    raw = _read("qualtrics-legacy", tmp_path)
    assert raw.columns[:3] == ["ResponseID", "ResponseSet", "Name"]
    assert "Status" in raw.columns and raw.columns[-2:] == ["Q1", "Q2"]
    assert raw.questions["Q2"] == "How satisfied were you with your visit?"


def test_resaved_surveymonkey_drops_the_pandas_index(tmp_path):
    raw = _read("surveymonkey-resaved", tmp_path)
    assert raw.columns == [
        "How likely is it that you would recommend us to a friend or colleague?",
        "Which region are you in?",
        "Which region are you in? - Other (please specify)",
    ]


def test_surveymonkey_2017_nul_bytes_are_removed_and_said(tmp_path):
    raw = _read("surveymonkey-2017", tmp_path)
    assert raw.notes == ["6 NUL byte(s) removed"]
    assert "\x00" not in "".join(str(v) for v in raw.df.to_numpy().ravel())


def test_latin1_french_is_read_as_cp1252_naming_the_others(tmp_path):
    raw = _read("french-latin1", tmp_path)
    assert raw.encoding == "cp1252"
    assert sorted(raw.encoding_alternatives) == ["cp1255", "cp1256"]
    assert raw.columns == ["Référence", exports.FRENCH_NPS_Q, "Élément à améliorer"]
    assert raw.df["Élément à améliorer"].tolist()[2] == "Équipe à former"


def test_hebrew_arabic_russian_spanish_english_nps_questions_are_recognised(tmp_path):
    questions = [
        "מה הסבירות שתמליץ/י עלינו לחבר/ה?",
        "באיזו מידה היית ממליץ/ה עלינו?",
        "ما مدى احتمال أن توصي بنا لصديق؟",
        "Насколько вероятно, что вы порекомендуете нас другу?",
        "¿Qué probabilidad hay de que nos recomiende a un amigo?",
        "How likely are you to recommend us to a friend?",
    ]
    for q in questions:
        path = tmp_path / "q.csv"
        path.write_text(f'id,"{q}"\n1,10\n2,9\n3,3\n4,7\n', encoding="utf-8")
        assert suggest_roles(read_survey(path)).get("nps") == q, q


@pytest.mark.parametrize(
    ("answer", "value"),
    [("10 - בהחלט", 10.0), ("0 - Not at all likely", 0.0), ("בהחלט - 10", 10.0), ("7", 7.0)],
)
def test_endpoint_labelled_answers_read_as_their_number(answer, value):
    parsed = parse_answers(pd.Series([answer]), Scale(min=0, max=10), {})
    assert parsed.values.tolist() == [value]


# --------------------------------------------------------------------------- refusals

LABELLED_REFUSAL = (
    "NPS not scored: column 'How likely are you to recommend us to a friend?' holds a "
    "4-point labelled scale (Very likely, Likely, Neutral, Unlikely), not 0-10 numbers; a "
    "labelled likelihood question is not an NPS. Report it as its own scale, or, if its "
    "labels stand for points 0-10, give their numbers under value_labels in the workbook"
)
CSAT_REFUSAL = (
    "CSAT not scored: column 'How satisfied are you with our service? (0-10)' holds a 0-10 "
    "scale: 8 of 12 answers are off the 1-5 CSAT scale. If that is the question's own scale, "
    "score it on that scale with --csat-scale 0-10 (workbook: csat_scale: {min: 0, max: 10})"
)


def test_labelled_likelihood_is_named_not_offered_and_refused(tmp_path):
    raw = _read("labelled-likelihood", tmp_path)
    q = "How likely are you to recommend us to a friend?"
    found, passed = explain_roles(raw)
    assert "nps" not in found
    assert passed[q] == (
        "not offered as NPS: its answers are a 4-point labelled scale (Very likely, Likely, "
        "Neutral, Unlikely), not the 0-10 scale"
    )
    responses = responses_from_raw(raw, {"nps": q})
    assert [r.message for r in responses.refusals] == [LABELLED_REFUSAL]
    assert not responses.mapped("nps") and responses.frame["nps"].isna().all()


def test_labelled_likelihood_from_the_command_line(tmp_path):
    path = exports.labelled_likelihood(tmp_path)
    q = "How likely are you to recommend us to a friend?"
    result = cxkit("score", path, "--nps", q)
    assert result.returncode == 1
    assert result.stderr.strip() == f"error: {LABELLED_REFUSAL}"
    plain = cxkit("score", path)
    assert plain.returncode == 1 and "not offered as NPS" in plain.stderr
    assert "Traceback" not in plain.stderr + result.stderr


def test_satisfaction_0_10_is_refused_as_csat_then_scored_on_its_scale(tmp_path):
    raw = _read("satisfaction-0-10", tmp_path)
    col = "How satisfied are you with our service? (0-10)"
    assert "csat" not in suggest_roles(raw)
    refused = responses_from_raw(raw, {"csat": col})
    assert [r.message for r in refused.refusals] == [CSAT_REFUSAL]
    on_scale = responses_from_raw(raw, {"csat": col}, csat_scale=Scale(min=0, max=10))
    csat = score(on_scale).all.csat
    assert csat is not None
    # top two points of 0-10 are 9 and 10: 10, 9, 10, 9 of 12; mean 73 / 12
    assert (csat.n, csat.top2, csat.mean) == pytest.approx((12, 100 / 3, 73 / 12))


def test_csat_scale_option_from_the_command_line(tmp_path):
    path = exports.satisfaction_0_10(tmp_path)
    col = "How satisfied are you with our service? (0-10)"
    refused = cxkit("score", path, "--csat", col)
    assert refused.returncode == 1 and refused.stderr.strip() == f"error: {CSAT_REFUSAL}"
    result = cxkit("score", path, "--csat", col, "--csat-scale", "0-10", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["scales"]["csat"] == [0, 10]
    assert data["groups"][0]["csat"]["top2"] == 33.33
    assert data["groups"][0]["csat"]["mean"] == 6.08
    bad = cxkit("score", path, "--csat", col, "--csat-scale", "10-0")
    assert bad.returncode == 1
    assert bad.stderr.strip() == "error: --csat-scale 10-0: the minimum must be below the maximum"
    odd = cxkit("score", path, "--ces-scale", "seven")
    assert odd.stderr.strip() == (
        "error: --ces-scale 'seven': give the scale as MIN-MAX, e.g. --ces-scale 0-10"
    )


def test_a_few_typos_are_counted_not_refused():
    values = pd.Series([1, 2, 3, 4, 5] * 10 + [0, 6, 99])  # 3 of 53 off the scale
    scale = Scale(min=1, max=5)
    parsed = parse_answers(values, scale, builtin_labels("csat", scale))
    assert check_fit("csat", "q", values, parsed, scale) is None


def test_describe_says_what_answers_look_like():
    assert describe(pd.Series([0, 10, 5])) == "a 0-10 scale"
    assert describe(pd.Series([2, 9])) == "whole numbers 2-9 (likely a 1-10 scale)"
    assert describe(pd.Series(["Yes", "No", "Yes"])) == "a 2-point labelled scale (Yes, No)"
    assert describe(pd.Series([f"text {chr(97 + i)}" for i in range(12)])) == (
        "free text (12 different answers)"
    )


# --------------------------------------------------------------------------- JSON, rows


def test_score_json_carries_layout_warnings_with_rows_and_exclusions(tmp_path):
    path = exports.qualtrics_2016(tmp_path)
    result = cxkit("score", path, "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert (data["format"], data["layout"], data["header_rows"]) == (
        "qualtrics",
        "qualtrics-2016",
        3,
    )
    assert (data["rows"], data["responses"]) == (9, 4)
    assert data["excluded_rows"] == {
        "preview": 1,
        "test": 1,
        "spam": 1,
        "imported": 1,
        "partial": 1,
    }
    assert data["excluded"]["nps"] == {"out-of-range": 1}
    [warning] = data["warnings"]
    assert (warning["column"], warning["rows"], warning["reason"]) == ("Q1", [6], "out-of-range")
    assert "row 6 '12'" in warning["message"]
    nps = data["groups"][0]["nps"]
    assert (nps["n"], nps["score"], nps["excluded"], nps["confidence"]) == (3, 33.33, 1, "low")
    assert nps["confidence_reason"] == "n=3 < 30; 1 of 4 answers (25%) not counted"
    terminal = cxkit("score", path)
    assert "row 6 '12'" in terminal.stderr and "qualtrics-2016" in terminal.stdout


def test_inspect_json_gives_layout_responses_and_roles(tmp_path):
    path = exports.qualtrics_legacy(tmp_path)
    data = json.loads(cxkit("survey", "inspect", path, "--json").stdout)
    assert {k: data[k] for k in ("format", "layout", "header_rows", "encoding", "rows")} == {
        "format": "qualtrics",
        "layout": "qualtrics-legacy",
        "header_rows": 2,
        "encoding": "utf-8",
        "rows": 7,
    }
    assert data["responses"] == 3
    assert data["layout_reason"].startswith("row 1 is V1, V2, V3")
    roles = {c["column"]: c["role"] for c in data["columns"]}
    assert (roles["Q1"], roles["Q2"], roles["ResponseID"]) == ("nps", "csat", "id")
    text = cxkit("survey", "inspect", path)
    assert "layout: row 1 is V1, V2, V3" in text.stdout and "responses: 3" in text.stdout


def test_inspect_json_for_a_file_with_no_metric(tmp_path):
    path = exports.labelled_likelihood(tmp_path)
    data = json.loads(cxkit("survey", "inspect", path, "--json").stdout)
    assert (data["format"], data["responses"]) == ("google-forms", 9)
    assert [c["role"] for c in data["columns"]] == ["date", None, "comment"]
    assert data["columns"][1]["not_offered"].startswith("not offered as NPS")


def test_excel_warnings_point_at_sheet_rows(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["ID", "Start time", "Completion time", "Email", "Name", exports.NPS_Q])
    ws.append([1, "x", "x", "a", "", 10])
    ws.append([None] * 6)  # a blank row: the next one is row 4 in Excel
    ws.append([2, "x", "x", "a", "", 11])
    ws.append([3, "x", "x", "a", "", 9])
    ws.append([4, "x", "x", "a", "", 8])
    path = tmp_path / "forms.xlsx"
    wb.save(path)
    raw = read_survey(path)
    responses = responses_from_raw(raw, suggest_roles(raw))
    assert [p.rows for p in responses.issues] == [(4,)]


def test_forced_format_still_reads_the_layout(tmp_path):
    raw = read_survey(exports.qualtrics_legacy(tmp_path), format=SurveyFormat.QUALTRICS)
    assert (raw.layout, raw.header_rows) == ("qualtrics-legacy", 2)


def test_blank_lines_keep_the_rows_after_them_numbered_as_in_a_spreadsheet(tmp_path):
    path = tmp_path / "blank.csv"
    path.write_bytes(b"id,nps\r\n1,9\r\n\r\n2,12\r\n3,10\r\n4,8\r\n5,3\r\n")
    raw = read_survey(path)
    assert raw.rows == 5 and raw.notes == ["1 empty row(s) skipped"]
    responses = responses_from_raw(raw, {"nps": "nps"})
    assert [p.rows for p in responses.issues] == [(4,)]  # "2,12" is row 4 in Excel
    data = json.loads(cxkit("score", path, "--nps", "nps", "--json").stdout)
    assert data["not_found"] == ["csat", "ces"] and data["warnings"][0]["rows"] == [4]


@pytest.mark.parametrize(
    ("text", "codec", "expected"),
    [
        ("שם,ציון\nשלום עולם,1\nתודה רבה,2\n", "cp1255", "cp1255"),
        ("الاسم,النتيجة\nمرحبا بالعالم,1\nشكرا جزيلا,2\n", "cp1256", "cp1256"),
        ("Élément,Note\nTrès café,1\nÉquipe à former,2\n", "cp1252", "cp1252"),
    ],
)
def test_code_page_is_chosen_by_the_letters_it_gives(text, codec, expected):
    from cxkit.surveys.decoding import choose_code_page, decode

    data = text.encode(codec)
    chosen, others, _ = choose_code_page(data)
    assert chosen == expected and expected not in others
    found = decode(data, None, "x.csv")
    assert found.data.decode("utf-8") == text and found.encoding == expected
    assert found.alternatives == others


def test_a_given_scale_lets_the_column_be_suggested(tmp_path):
    path = exports.satisfaction_0_10(tmp_path)
    data = json.loads(cxkit("score", path, "--csat-scale", "0-10", "--json").stdout)
    assert data["mapping"]["csat"] == "How satisfied are you with our service? (0-10)"
    assert (data["groups"][0]["csat"]["n"], data["groups"][0]["csat"]["top2"]) == (12, 33.33)
    (tmp_path / "workbook.yml").write_text(
        "cxkit: 1\nclient: {name: X, language: en}\nsurveys:\n  - id: s\n"
        "    file: satisfaction-0-10.csv\n    csat_scale: {min: 0, max: 10}\n",
        encoding="utf-8",
    )
    wb = json.loads(cxkit("score", tmp_path / "workbook.yml", "--json").stdout)
    assert wb["groups"][0]["csat"]["top2"] == 33.33 and wb["sources"][0]["refused"] == []


def test_labels_given_numbers_in_the_workbook_are_scored(tmp_path):
    exports.labelled_likelihood(tmp_path)
    q = "How likely are you to recommend us to a friend?"
    (tmp_path / "workbook.yml").write_text(
        "cxkit: 1\nclient: {name: X, language: en}\nsurveys:\n  - id: s\n"
        f"    file: labelled-likelihood.csv\n    columns: {{nps: '{q}'}}\n"
        f"    value_labels:\n      '{q}':\n"
        "        {Very likely: 10, Likely: 8, Neutral: 5, Unlikely: 0}\n",
        encoding="utf-8",
    )
    data = json.loads(cxkit("score", tmp_path / "workbook.yml", "--json").stdout)
    nps = data["groups"][0]["nps"]
    # the user's own mapping: 5 promoters (10), 2 passives (8), 2 detractors (5, 0) of 9
    assert (nps["n"], nps["score"]) == (9, 33.33)


def test_status_text_values_are_excluded_and_offline_kept(tmp_path):
    rows = [
        ["ResponseId", "Status", "Progress", "Finished", "Q1"],
        ["ResponseId", "Response Type", "Progress", "Finished", exports.NPS_Q],
        [f'{{"ImportId":"{c}"}}' for c in ("_recordId", "status", "progress", "finished", "QID1")],
    ]
    statuses = ["IP Address", "Survey Preview", "Survey Test", "Spam", "Imported", "Offline"]
    rows += [[f"R_{i}", s, "100", "True", "10"] for i, s in enumerate(statuses)]
    rows.append(["R_9", "IP Address", "50", "False", "3"])
    path = tmp_path / "statuses.csv"
    path.write_text(exports._csv(rows), encoding="utf-8")
    raw = read_survey(path)
    assert count_responses(raw) == (
        2,
        {"preview": 1, "test": 1, "spam": 1, "imported": 1, "partial": 1},
    )
