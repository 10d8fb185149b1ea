"""The course glossary: load and check ``coopcourse/data/glossary.yaml``, render the page.

The YAML is the single source; ``lessons/glossary.md`` is generated from it::

    python -m coopcourse.glossary            # rewrite lessons/glossary.md
    python -m coopcourse.glossary --check    # exit 1 if the page is out of date

Each term has a ``slug`` (the page anchor that lessons link to as
``glossary.md#slug``), ``matches`` (the regular expressions that count as a use
of the term in a lesson's prose), a ``definition``, ``see_also`` (the notebooks
in ``lessons/`` that teach it) and ``sources``. Every problem is reported as a
:class:`GlossaryError` naming the term at fault.
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import yaml

from coopcourse.data import DataFileError, required_text

COURSE_ROOT = Path(__file__).resolve().parent.parent
PAGE = COURSE_ROOT / "lessons" / "glossary.md"
DATA_FILE = "glossary.yaml"

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
NOTEBOOK_NAME = re.compile(r"^[A-Za-z0-9_.-]+\.ipynb$")
# "Author or publisher, *Title*, ... year": the course's reference format.
WELL_FORMED_SOURCE = re.compile(r"^[^*]*\w[^*]*,\s+\*[^*]+\*.*\b(1[89]\d\d|20\d\d)\b")
# A full stop, question or exclamation mark, perhaps closing a quotation, then a new sentence.
_SENTENCE_BREAK = re.compile(r"[.!?][\"'\u201d\u2019)]?\s+[A-Z]")
_FIELDS = {"term", "slug", "matches", "definition", "see_also", "sources"}
_MIN_DEFINITION_WORDS = 25


class GlossaryError(DataFileError):
    """A glossary file that cannot be used, naming the term at fault."""

    item_kind = "term"


@dataclass(frozen=True)
class Term:
    term: str
    slug: str
    matches: tuple[str, ...]
    definition: str
    see_also: tuple[str, ...]
    sources: tuple[str, ...]

    @property
    def pattern(self) -> re.Pattern:
        """One case-insensitive pattern for every way the term is used."""
        return re.compile("|".join(self.matches), re.IGNORECASE)


def _text(entry: dict, field: str, name: str | None, where: str) -> str:
    return required_text(entry, field, name, where, GlossaryError)


def _string_list(entry: dict, field: str, name: str, where: str) -> tuple[str, ...]:
    value = entry.get(field)
    if not isinstance(value, list) or not value:
        raise GlossaryError(where, f"'{field}' must be a non-empty list", name)
    if not all(isinstance(item, str) and item.strip() for item in value):
        raise GlossaryError(where, f"every item of '{field}' must be a non-empty string", name)
    return tuple(" ".join(item.split()) for item in value)


def _parse_term(entry, index: int, where: str) -> Term:
    if not isinstance(entry, dict):
        raise GlossaryError(where, f"entry {index + 1} must be a mapping with 'term', 'slug', ...")
    name = entry.get("term") if isinstance(entry.get("term"), str) else f"entry {index + 1}"
    unknown = set(entry) - _FIELDS
    if unknown:
        raise GlossaryError(where, f"unknown field(s) {sorted(unknown)}", name)
    name = _text(entry, "term", name, where)
    slug = _text(entry, "slug", name, where)
    if not SLUG.match(slug):
        raise GlossaryError(where, f"slug {slug!r} must be lower-case letters, digits and single "
                            "hyphens (it is a URL anchor)", name)
    matches = _string_list(entry, "matches", name, where)
    for pattern in matches:
        try:
            re.compile(pattern, re.IGNORECASE)
        except re.error as error:
            raise GlossaryError(where, f"match pattern {pattern!r} does not compile: {error}",
                                name) from error
    definition = _text(entry, "definition", name, where)
    if len(definition.split()) < _MIN_DEFINITION_WORDS:
        raise GlossaryError(where, f"the definition is too short to explain the term "
                            f"(at least {_MIN_DEFINITION_WORDS} words)", name)
    sentences = len(_SENTENCE_BREAK.findall(definition)) + 1
    if not 2 <= sentences <= 4:
        raise GlossaryError(where, f"the definition has {sentences} sentences; write two to four",
                            name)
    see_also = _string_list(entry, "see_also", name, where)
    for notebook in see_also:
        if not NOTEBOOK_NAME.match(notebook):
            raise GlossaryError(where, f"see_also item {notebook!r} must be a notebook file name "
                                "in lessons/, e.g. 03_union_objections.ipynb", name)
    sources = _string_list(entry, "sources", name, where)
    for source in sources:
        if not WELL_FORMED_SOURCE.match(source):
            raise GlossaryError(where, f"source {source!r} needs the form "
                                "'Author or publisher, *Title*, ... year'", name)
    return Term(name, slug, matches, definition, see_also, sources)


def parse_glossary(text: str, where: str = DATA_FILE) -> list[Term]:
    """Parse and check glossary YAML; raise :class:`GlossaryError` on any problem."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise GlossaryError(where, f"is not valid YAML: {error}") from error
    if not isinstance(data, dict) or not isinstance(data.get("terms"), list) or not data["terms"]:
        raise GlossaryError(where, "must have a non-empty list under 'terms'")
    terms = [_parse_term(entry, i, where) for i, entry in enumerate(data["terms"])]
    for field in ("slug", "term"):
        seen: dict[str, str] = {}
        for term in terms:
            key = getattr(term, field).lower()
            if key in seen:
                raise GlossaryError(where, f"{field} {getattr(term, field)!r} is already used by "
                                    f"{seen[key]!r}", term.term)
            seen[key] = term.term
    return terms


