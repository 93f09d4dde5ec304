"""Which language a workbook is spoken about in, and that every problem found in a
workbook carries its words (template and values), whose English is the message itself."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from cxkit.errors import Problem
from cxkit.i18n.messages import message_text, word
from cxkit.workbook.excel import write_excel
from cxkit.workbook.language import sniff_text, workbook_language
from cxkit.workbook.yamlfile import load_workbook, validate_path
from tests.workbook.mistakes import (
    ENGLISH_SAMPLE,
    FIELD_MISTAKES,
    HEBREW_SAMPLE,
    break_workbook,
    copy_sample,
    edit,
)


def test_a_workbook_that_reads_speaks_its_own_language(tmp_path: Path) -> None:
    assert workbook_language(HEBREW_SAMPLE) == "he"
    assert workbook_language(ENGLISH_SAMPLE / "workbook.yml") == "en"
    wb = load_workbook(HEBREW_SAMPLE)
    assert workbook_language("anything", wb) == "he"
    write_excel(wb, tmp_path / "he.xlsx")
    assert workbook_language(tmp_path / "he.xlsx") == "he"


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("cxkit: [\nclient:\n  language: 'he'  # Hebrew\n", "he"),
        ("client:\n  language: en\n  name: צימר\n", "en"),  # what it says wins
        ("cxkit: [\nclient:\n  name: צימר נוף הגליל\n", "he"),
        ("# הערה ארוכה בעברית בלבד\ncxkit: 1\nclient:\n  name: Acme\n", "en"),  # notes don't count
        ("", "en"),
    ],
)
def test_a_broken_file_is_sniffed(text: str, lang: str) -> None:
    assert sniff_text(text) == lang


def test_what_cannot_be_read_speaks_english(tmp_path: Path) -> None:
    assert workbook_language(tmp_path / "missing.yml") == "en"
    assert workbook_language(tmp_path / "broken.xlsx") == "en"
    (tmp_path / "bad.xlsx").write_bytes(b"PK\x03\x04 not a zip")
    assert workbook_language(tmp_path / "bad.xlsx") == "en"
    if hasattr(os, "mkfifo"):
        os.mkfifo(tmp_path / "pipe.yml")  # never blocks: a pipe is not read
        assert workbook_language(tmp_path / "pipe.yml") == "en"


def _all_problems(tmp_path: Path) -> list[Problem]:
    """Problems of many kinds, found in copies of the Hebrew sample."""
    out: list[Problem] = []
    fields = copy_sample(tmp_path, "fields")
    break_workbook(fields, *FIELD_MISTAKES)
    files = copy_sample(tmp_path, "files")
    break_workbook(files, "survey file not found")
    edit(files, '    secondary: "#3d6b4f"', '    secondary: "#3d6b4f"\n    logo: ../logo.png')
    (tmp_path / "logo.png").write_text("x", "utf-8")
    folder = copy_sample(tmp_path, "folder")
    edit(folder, "surveys/guest-feedback-responses.csv", "surveys")
    alias = copy_sample(tmp_path, "alias")
    edit(alias, "  industry: תיירות ואירוח", "  industry: &a x\n  description: *a")
    top = tmp_path / "top" / "workbook.yml"
    top.parent.mkdir()
    top.write_text("- just a list\n", "utf-8")
    paths = [fields, files, folder, alias, top, tmp_path / "none" / "workbook.yml"]
    if hasattr(os, "mkfifo"):
        pipe = copy_sample(tmp_path, "pipe")
        os.mkfifo(pipe.parent / "answers.csv")
        edit(pipe, "surveys/guest-feedback-responses.csv", "answers.csv")
        paths.append(pipe)
    for path in paths:
        out += validate_path(path)[1]
    return out


def test_every_workbook_problem_has_words_and_its_english_is_the_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    problems = _all_problems(tmp_path)
    monkeypatch.setenv("CXKIT_MAX_WORKBOOK_MB", "0.01")  # over the limit (said in bytes)
    problems += validate_path(HEBREW_SAMPLE)[1]
    monkeypatch.delenv("CXKIT_MAX_WORKBOOK_MB")
    assert len(problems) >= 14
    for p in problems:
        assert p.words is not None, p
        assert word(p.words, "en") == p.message, p
        hebrew = message_text(p, "he")
        assert hebrew != p.message and any("\u0590" <= c <= "\u05ff" for c in hebrew), p
    said = {p.words.key for p in problems if p.words}
    expected = {"outside-folder", "named-is-folder", "top-not-mapping", "yaml-alias", "over-limit"}
    assert expected <= said, said
    if hasattr(os, "mkfifo"):
        assert "named" in said
