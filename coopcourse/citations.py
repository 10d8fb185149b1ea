"""Find the quotations in a lesson's Markdown and the source each is tagged with.

The course's convention (see CONTRIBUTING.md):

* inline: ``“exact words” [FT]`` — curly double quotes, then a tag;
* block: lines starting ``> ``, closed by an attribution line
  ``> — Ed Balls, quoted in the FT report [FT]``;
* tags: ``[FT]`` the FT report, ``[LFF]`` the Left Foot Forward post or
  ``[LFF #15]`` its comment 15, and ``[R1]``, ``[R2]`` ... for a published
  source listed under the lesson's References;
* `` … `` (an ellipsis between spaces) marks words left out of a quotation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from coopcourse import seeds

SEED_TAGS = {"FT": "ft", "LFF": "lff"}
_TAG = r"\[(FT|LFF(?: #\d+)?|R\d+)\]"
_INLINE = re.compile(r"\u201c([^\u201c\u201d]+)\u201d\s*(?:" + _TAG + ")?")
ATTRIBUTION_LINE = re.compile(r"^>\s*[\u2014\u2013-]{1,2}\s*(.+?)\s*" + _TAG + r"\s*$")
_REFERENCE = re.compile(r"^\s*[-*]\s*\[(R\d+)\]\s+\S", re.MULTILINE)
ELLIPSIS = re.compile(r"\s*(?:\u2026|\.\.\.|\[\u2026\]|\[\.\.\.\])\s*")
# Short quotations (a phrase such as a label) need not carry a tag.
MIN_WORDS_NEEDING_TAG = 4


@dataclass(frozen=True)
class Quotation:
    text: str
    tag: str | None  # e.g. "FT", "LFF #15", "R2", or None when untagged
    block: bool = False

    @property
    def seed(self) -> str | None:
        """The seed key ("ft" or "lff") for a seed tag, else None."""
        if self.tag is None:
            return None
        return SEED_TAGS.get(self.tag.split()[0])

    @property
    def comment(self) -> int | None:
        """The blog comment number of an ``[LFF #n]`` tag, else None."""
        if self.tag is None or "#" not in self.tag:
            return None
        return int(self.tag.split("#")[1])

    def missing_fragments(self) -> list[str]:
        """The quoted runs of words not found verbatim in the tagged seed (or comment)."""
        if self.seed is None:
            raise ValueError(f"[{self.tag}] is not a seed tag; only seed quotations can be checked")
        missing = []
        for fragment in self.fragments:
            words = fragment.rstrip(".,;:")  # closing punctuation may sit inside the quote marks
            if self.comment is not None:
                found = seeds.normalise(words) in seeds.normalise(seeds.comment(self.comment).text)
            else:
                found = seeds.find_quote(words, self.seed) is not None
            if not found:
                missing.append(fragment)
        return missing

    @property
    def fragments(self) -> list[str]:
        """The quoted runs of words between elisions."""
        return [part for part in ELLIPSIS.split(self.text) if part.strip()]

    @property
    def words(self) -> int:
        return len(self.text.split())


def _block_quotations(markdown: str) -> tuple[list[Quotation], str]:
    """Tagged block quotes, and the Markdown with them removed."""
    quotations, remaining, pending = [], [], []
    for line in markdown.splitlines():
        if line.startswith(">"):
            attribution = ATTRIBUTION_LINE.match(line)
            if attribution:
                body = " ".join(part.strip() for part in pending).strip()
                body = body.strip("\u201c\u201d\"")
                quotations.append(Quotation(body, attribution.group(2), block=True))
                pending = []
            else:
                pending.append(line.lstrip(">").strip())
            continue
        remaining.extend(f"> {part}" for part in pending)  # an untagged block quote
        pending = []
        remaining.append(line)
    remaining.extend(f"> {part}" for part in pending)
    return quotations, "\n".join(remaining)


def extract_quotations(markdown: str) -> list[Quotation]:
    """Every quotation in ``markdown``: tagged block quotes and inline quotes."""
    quotations, rest = _block_quotations(markdown)
    rest = re.sub(r"^>\s?", "", rest, flags=re.MULTILINE)
    for match in _INLINE.finditer(rest):
        quotations.append(Quotation(match.group(1).strip(), match.group(2)))
    return quotations


def reference_keys(markdown: str) -> set[str]:
    """The ``[Rn]`` keys defined as list items (the References section)."""
    return set(_REFERENCE.findall(markdown))
