"""Every quotation a lesson attributes to a seed is in that seed, word for word.

Quotations of four or more words must carry a source tag, and every [Rn] tag
must be listed in the same lesson's References.
"""

from __future__ import annotations

import pytest

from coopcourse.citations import (
    MIN_WORDS_NEEDING_TAG,
    Quotation,
    extract_quotations,
    reference_keys,
)
from tests.lesson_files import LESSONS, markdown_of


def test_there_are_lessons_to_check():
    assert len(LESSONS) >= 2


@pytest.mark.parametrize("lesson", LESSONS, ids=[p.stem for p in LESSONS])
def test_seed_quotations_are_verbatim(lesson):
    quotations = extract_quotations(markdown_of(lesson))
    seed_quotes = [q for q in quotations if q.seed]
    if not lesson.name.startswith("00_"):  # the orientation lesson need not quote
        assert seed_quotes, f"{lesson.name} quotes neither seed"
    missing = [
        f"[{q.tag}] {fragment!r}"
        for q in seed_quotes
        for fragment in q.missing_fragments()
    ]
    assert not missing, f"{lesson.name}: not found in the tagged seed:\n" + "\n".join(missing)


@pytest.mark.parametrize("lesson", LESSONS, ids=[p.stem for p in LESSONS])
def test_long_quotations_carry_a_tag(lesson):
    untagged = [
        q.text for q in extract_quotations(markdown_of(lesson))
        if q.tag is None and q.words >= MIN_WORDS_NEEDING_TAG
    ]
    assert not untagged, f"{lesson.name}: quotations without a source tag: {untagged}"


@pytest.mark.parametrize("lesson", LESSONS, ids=[p.stem for p in LESSONS])
def test_reference_tags_are_listed_in_the_lesson(lesson):
    markdown = markdown_of(lesson)
    used = {q.tag for q in extract_quotations(markdown) if q.tag and q.tag.startswith("R")}
    listed = reference_keys(markdown)
    assert used <= listed, f"{lesson.name}: tags used but not in References: {used - listed}"


def test_the_checker_catches_a_misquotation():
    markdown = "Balls said “The Tories do get co-ops.” [FT]"
    (quote,) = extract_quotations(markdown)
    assert quote.missing_fragments() == ["The Tories do get co-ops."]


def test_the_checker_catches_a_quote_from_the_wrong_comment():
    markdown = "“closed producer organisations with a captive market” [LFF #12]"
    (quote,) = extract_quotations(markdown)
    assert quote.missing_fragments() == [quote.text]
    assert Quotation(quote.text, "LFF #15").missing_fragments() == []


def test_only_seed_quotations_can_be_checked():
    with pytest.raises(ValueError, match="not a seed tag"):
        Quotation("words", "R1").missing_fragments()
