"""The glossary: its data is complete and checked, and the committed page is its rendering."""

from __future__ import annotations

import re

import pytest

from coopcourse import glossary
from tests.lesson_files import COURSE_ROOT

TERMS = glossary.load_glossary()
IDS = [term.slug for term in TERMS]
PAGE = COURSE_ROOT / "lessons" / "glossary.md"

GOOD_ENTRY = """\
terms:
  - term: Spin-out
    slug: spin-out
    matches: ['\\bspin-outs?\\b']
    definition: >-
      A spin-out happens when a team of public employees leaves the public sector as a new
      organisation and goes on providing its service under a contract with the body it left.
      MyCSP is an example.
    see_also: [02_labour_response.ipynb]
    sources:
      - "Financial Times, *[Report]*, February 2010."
"""


def test_committed_page_is_the_rendering():
    assert PAGE.read_text(encoding="utf-8") == glossary.render_markdown(), (
        "lessons/glossary.md is out of date: run `python -m coopcourse.glossary`"
    )


def test_slugs_are_unique_and_url_safe():
    assert len(set(IDS)) == len(IDS)
    for slug in IDS:
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", slug), slug


def test_page_has_one_explicit_anchor_per_term_before_its_heading():
    page = PAGE.read_text(encoding="utf-8")
    for term in TERMS:
        anchor = f'<a id="{term.slug}"></a>'
        assert page.count(anchor) == 1, term.slug
        assert f"{anchor}\n\n### {term.term}\n" in page, term.slug


@pytest.mark.parametrize("term", TERMS, ids=IDS)
def test_every_term_has_a_definition_and_a_source(term):
    assert len(term.definition.split()) >= 25
    assert term.sources
    for source in term.sources:
        assert glossary.WELL_FORMED_SOURCE.match(source), source


@pytest.mark.parametrize("term", TERMS, ids=IDS)
def test_every_see_also_notebook_exists(term):
    for name in term.see_also:
        assert (COURSE_ROOT / "lessons" / name).is_file(), f"{term.term}: no lessons/{name}"


@pytest.mark.parametrize("term", TERMS, ids=IDS)
def test_match_patterns_compile_and_match_the_term_itself(term):
    for pattern in term.matches:
        re.compile(pattern, re.IGNORECASE)
    # "Mutual" is matched only as a noun ("a mutual", "mutuals"), so that the
    # adjective ("mutual aid") is not taken for the term: try "a <term>" too.
    assert term.pattern.search(term.term) or term.pattern.search(f"a {term.term}"), term.term


def test_a_well_formed_entry_parses():
    (term,) = glossary.parse_glossary(GOOD_ENTRY)
    assert term.slug == "spin-out"
    assert term.pattern.search("two spin-outs")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("slug: spin-out", "slug: Spin Out"), "slug 'Spin Out' must be lower-case"),
        (("['\\bspin-outs?\\b']", "['(spin']"), "does not compile"),
        (("      - \"Financial Times, *[Report]*, February 2010.\"", "      - Financial Times"),
         "needs the form"),
        (("    see_also: [02_labour_response.ipynb]\n", "    see_also: []\n"),
         "'see_also' must be a non-empty list"),
        (("    definition: >-", "    defnition: >-"), "unknown field(s) ['defnition']"),
        (("terms:", "terms: [oops"), "is not valid YAML"),
        (("with the body it left.", "with the body it left. It is new. It bids. It wins."),
         "the definition has 5 sentences"),
    ],
)
def test_bad_yaml_gives_a_clear_error_naming_the_term(change, message):
    old, new = change
    assert old in GOOD_ENTRY
    with pytest.raises(glossary.GlossaryError) as caught:
        glossary.parse_glossary(GOOD_ENTRY.replace(old, new))
    assert message in str(caught.value)
    if "YAML" not in message:
        assert "term 'Spin-out'" in str(caught.value)


def test_duplicate_slug_is_reported():
    duplicated = GOOD_ENTRY + GOOD_ENTRY.split("terms:\n", 1)[1].replace(
        "term: Spin-out", "term: Spin-off"
    )
    with pytest.raises(glossary.GlossaryError, match="slug 'spin-out' is already used"):
        glossary.parse_glossary(duplicated)


def test_check_mode_reports_an_out_of_date_page(tmp_path, capsys):
    page = tmp_path / "glossary.md"
    page.write_text("# Old glossary\n", encoding="utf-8")
    assert glossary.main(["--check", "--output", str(page)]) == 1
    assert glossary.main(["--output", str(page)]) == 0
    assert glossary.main(["--check", "--output", str(page)]) == 0


@pytest.mark.parametrize("term", TERMS, ids=IDS)
def test_taught_in_lists_exactly_the_notebooks_that_link_the_term(term):
    linking = sorted(
        path.name
        for path in (COURSE_ROOT / "lessons").glob("*.ipynb")
        if f"](glossary.md#{term.slug})" in path.read_text(encoding="utf-8")
    )
    assert sorted(term.see_also) == linking, (
        f"set see_also of {term.slug!r} in coopcourse/data/glossary.yaml to {linking}, "
        "then run `python -m coopcourse.glossary`"
    )
