"""Mechanical facts about a written answer, as the prompts define them.

Graders see these above each written answer in formgrader (see
:func:`coopcourse.grading.pipeline.assemble.rubric_cell`), and the model-answer tests use
the same rules:

* words are whitespace-separated words with a letter or digit, quotations
  included, source tags such as ``[FT]``, ``[LFF #15]`` or ``[R1]`` not counted;
* straight double quotation marks count as curly ones;
* a quotation tagged with a seed must be verbatim in that seed (up to quote
  style, spacing and `` … `` cuts); one tagged ``[Rn]`` cites a published source
  the grader checks by hand; one of four words or more needs a tag.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from coopcourse import seeds
from coopcourse.citations import MIN_WORDS_NEEDING_TAG, extract_quotations

SOURCE_TAG = re.compile(r"\[(?:FT|LFF(?: #\d+)?|R\d+)\]")
# Characters that look like a space but are not whitespace to Python (Braille and
# Hangul fillers), and invisible ones; a word count must not be fooled by them.
BLANK_LOOKING = "\u2800\u3164\uffa0\u115f\u1160"
INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u180e"
_AS_SPACE = str.maketrans({char: " " for char in BLANK_LOOKING})


def word_count(text: str) -> int:
    """Words as the prompts count them: source tags do not count, quotations do."""
    text = SOURCE_TAG.sub(" ", text.translate(_AS_SPACE))
    return len([word for word in text.split() if any(c.isalnum() for c in word)])


def odd_characters(text: str) -> int:
    """How many blank-looking or invisible characters ``text`` holds."""
    return sum(1 for char in text if char in BLANK_LOOKING or char in INVISIBLE)


def curly_quotes(text: str) -> str:
    """Straight double quotation marks read as curly ones, paired within each line."""
    lines = []
    for line in text.split("\n"):
        parts = line.split('"')
        rebuilt = parts[0]
        for index, part in enumerate(parts[1:]):
            rebuilt += ("\u201c" if index % 2 == 0 else "\u201d") + part
        lines.append(rebuilt)
    return "\n".join(lines)


@dataclass(frozen=True)
class QuotationFinding:
    text: str
    tag: str | None
    verdict: str  # verbatim, not-verbatim, untagged, published-source, short-untagged
    pieces: int = 1  # runs of words joined by " … "
    scattered: bool = False  # the pieces are not in order within one paragraph


def _scattered(quotation) -> bool:
    """Whether a cut quotation's pieces come from different places in its seed: words
    stitched from here and there can be "verbatim" piece by piece yet say what the
    source never said."""
    fragments = [fragment.rstrip(".,;:") for fragment in quotation.fragments]
    if quotation.comment is not None:
        text, offset = seeds.normalise(seeds.comment(quotation.comment).text), -1
        for fragment in fragments:
            offset = text.find(seeds.normalise(fragment), offset + 1)
            if offset < 0:
                return True
        return False
    for paragraph in seeds.load(quotation.seed).paragraphs:
        text, offset = seeds.normalise(paragraph), -1
        for fragment in fragments:
            offset = text.find(seeds.normalise(fragment), offset + 1)
            if offset < 0:
                break
        else:
            return False
    return True


def quotation_findings(answer: str) -> list[QuotationFinding]:
    """Each quotation in ``answer`` with what a check against the seeds found."""
    findings = []
    for quotation in extract_quotations(curly_quotes(answer)):
        if quotation.tag is None:
            verdict = "untagged" if quotation.words >= MIN_WORDS_NEEDING_TAG else "short-untagged"
        elif quotation.seed is None:
            verdict = "published-source"
        else:
            verdict = "not-verbatim" if quotation.missing_fragments() else "verbatim"
        pieces = len(quotation.fragments)
        scattered = verdict == "verbatim" and pieces > 1 and _scattered(quotation)
        findings.append(QuotationFinding(quotation.text, quotation.tag, verdict, pieces, scattered))
    return findings


def quotation_problems(answer: str) -> list[str]:
    """Quotations that are untagged or not verbatim in the seed they are tagged with."""
    problems = []
    for finding in quotation_findings(answer):
        if finding.verdict in ("untagged", "short-untagged"):
            problems.append(f"untagged: {finding.text!r}")
        elif finding.verdict == "not-verbatim":
            problems.append(f"not verbatim in [{finding.tag}]: {finding.text!r}")
    return problems


_VERDICTS = {
    "verbatim": "verbatim in the tagged seed",
    "not-verbatim": "**not verbatim** in the tagged seed",
    "untagged": "**no source tag**",
    "short-untagged": "no tag (a short phrase: a tag is not required)",
    "published-source": "a published source: check by hand against the references",
}


def grader_checks(answer: str, word_limit: int | None) -> list[str]:
    """Markdown lines for graders: the word count against the limit, and each quotation."""
    words = word_count(answer)
    if word_limit:
        over = words - word_limit
        status = f"{over} over the limit" if over > 0 else "within the limit"
        lines = [f"- Words: **{words}** (limit {word_limit}; {status})"]
    else:
        lines = [f"- Words: **{words}**"]
    odd = odd_characters(answer)
    if odd:
        lines.append(
            f"- **{odd} invisible or blank-looking characters** (not spaces to a keyboard): "
            "counted as spaces where they look like one; check the text"
        )
    findings = quotation_findings(answer)
    if not findings:
        lines.append("- Quotations: none found")
    for finding in findings:
        tag = f" [{finding.tag}]" if finding.tag else ""
        shown = finding.text if len(finding.text) <= 90 else finding.text[:87] + "…"
        # The learner's words, shown as text: no HTML or Markdown of theirs is rendered.
        shown = html.escape(" ".join(shown.split())).replace("*", "\\*").replace("_", "\\_")
        verdict = _VERDICTS[finding.verdict]
        if finding.scattered:
            verdict = (
                f"**{finding.pieces} pieces from different places** in the tagged seed, "
                "each verbatim: check the quotation says what the source says"
            )
        elif finding.pieces > 1:
            verdict += f" ({finding.pieces} pieces, in order: check the cuts keep the meaning)"
        lines.append(f"- \u201c{shown}\u201d{tag}: {verdict}")
    return lines
