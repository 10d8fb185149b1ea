"""The seed texts and the quote lookup."""

from __future__ import annotations

import hashlib

import pytest

from coopcourse import seeds

# sha256 of each document as received, and the name it was received under.
AS_RECEIVED = {
    "ft_report_2010.txt": (
        "7cd42d98e903caae36fb36a0900445f6aaeb77af9ca0aad71fad60af0b8158cd",
        "000_a3ded78c914d3470.txt",
    ),
    "lff_progressive_left_2010.txt": (
        "76812e4c7afa44ac5ec1b67aa38fa76803d28873a848fc3072ee4aea683d92a6",
        "004_1a2b5a2570b63190.txt",
    ),
}


def _sha256(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_seed_files_are_unchanged_from_the_documents_as_received(course_root):
    for ours, (digest, _) in AS_RECEIVED.items():
        assert _sha256(course_root / "seeds" / ours) == digest, f"seeds/{ours} was changed"


def test_recorded_digests_match_the_originals_where_they_are_at_hand(course_root):
    """Where the folder the seeds came from sits beside the checkout (as in CI)."""
    shared = course_root.parent / "shared" / "seeds"
    if not shared.is_dir():
        pytest.skip(f"the original seed folder {shared} is not beside this checkout")
    for ours, (digest, original) in AS_RECEIVED.items():
        assert _sha256(shared / original) == digest, f"{original} is not the seed {ours}"


def test_seed_readme_describes_both_documents(course_root):
    readme = (course_root / "seeds" / "README.md").read_text(encoding="utf-8")
    for document in seeds.all_seeds():
        assert document.filename in readme
        assert document.publisher in readme
    for field in ("Title", "Publisher", "Author", "Date", "Rights"):
        assert readme.count(f"**{field}:**") == 2


def test_blog_thread_has_twenty_numbered_responses_with_authors():
    comments = seeds.blog_comments()
    assert [c.number for c in comments] == list(range(1, 21))
    assert seeds.comment(15).author == "Roger"
    assert seeds.comment(15).text.startswith("Chris Dillow has an interesting")
    assert seeds.comment(7).author == "Alexander Craven"
    assert "generous public sector pension terms" in seeds.comment(7).text
    assert [c.number for c in comments if c.is_argument] == [6, 7, 11, 12, 15]


def test_unknown_comment_and_seed_are_clear_errors():
    with pytest.raises(KeyError, match="no comment number 21"):
        seeds.comment(21)
    with pytest.raises(KeyError, match="Unknown seed 'bbc'"):
        seeds.load("bbc")


def test_blog_post_body_stops_before_the_appeal_and_thread():
    body = seeds.blog_post_body()
    assert body.startswith("The progressive Left should support the Tory co-op policy")
    assert "Conservative Co-operative Movement" in body
    assert "chip in" not in body and "Responses to" not in body


def test_find_quote_treats_curly_and_straight_quotes_alike():
    curly = seeds.find_quote("The Tories don\u2019t get co-ops.")
    straight = seeds.find_quote("The Tories don't get co-ops.")
    assert curly == straight
    assert curly.seed == "ft" and curly.paragraph == 5
    assert str(curly) == "FT report, paragraph 5"


def test_find_quote_ignores_line_breaks_and_can_be_limited_to_one_seed():
    passage = "closed producer organisations\n with a   captive market"
    assert seeds.find_quote(passage, "lff").seed == "lff"
    assert seeds.find_quote(passage, "ft") is None


def test_find_quote_rejects_what_is_not_there():
    assert seeds.find_quote("The Tories love co-ops.") is None
    with pytest.raises(ValueError):
        seeds.find_quote("   ")
