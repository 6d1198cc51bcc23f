"""Decoding, chrome stripping and block splitting (`indexer.normalise`), checked by text.

Every expectation is written by hand from the input shown beside it (the fixture
`tests/fixtures/chrome/norfolk-peel-2017-efficiency.txt` for the section texts): what a
reader of the page would call the report's prose, without the site's chrome. The chrome lines
are the ones listed in the reference (§6f, §6i); the prose around them is invented.
"""

from __future__ import annotations

import re

import pytest

from indexer.build import parse_file
from indexer.errors import ReportError
from indexer.normalise import (
    Block,
    Normalised,
    decode,
    is_chrome,
    normalise,
    strip_chrome,
    to_blocks,
    unglue_link,
    utf16,
)
from tests.conftest import FIXTURES

CHROME_FIXTURE = FIXTURES / "chrome" / "norfolk-peel-2017-efficiency.txt"


def refused(reason: str) -> pytest.RaisesContext[ReportError]:
    """A `ReportError` whose reason is exactly `reason`."""
    return pytest.raises(ReportError, match=f"^{re.escape(reason)}$")


# --- sections of a page full of chrome: their text is the prose, and only the prose ---

def test_chrome_is_never_part_of_a_sections_text() -> None:
    result = parse_file(CHROME_FIXTURE)
    assert result.error == "" and result.report is not None
    got = [(s.question_number, s.grade, s.text.split("\n\n")) for s in result.report.sections]
    # A section's text is its paragraphs, each separated from the next by a blank line.
    assert got == [
        (None, "Good", [
            "Norfolk Constabulary has been assessed as good in the way it keeps people safe and "
            "reduces crime. The constabulary keeps a careful watch on the calls it receives from "
            "rural villages and coastal towns.",
            "Its officers share vans and boats with the neighbouring county, which saves money "
            "on fuel and repairs."]),
        (1, "Good", [
            "Norfolk Constabulary is good at understanding demand. Analysts count the calls that "
            "never turn into a crime report, such as lost dogs and noisy neighbours.",
            "Contact with the public after dark is mapped street by street, and the map is "
            "shared with the county council every quarter.",
            "The control room keeps a log of every call that was passed to another agency, with "
            "the reason for the transfer."]),
        (2, "Good", [
            "Norfolk Constabulary is good at using its resources to manage demand. Shift "
            "patterns follow the tide tables in the coastal stations.",
            "Leaner rotas on quiet weekday mornings free two officers for school visits."]),
        (3, "Good", [
            "Norfolk Constabulary is good at planning for demand in the future. A ten-year "
            "estate plan closes two old stations and opens one shared hub."]),
    ]
    assert result.encoding == "utf-8" and result.warnings == []


# --- decoding ---

def test_utf8_with_and_without_its_byte_order_mark() -> None:
    assert decode("Grade: Good — the force’s plan".encode()) == (
        "Grade: Good — the force’s plan", "utf-8", [])
    assert decode(b"\xef\xbb\xbfLast updated 09/11/2017") == (
        "Last updated 09/11/2017", "utf-8-sig", [])
    # After a UTF-8 mark, a stray byte becomes one replacement character, not a refusal.
    assert decode(b"\xef\xbb\xbfbad \xff byte") == ("bad \ufffd byte", "utf-8-sig", [])


def test_cp1252_is_the_fallback_with_a_warning_naming_the_byte() -> None:
    data = b"The force\x92s \x93plan\x94 costs \xa3300"
    assert decode(data) == (
        "The force’s “plan” costs £300", "cp1252",
        ["not valid UTF-8 (byte 9); decoded as cp1252"])


def test_cp1252_gives_up_beyond_eight_undecodable_bytes_or_one_in_a_hundred() -> None:
    # 0x81 has no character in cp1252: each one becomes a replacement character.
    text, encoding, warnings = decode(b"ok " + b"\x81" * 8)
    assert (text, encoding) == ("ok " + "\ufffd" * 8, "cp1252")
    assert warnings == ["not valid UTF-8 (byte 3); decoded as cp1252"]
    with refused("not text in UTF-8 or cp1252 (undecodable bytes)"):
        decode(b"ok " + b"\x81" * 9)
    # In 1,000 characters, 10 are allowed (one in a hundred) and 11 are not.
    text, encoding, _ = decode(b"a" * 990 + b"\x81" * 10)
    assert encoding == "cp1252" and text.count("\ufffd") == 10 and len(text) == 1000
    with refused("not text in UTF-8 or cp1252 (undecodable bytes)"):
        decode(b"a" * 989 + b"\x81" * 11)


