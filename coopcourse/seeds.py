"""Typed access to the course's two seed documents and a quote lookup.

The texts are the files in the top-level ``seeds/`` folder, shipped inside the
package as ``coopcourse.seed_texts`` (see pyproject.toml), so they load the
same way from a clone, an editable install or a plain ``pip install .``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

# Curly quotes and apostrophes are read as their straight forms, so a lesson
# may quote with either.
_QUOTE_EQUIVALENTS = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u2033": '"',
        "\u00a0": " ",
    }
)


@dataclass(frozen=True)
class SeedDocument:
    """One seed document with the facts a citation needs."""

    key: str
    filename: str
    title: str
    publisher: str
    author: str
    date: str
    short_name: str
    text: str

    @property
    def paragraphs(self) -> list[str]:
        """Non-empty blocks of text, in order."""
        return [block.strip() for block in re.split(r"\n\s*\n", self.text) if block.strip()]


@dataclass(frozen=True)
class Comment:
    """One numbered response in the Left Foot Forward comment thread."""

    number: int
    author: str
    text: str

    @property
    def kind(self) -> str:
        """``"comment"`` (a reader's argument), ``"tweet"`` or ``"pingback"`` (a link)."""
        return _THREAD_KINDS.get(self.number, "comment")

    @property
    def is_argument(self) -> bool:
        """True for the comments that argue a point rather than share a link."""
        return self.kind == "comment"


@dataclass(frozen=True, repr=False)
class QuoteLocation:
    """Where a quoted passage stands in a seed."""

    seed: str
    paragraph: int  # 1-based, over SeedDocument.paragraphs
    offset: int  # character offset of the match in the normalised paragraph

    def __str__(self) -> str:
        where = f"paragraph {self.paragraph}" if self.paragraph else "across paragraphs"
        return f"{SEED_KEYS[self.seed]}, {where}"

    def __repr__(self) -> str:
        return f"Found in the {self}, at character {self.offset + 1}"


_METADATA = {
    "ft": dict(
        filename="ft_report_2010.txt",
        title="Tories relaunch plan for public-sector co-operatives (report, Q&A and FT verdict)",
        publisher="Financial Times",
        author="Not named in the seed copy (Financial Times staff report)",
        date="February 2010 (reports George Osborne's remarks of Monday 15 February 2010)",
        short_name="FT report",
    ),
    "lff": dict(
        filename="lff_progressive_left_2010.txt",
        title="The progressive Left should support the Tory co-op policy",
        publisher="Left Foot Forward",
        author="Thomas Haynes (Conservative Co-operative Movement), guest writer",
        date="15 February 2010",
        short_name="Left Foot Forward post",
    ),
}

#: Seed keys and the short names lessons use when citing them.
SEED_KEYS = {key: meta["short_name"] for key, meta in _METADATA.items()}


def normalise(text: str) -> str:
    """Fold curly quotes and apostrophes to straight ones and collapse whitespace."""
    return re.sub(r"\s+", " ", text.translate(_QUOTE_EQUIVALENTS)).strip()


@cache
def load(key: str) -> SeedDocument:
    """Load a seed by key: ``"ft"`` (the FT report) or ``"lff"`` (the blog post)."""
    try:
        meta = _METADATA[key.lower()]
    except KeyError:
        raise KeyError(f"Unknown seed {key!r}; choose one of {sorted(_METADATA)}") from None
    try:
        text = _seed_path(meta["filename"]).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise FileNotFoundError(
            f"Seed file {meta['filename']} is missing from the package; "
            "reinstall with `pip install -r requirements.txt`."
        ) from None
    return SeedDocument(key=key.lower(), text=text, **meta)


def _seed_path(filename: str):
    """The seed file: packaged copy when installed, else the clone's seeds/ folder."""
    try:
        packaged = resources.files("coopcourse.seed_texts").joinpath(filename)
        if packaged.is_file():
            return packaged
    except ModuleNotFoundError:  # editable install: the mapped folder is not importable
        pass
    return Path(__file__).resolve().parent.parent / "seeds" / filename


def all_seeds() -> list[SeedDocument]:
    """Both seeds, FT report first."""
    return [load(key) for key in _METADATA]


# The thread is fixed, so its retweets and pingbacks are listed by number
# (read off the seed) rather than guessed from their wording.
_THREAD_KINDS = {
    **dict.fromkeys([1, 2, 3, 4, 8, 16, 17, 18, 19], "tweet"),
    **dict.fromkeys([5, 9, 10, 13, 14, 20], "pingback"),
}

_COMMENT_START = re.compile(r"^ {2}(\d+)\. (.+)$", re.MULTILINE)


def blog_post_body() -> str:
    """The Left Foot Forward article itself, without the appeal and comment thread."""
    text = load("lff").text
    return text.split("As you\u2019re here,")[0].strip()


@cache
def blog_comments() -> tuple[Comment, ...]:
    """The 20 numbered responses under the blog post, with their authors."""
    text = load("lff").text
    thread = text.split("Responses to", 1)[1]
    thread = thread.split("Leave a Reply", 1)[0]
    matches = list(_COMMENT_START.finditer(thread))
    comments = []
    for match, following in zip(matches, [*matches[1:], None], strict=True):
        end = following.start() if following else len(thread)
        body = thread[match.end() : end]
        body = "\n\n".join(
            re.sub(r"\s+", " ", part).strip()
            for part in re.split(r"\n\s*\n", body)
            if part.strip()
        )
        comments.append(Comment(int(match.group(1)), match.group(2).strip(), body))
    return tuple(comments)


def comment(number: int) -> Comment:
    """The blog comment with this number (1-20)."""
    for item in blog_comments():
        if item.number == number:
            return item
    raise KeyError(f"The blog thread has no comment number {number}")


def find_quote(passage: str, seed: str | None = None) -> QuoteLocation | None:
    """Find where ``passage`` stands, verbatim up to quote style and spacing.

    Searches one seed if ``seed`` is given, else both. Returns None if absent.
    """
    wanted = normalise(passage)
    if not wanted:
        raise ValueError("Cannot look up an empty quotation")
    for document in [load(seed)] if seed else all_seeds():
        for number, paragraph in enumerate(document.paragraphs, start=1):
            offset = normalise(paragraph).find(wanted)
            if offset >= 0:
                return QuoteLocation(document.key, number, offset)
        # A quote may span a paragraph break; fall back to the whole text.
        offset = normalise(document.text).find(wanted)
        if offset >= 0:
            return QuoteLocation(document.key, 0, offset)
    return None
