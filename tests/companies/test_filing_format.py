"""companies/filing_format.py: every code of the format has a label a person reads."""

from __future__ import annotations

from companies import filing_format as ff


def test_every_code_of_every_enumeration_has_a_label():
    for field in ff.FIELDS:
        if field.kind == "enum":
            for code in field.choices:
                assert code in ff.LABELS, code
                assert ff.LABELS[code] != code and "_" not in ff.LABELS[code]


def test_a_code_reads_as_words_and_an_unknown_one_as_it_is():
    assert ff.label("REMOVAL_ORDER") == "Removal order"
    assert ff.label("NO_ACTION") == "No action"
    assert ff.label("SOMETHING_NEW") == "SOMETHING_NEW"