@pytest.mark.parametrize("data", [b"", b" \r\n\t ", b"\n\n"])
def test_empty_files_are_refused(data: bytes) -> None:
    with refused("empty file"):
        decode(data)


def test_nul_bytes_are_refused_as_binary() -> None:
    with refused("binary data (NUL bytes), not a text report"):
        decode(b"Kent PEEL 2017\x00\x01\x02")


def test_utf16_in_both_byte_orders() -> None:
    text = "Kent — ’good’\nLast updated"
    assert decode(b"\xfe\xff" + text.encode("utf-16-be")) == (text, "utf-16-be", [])
    assert decode(b"\xff\xfe" + text.encode("utf-16-le")) == (text, "utf-16-le", [])
    assert utf16(b"\xfe\xff" + text.encode("utf-16-be")) == text
    assert utf16(b"plain text") is None
    assert utf16(b"\xff") is None
    with refused("empty file"):
        decode(b"\xfe\xff" + " \n ".encode("utf-16-be"))
    # "ok" is 4 bytes after the 2-byte mark; the lone surrogate starts at byte 6.
    with refused("not valid UTF-16-LE despite its byte-order mark (byte 6)"):
        decode(b"\xff\xfe" + "ok".encode("utf-16-le") + b"\x00\xd8")
    with refused("binary data (NUL characters), not a text report"):
        decode(b"\xfe\xff" + "a\x00b".encode("utf-16-be"))


# --- which lines are chrome ---

# Each line of the site's chrome, as the reference lists it (§6d, §6f, §6i).
CHROME = [
    "Skip to content",
    "English",
    "Cymraeg",
    "English Cymraeg",
    "Cymraeg English",
    "Promoting improvements in policing and fire & rescue services to make everyone safer",
    "Promoting improvements",
    "in policing and fire & rescue",
    "services to make everyone safer",
    "Os hoffech chi ddarllen hwn trwy'r Gymraeg (PDF document)",
    "Contact HMICFRS",
    "View the five questions for effectiveness",
    "Get the report",
    "Get the free PDF Reader from Adobe (external link)",
    "Print this document",
    "Back to Glossary",
    "See last year's assessment of the force's effectiveness.",
    "Download the full report",
    "Loading graph...",
    "An accessible grades table is also available",
    "Group by region",
    "Off On",
    "Accessible Table",
    # Patterns
    "Contact Wendy Williams",
    "Contact Zoë Billingham (e-mail address)",
    "Contact Anna Maria De La Cruz",
    "Detailed findings for question 4",
    "PEEL assessments are updated throughout the year as inspections are published.",
    "HMICFRS is consulting on our proposed policing and fire & rescue services inspection "
    "programmes",
    "HMIC is consulting on its proposed inspection programme for 2017/18",
    "HMICFRS is consulting on our proposed inspection programme",
    "Please give us your views on these programmes by 5pm on Monday 19 February 2018.",
    "Give us your views by 5pm on Friday 24 February 2017.",
    "Proposed policing inspection programme and framework 2025–29: For consultation",
    "Proposed fire and rescue services inspection programme and framework 2025–27: For "
    "consultation",
    "Proposed fire & rescue services inspection programme and framework 2025–27: For "
    "consultation",
    "We would like your views on whether this programme covers the right areas of FRSs' "
    "activities.",
]


@pytest.mark.parametrize("line", CHROME)
def test_each_chrome_line_is_chrome(line: str) -> None:
    assert is_chrome(line)


@pytest.mark.parametrize("line", [
    "  SKIP   to CONTENT ",  # case and spacing do not matter
    "See last year’s assessment of the force’s effectiveness.",  # curly apostrophes
    "Os hoffech chi ddarllen hwn trwy’r Gymraeg (PDF document)",
    "  Detailed findings for question 12  ",
    "contact hmicfrs",
])
def test_chrome_is_recognised_whatever_its_case_spacing_and_apostrophes(line: str) -> None:
    assert is_chrome(line)


@pytest.mark.parametrize("line", [
    "English language classes are offered at the custody suite.",
    "Contact with victims was prompt in most of the cases we read.",
    "Contact neighbourhood teams through the local station",  # six words after "Contact"
    "Please give us your views on the new website",  # no deadline: not the banner
    "The report has detailed findings for question 4 and more.",
    "Print this document and the annex",
    "Other inspections found similar problems in the county.",
])
def test_prose_near_the_chrome_is_not_chrome(line: str) -> None:
    assert not is_chrome(line)


# --- "Read more about …" links ---

