"""Parser invariants over generated pillar pages: no text lost, no grade invented."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from indexer.model import FOUR_POINT_GRADES
from indexer.normalise import to_blocks
from indexer.parse import parse_pillar_page
from indexer.questions import QUESTIONS

KEYS = sorted(QUESTIONS)
WORDS = st.sampled_from(
    "the force is good at planning demand and requires improvement in how it uses "
    "resources outstanding work with partners inadequate records victims".split()
)
# Some paragraphs open with a stock judgment sentence, some with a near miss (a quote, another
# force): only the former may give a grade.
OPENINGS = st.sampled_from([
    "", "", "",
    "The force is good at planning demand. ",
    "The force requires improvement in how it uses resources. ",
    "The force is outstanding at working with partners. ",
    '"The force is good at planning," one officer said. ',
    "Essex Police is inadequate at keeping records. ",
])  # fmt: skip
PARAGRAPH = st.tuples(OPENINGS, st.lists(WORDS, min_size=4, max_size=30)).map(
    lambda t: t[0] + " ".join(t[1]).capitalize() + "."
)


@st.composite
def pillar_page(draw: st.DrawFn) -> tuple[str, list[str], list[str]]:
    cycle, pillar = draw(st.sampled_from(KEYS))
    lines = ["Skip to content", f"Kent PEEL {cycle}"]
    if draw(st.booleans()):
        lines.append(pillar)
    lines += ["Last updated 03/11/2016"]
    grades_written: list[str] = []
    if draw(st.booleans()):
        g = draw(st.sampled_from(FOUR_POINT_GRADES))
        lines.append(g)
        grades_written.append(g)
    prose: list[str] = draw(st.lists(PARAGRAPH, min_size=1, max_size=3))
    lines += prose
    if draw(st.booleans()):
        lines.append(f"Questions for {pillar}")
    numbered = draw(st.booleans())
    for q in draw(
        st.lists(st.sampled_from(QUESTIONS[(cycle, pillar)]), min_size=1, max_size=4, unique=True)
    ):
        if numbered:
            lines.append(str(q.number))
        lines.append(q.text)
        if draw(st.booleans()):
            g = draw(st.sampled_from(FOUR_POINT_GRADES))
            lines.append(g)
            grades_written.append(g)
        body = draw(st.lists(PARAGRAPH, min_size=1, max_size=3))
        lines += body
        prose += body
        if draw(st.booleans()):
            lines.append("Areas for improvement")
            items = draw(st.lists(PARAGRAPH, min_size=1, max_size=3))
            lines += [f"  • {item}" for item in items]
            prose += items
    return "\n\n".join(lines), prose, grades_written


@settings(max_examples=150, deadline=None)
@given(pillar_page())
def test_no_text_lost_and_no_grade_invented(page: tuple[str, list[str], list[str]]) -> None:
    text, prose, grades_written = page
    report = parse_pillar_page(to_blocks(text), "generated.txt")
    paragraphs = [p for s in report.sections for p in s.text.split("\n\n")]
    # Every paragraph of prose is in exactly one section, unchanged.
    for p in prose:
        assert paragraphs.count(p) >= 1, p
    assert len(paragraphs) == len(prose)
    # A stated grade (not Ungraded or blank) comes from a grade line of the page, or from a
    # paragraph that opens with a stock judgment sentence about the force.
    blocks = [s for s in report.sections if s.kind in ("summary", "question")]
    from_lines = [s.grade for s in blocks if s.grade_source == "line"]
    assert sorted(from_lines) == sorted(grades_written)
    for s in blocks:
        if s.grade_source == "sentence":
            assert s.text.startswith(_stock_openings(s.grade)), (s.grade, s.text[:60])
        else:
            assert s.grade_source in ("line", "framework", "implied", "")


def _stock_openings(grade: str) -> tuple[str, ...]:
    """The openings the generator's words can make that state `grade` (written out by hand)."""
    if grade == "Requires improvement":
        return ("The force requires improvement in", "The force requires improvement at")
    word = grade.lower()
    return (f"The force is {word} at", f"The force is {word} in")


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80))
def test_clean_line_drops_exactly_the_control_and_format_characters(line: str) -> None:
    import re
    import unicodedata

    from indexer.normalise import clean_line

    expected = unicodedata.normalize("NFC", line)
    for space in ("\u00a0", "\u2009", "\u202f"):
        expected = expected.replace(space, " ")
    expected = "".join(c for c in expected if c == "\t" or unicodedata.category(c)[0] != "C")
    assert clean_line(line) == re.sub(r"[ \t]+", " ", expected).strip()
