"""Cleaning normalises layout without changing wording, and finds title, date and paragraphs."""
from __future__ import annotations

from datetime import date

import pytest

from pipeline.clean import InputError, clean_text, normalise_line, parse_dateline


def clean(raw: str):
    return clean_text(raw, doc_id="t", source="raw/t.txt", raw_sha256="0" * 64)


def test_title_date_and_paragraphs_are_split_on_lines():
    doc = clean("Rain returns to the valley\r\n2024-03-09\r\n\r\nFarmers  welcomed\tthe rain.  \r\nPrices fell.\r\n")
    assert doc.title == "Rain returns to the valley"
    assert doc.published == date(2024, 3, 9)
    assert doc.text == "Rain returns to the valley\n\n2024-03-09\n\nFarmers welcomed the rain.\n\nPrices fell."
    assert [doc.text[s:e] for s, e in doc.paragraphs] == [
        "Rain returns to the valley", "2024-03-09", "Farmers welcomed the rain.", "Prices fell."]


def test_unicode_is_nfc_and_invisible_characters_go():
    doc = clean("\ufeffCafe\u0301 owners\u200b meet\nNo date here\n")
    assert doc.title == "Caf\u00e9 owners meet"
    assert doc.published is None


@pytest.mark.parametrize("line, expected", [
    ("2024-11-05", date(2024, 11, 5)),
    ("November 5, 2024", date(2024, 11, 5)),
    ("5 November 2024", date(2024, 11, 5)),
    ("Nov. 5, 2024", date(2024, 11, 5)),
    ("Tuesday, November 5, 2024", date(2024, 11, 5)),
    ("November 5th, 2024", date(2024, 11, 5)),
    ("2024/11/05", date(2024, 11, 5)),
    ("23-11-2024", date(2024, 11, 23)),
    ("14/03/2025", date(2025, 3, 14)),
    ("03/04/2025", date(2025, 4, 3)),
    ("12/25/2025", date(2025, 12, 25)),
    ("Tuesday 6 May 2025 14:02 BST", date(2025, 5, 6)),
    ("Mon, 2 Jun 2025 10:30 a.m. ET", date(2025, 6, 2)),
    ("June 2, 2025 at 9.15am", date(2025, 6, 2)),
    # AP style: "Sept." and "Tues." are abbreviations strptime does not know
    ("Sept. 9, 2025", date(2025, 9, 9)),
    ("Tues., Sept. 9, 2025", date(2025, 9, 9)),
    ("Thurs. Oct. 2, 2025", date(2025, 10, 2)),
    ("Wed 12 Nov 2025", date(2025, 11, 12)),
    ("23 October, 2025", date(2025, 10, 23)),
    ("2025-10-23T07:41:00Z", date(2025, 10, 23)),
    ("October 23, 2025 | 7:41 AM", date(2025, 10, 23)),
    ("Published: Oct. 23, 2025", date(2025, 10, 23)),
    ("Updated on 23 Oct 2025 07:41", date(2025, 10, 23)),
    # a cricket site's day-month-year with hyphens
    ("22-Nov-2025", date(2025, 11, 22)),
    ("3-March-2025", date(2025, 3, 3)),
    # times of day before the date, after a dash, or followed by a place
    ("4:12 p.m. ET Nov. 20, 2025", date(2025, 11, 20)),
    ("9:05 AM, March 3, 2025", date(2025, 3, 3)),
    ("Friday, September 12th 2025 - 09:33 UTC", date(2025, 9, 12)),
    ("Sunday 9 November 2025 20:14, UK", date(2025, 11, 9)),
    ("May 13, 2025 \u2014 12.49pm", date(2025, 5, 13)),
    ("October, 06/2025 - 15:17", date(2025, 10, 6)),
    ("Wed, 30 Jul 2025 13:05:00 +0000", date(2025, 7, 30)),
    ("5:21 pm on 22 May 2025", date(2025, 5, 22)),
    ("9:14 PM GMT+4, April 12, 2025", date(2025, 4, 12)),
    ("9:05 AM March 3, 2025", date(2025, 3, 3)),
    ("4:12 pm Nov 20, 2025", date(2025, 11, 20)),
    ("10:30 June 5, 2025", date(2025, 6, 5)),
    ("08:00 Sept 3, 2025", date(2025, 9, 3)),
    ("10:30 MAY 5, 2025", date(2025, 5, 5)),
    ("Updated 3.45pm May 3 2025", date(2025, 5, 3)),
    ("Posted at 10:30 on 5 May 2025", date(2025, 5, 5)),
])
def test_common_dateline_forms_parse(line, expected):
    assert parse_dateline(line) == expected


@pytest.mark.parametrize("line", ["Officials met on Monday.", "2024-02-30", "12345", "", "14:02 BST", "31/31/2025",
                                  "10:30 a.m. ET", "14:02, UK"])
def test_non_dates_and_impossible_dates_are_not_datelines(line):
    assert parse_dateline(line) is None


def test_whitespace_only_input_is_rejected_with_the_file_name():
    with pytest.raises(InputError, match=r"raw/t\.txt: empty file"):
        clean(" \n\t\n")


# Every character Python counts as whitespace, but the line break clean_text splits on.
WHITESPACE = [c for c in map(chr, range(0x110000)) if c.isspace() and c != "\n"]


@pytest.mark.parametrize("space", WHITESPACE, ids=lambda c: f"U+{ord(c):04X}")
def test_a_run_of_any_whitespace_in_a_line_becomes_one_space(space):
    assert normalise_line(f"{space}Rates{space}{space}rose \u00ad{space}2%{space}") == "Rates rose 2%"


def test_invisible_characters_go_before_composition():
    assert normalise_line("Cafe\u200b\u0301 opens") == "Caf\u00e9 opens"