def load_glossary() -> list[Term]:
    """The course glossary, checked."""
    text = resources.files("coopcourse.data").joinpath(DATA_FILE).read_text(encoding="utf-8")
    return parse_glossary(text)


# ---- the page ----------------------------------------------------------------------------


def notebook_title(name: str) -> str:
    """A link label for a notebook in lessons/, e.g. "Lesson 3: Union objections"."""
    stem = name.removesuffix(".ipynb")
    if stem == "timeline":
        return "Timeline, 2006–2015"
    match = re.match(r"^(\d\d)_(.+)$", stem)
    if not match:
        return stem.replace("_", " ").capitalize()
    number, words = match.groups()
    return f"Lesson {int(number)}: {words.replace('_', ' ').capitalize()}"


def _lesson_order(name: str) -> tuple[bool, str]:
    """Numbered lessons first, in order, then other notebooks such as the timeline."""
    return (not name[:2].isdigit(), name)


INTRO = """\
# Glossary

The terms this course uses, defined in its own words. Lessons link a term to its entry
here the first time they use it. Each entry says which notebooks teach the term and the
sources the definition rests on; where the course supplies a descriptive title for a work
whose exact title it does not know, the title is in [square brackets].

This page is generated from `coopcourse/data/glossary.yaml`: edit that file, then run
`python -m coopcourse.glossary`.

Back to the [course overview](00_start_here.ipynb) or the [timeline](timeline.ipynb).
"""


def render_markdown(terms: list[Term] | None = None) -> str:
    """The glossary page as Markdown, with an explicit anchor for every term."""
    terms = load_glossary() if terms is None else terms
    parts = [INTRO]
    parts.append("**Terms:** " + " · ".join(f"[{t.term}](#{t.slug})" for t in terms) + "\n")
    for term in terms:
        taught = ", ".join(f"[{notebook_title(name)}]({name})"
                           for name in sorted(term.see_also, key=_lesson_order))
        sources = "\n".join(f"- {source}" for source in term.sources)
        parts.append(
            f'<a id="{term.slug}"></a>\n\n'
            f"### {term.term}\n\n"
            f"{term.definition}\n\n"
            f"**Taught in:** {taught}\n\n"
            f"**Sources:**\n\n{sources}\n"
        )
    return "\n".join(parts)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m coopcourse.glossary",
                                     description="Regenerate lessons/glossary.md from the YAML.")
    parser.add_argument("--output", type=Path, default=PAGE, help="where to write the page")
    parser.add_argument("--check", action="store_true",
                        help="do not write; exit 1 if the page differs from the rendering")
    args = parser.parse_args(argv)
    page = render_markdown()
    if not args.output.parent.is_dir():
        print(f"No folder {args.output.parent}: run this in a clone of the course, "
              "or pass --output", file=sys.stderr)
        return 2
    if args.check:
        current = args.output.read_text(encoding="utf-8") if args.output.exists() else ""
        if current != page:
            print(f"{args.output} is out of date: run python -m coopcourse.glossary",
                  file=sys.stderr)
            return 1
        return 0
    args.output.write_text(page, encoding="utf-8")
    print(f"Wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