def test_unglue_link() -> None:
    assert unglue_link("Readers can read more about it in the annex.") is None
    assert unglue_link("Read more about Avon and Somerset 2016") == ""
    assert unglue_link("Read more about KentThis is HMICFRS's fifth PEEL assessment.") == (
        "This is HMICFRS's fifth PEEL assessment.")
    assert unglue_link("Read more about Kent (2016)Kent Police is good at keeping people "
                       "safe.  ") == "Kent Police is good at keeping people safe."
    # The paragraph needs 20 characters after its first word to count as glued.
    assert unglue_link("Read more about KentThis is twenty chars ok.") == (
        "This is twenty chars ok.")
    assert unglue_link("Read more about KentThis is nineteen chars") == ""


# --- blocks ---

def test_to_blocks_numbers_lines_marks_items_and_cleans_text() -> None:
    text = ("Title\r\n\r\n• First point\r– Second point\n-   Third\n-minus sign stays\n"
            "–dash stays\n* star item\n  ●  round\n▪ square\n◦ white\n‣ triangle\n"
            "· middle dot\n∙ bullet operator\nplain\u00a0line  with   spaces\n\n")
    assert to_blocks(text) == [
        Block("line", "Title", 1),
        Block("item", "First point", 3),
        Block("item", "Second point", 4),
        Block("item", "Third", 5),
        Block("line", "-minus sign stays", 6),
        Block("line", "–dash stays", 7),
        Block("item", "star item", 8),
        Block("item", "round", 9),
        Block("item", "square", 10),
        Block("item", "white", 11),
        Block("item", "triangle", 12),
        Block("item", "middle dot", 13),
        Block("item", "bullet operator", 14),
        Block("line", "plain line with spaces", 15),
    ]


def test_to_blocks_drops_chrome_items_too() -> None:
    assert to_blocks("• Download the full report\n• Kept point") == [
        Block("item", "Kept point", 2)]


def test_cells_of_a_row() -> None:
    assert Block("row", "Grade | Good |  | x", 1).cells == ["Grade", "Good", "", "x"]
    assert Block("line", "Grade | Good", 1).cells == ["Grade | Good"]


def test_a_banner_goes_with_its_message_and_nothing_more() -> None:
    blocks = [
        Block("heading", "Planned  WEBSITE downtime", 1, 2),
        Block("para", "The site is down on Sunday morning.", 2),
        Block("para", "Kept paragraph one.", 3),
        Block("para", "Kept paragraph two.", 4),
    ]
    assert strip_chrome(blocks) == blocks[2:]


def test_a_glued_link_keeps_its_paragraph_kind_line_and_level() -> None:
    blocks = [
        Block("heading", "Read more about KentThis is HMICFRS's fifth PEEL assessment.", 7, 3),
        Block("para", "Read more about Kent", 8),
        Block("para", "Read more about Kent 2016", 9),
    ]
    assert strip_chrome(blocks) == [
        Block("heading", "This is HMICFRS's fifth PEEL assessment.", 7, 3)]


def test_repeated_boilerplate_goes_but_similar_prose_stays() -> None:
    blocks = [
        Block("line", "Other Inspections", 1),
        Block("line", "How well has the force performed in our other inspections?", 2),
        Block("line", "In addition to the three core PEEL pillars, we inspect other work.", 3),
        Block("line", "in addition to the three core PEEL pillars, lower case.", 4),
        Block("line", "Other inspections found similar problems.", 5),
        Block("line", "We also note that in addition to the three core PEEL pillars.", 6),
    ]
    assert strip_chrome(blocks) == blocks[4:]


def test_where_the_report_link_stood_is_recorded() -> None:
    markers: dict[str, list[int]] = {}
    blocks = [
        Block("line", "Durham news", 1),
        Block("line", "Get the report", 2),
        Block("line", "Skip to content", 3),
        Block("line", "PEEL 2021/22 – An inspection of Durham Constabulary", 4),
        Block("line", "GET  the report", 5),
    ]
    assert strip_chrome(blocks, markers) == [blocks[0], blocks[3]]
    assert markers == {"get the report": [1, 2]}
    assert strip_chrome(blocks) == [blocks[0], blocks[3]]  # no markers asked for


def test_normalise_puts_it_together() -> None:
    data = b"Kent PEEL 2017\r\n\r\nGet the report\r\nKent Police\x92s news.\r\n"
    assert normalise(data) == Normalised(
        [Block("line", "Kent PEEL 2017", 1), Block("line", "Kent Police’s news.", 4)],
        "cp1252", ["not valid UTF-8 (byte 45); decoded as cp1252"],
        markers={"get the report": [1]})
