"""The one label loader: every table in both languages, with the same keys."""

from __future__ import annotations

import pytest

from cxkit.i18n import LABEL_TABLES, label_table


@pytest.mark.parametrize("table", LABEL_TABLES)
def test_each_label_table_has_the_same_keys_in_both_languages(table: str) -> None:
    he, en = label_table(table, "he"), label_table(table, "en")
    # English alone has noun_* plural forms ("1 goal|2 goals"); Hebrew feedback writes
    # counts as "מספר X: N", which needs no plural and is right for every gender.
    en_only = {k for k in en if k.startswith("noun_")}
    assert set(he) == set(en) - en_only, set(he) ^ (set(en) - en_only)
    assert all(v.strip() for v in [*he.values(), *en.values()])


def test_an_unknown_table_or_language_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown label table 'widgets'"):
        label_table("widgets", "en")
    with pytest.raises(ValueError, match="unknown language 'fr'"):
        label_table("forms", "fr")
