"""The website's quizzes and lesson rewriting, without building the site (fast)."""

from __future__ import annotations

import html
import json
import re
from html.parser import HTMLParser

import nbformat
import pytest

from coopcourse.quiz import LessonQuiz, check_answer, load_bank
from coopcourse.quiz.bank import bank_paths, load_bank_file
from coopcourse.quiz.verdict import choice_key, possible_choices
from coopcourse.quiz.widgets import feedback_html
from coopcourse.site import quiz_html
from coopcourse.site.quiz_extension import (
    binder_link,
    rewrite_links,
    transform_notebook,
)
from tests.lesson_files import COURSE_ROOT, LESSONS

BANKS = [load_bank_file(path) for path in bank_paths()]
QUESTIONS = [(bank, question) for bank in BANKS for question in bank.questions]
NETWORK = re.compile(r"""(?:src|href|url)\s*[=(]\s*["']?\s*(?:https?:)?//""", re.IGNORECASE)


def _ids(item) -> str:
    bank, question = item
    return f"{bank.lesson}:{question.id}"


class _Structure(HTMLParser):
    """Collects the elements of a quiz that the tests look at."""

    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.script = ""
        self._in_script = False
        self.label_texts: list[str] = []
        self._label: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        if tag == "script":
            self._in_script = True
        if tag == "label":
            self._label = []

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False
        if tag == "label" and self._label is not None:
            self.label_texts.append("".join(self._label).strip())
            self._label = None

    def handle_data(self, data):
        if self._in_script:
            self.script += data
        if self._label is not None:
            self._label.append(data)


def parse(markup: str) -> _Structure:
    parser = _Structure()
    parser.feed(markup)
    return parser


@pytest.mark.parametrize("item", QUESTIONS, ids=_ids)
def test_quiz_html_has_every_option_label_key_and_explanation(item):
    bank, question = item
    markup = quiz_html.question_html(bank, question.id)
    parsed = parse(markup)
    tags = [tag for tag, _ in parsed.tags]
    assert "fieldset" in tags and "legend" in tags
    kind = "radio" if question.type == "single" else "checkbox"
    inputs = [attrs for tag, attrs in parsed.tags if tag == "input"]
    assert [attrs["type"] for attrs in inputs] == [kind] * len(question.options)
    assert [attrs["value"] for attrs in inputs] == [option.key for option in question.options]
    assert len({attrs["name"] for attrs in inputs}) == 1, "one group per question"
    assert parsed.label_texts == [f"{o.key}. {o.text}" for o in question.options]
    number = bank.number_of(question.id)
    assert f"<strong>Question {number}: </strong>{html.escape(question.prompt)}" in markup
    regions = [attrs for _, attrs in parsed.tags if attrs.get("aria-live") == "polite"]
    assert len(regions) == 1 and regions[0]["class"] == "coopcourse-quiz-feedback"

    data = json.loads(parsed.script)
    assert data["type"] == question.type and data["question"] == question.id
    right = choice_key(question.correct_keys)
    assert data["feedback"][right]["correct"] is True
    assert [key for key, entry in data["feedback"].items() if entry["correct"]] == [right]
    # A right answer explains every option, with the source.
    for option in question.options:
        assert html.escape(option.why) in data["feedback"][right]["html"]
    assert html.escape(question.source) in data["feedback"][right]["html"]
    # A wrong choice explains that option only; no choice gives the hint.
    for option in question.options:
        if not option.correct:
            entry = data["feedback"][option.key]
            assert html.escape(option.why) in entry["html"]
            assert entry["correct"] is False
    assert html.escape(question.hint) in data["feedback"][""]["html"]
    assert data["feedback"][""]["status"] == "no_choice"


@pytest.mark.parametrize("item", QUESTIONS, ids=_ids)
def test_quiz_html_fetches_nothing_from_the_network(item):
    bank, question = item
    markup = quiz_html.question_html(bank, question.id)
    assert not NETWORK.search(markup)
    assert "http://" not in markup and "https://" not in markup
    assert "</script" not in parse(markup).script


def test_feedback_is_the_engines_wording_for_every_choice():
    for _bank, question in QUESTIONS:
        table = quiz_html.feedback_table(question)
        choices = possible_choices(question)
        expected = 2 ** len(question.options) - 1 if question.type == "multiple" else len(
            question.options
        )
        assert len(choices) == expected and len(table) == expected + 1
        for keys in choices:
            selected = keys[0] if question.type == "single" else list(keys)
            result = check_answer(question, selected)
            engine = feedback_html(result)
            site = table[choice_key(keys)]["html"]
            assert site == engine.replace('role="status" aria-live="polite" ', "", 1)
            assert table[choice_key(keys)]["status"] == result.status


def test_partial_feedback_for_a_multiple_select_question():
    question = next(q for _, q in QUESTIONS if q.type == "multiple")
    one_right = sorted(question.correct_keys)[:1]
    entry = quiz_html.feedback_table(question)[choice_key(one_right)]
    assert entry["status"] == "partial"
    assert "Partly right: 1 correct choice(s), 0 wrong" in entry["html"]


def test_score_line_is_the_engines():
    bank = load_bank("01_the_policy")
    template = quiz_html.score_template(bank)
    quiz = LessonQuiz("01_the_policy", save_progress=False)
    quiz.answered_correctly = {"a", "b", "c"}
    assert template.format(correct=3) == quiz.score_text()
    assert "{correct}" in template


def _lesson(name: str):
    return nbformat.read(COURSE_ROOT / "lessons" / f"{name}.ipynb", as_version=4)


@pytest.mark.parametrize("path", LESSONS, ids=lambda path: path.stem)
def test_lessons_are_rewritten_without_widgets(path):
    notebook = nbformat.read(path, as_version=4)
    transform_notebook(notebook, f"lessons/{path.name}", banks=BANKS)
    quizzes = 0
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        for output in cell.get("outputs", []):
            assert "application/vnd.jupyter.widget-view+json" not in output.get("data", {}), (
                f"{path.name}: a widget is left in {cell.source[:60]!r}"
            )
        if "quiz.question(" in cell.source:
            quizzes += 1
            assert "remove-input" in cell.metadata["tags"]
            assert 'class="coopcourse-quiz coopcourse-site-quiz"' in (
                cell.outputs[0]["data"]["text/html"]
            )
        if "quiz.scoreboard()" in cell.source:
            assert "remove-input" in cell.metadata["tags"]
            assert "coopcourse-site-score" in cell.outputs[0]["data"]["text/html"]
    assert quizzes == sum("quiz.question(" in c.source for c in _lesson(path.stem).cells)


def test_explorer_becomes_a_picture_with_its_summary_and_live_links():
    notebook = _lesson("03_union_objections")
    (saved,) = [c for c in notebook.cells if "mutual_explorer()" in c.source]
    summary = next(o["data"]["text/plain"] for o in saved.outputs if "data" in o)
    transform_notebook(notebook, "lessons/03_union_objections.ipynb", banks=BANKS,
                       hub_url="https://hub.example.edu")
    (cell,) = [c for c in notebook.cells if "mutual_explorer()" in c.source]
    markup = cell.outputs[0]["data"]["text/html"]
    assert f'alt="{html.escape(summary.strip())}"' in markup
    assert f"<figcaption>{html.escape(summary.strip())}</figcaption>" in markup
    assert html.escape(binder_link("lessons/03_union_objections.ipynb")) in markup
    assert "https://hub.example.edu/hub/user-redirect/git-pull?" in markup
    assert 'src="data:image/png;base64,' in markup


def test_quiz_setup_cell_is_hidden_but_not_cells_with_other_code():
    notebook = _lesson("01_the_policy")
    transform_notebook(notebook, "lessons/01_the_policy.ipynb", banks=BANKS)
    setup = next(c for c in notebook.cells if "LessonQuiz(" in c.source)
    # It also imports seeds, which later cells use: it stays.
    assert "remove-cell" not in setup.metadata.get("tags", [])
    notebook = _lesson("02_labour_response")
    transform_notebook(notebook, "lessons/02_labour_response.ipynb", banks=BANKS)
    setup = next(c for c in notebook.cells if "LessonQuiz(" in c.source)
    assert "remove-cell" in setup.metadata["tags"]


def test_binder_link_is_the_readmes():
    readme = (COURSE_ROOT / "README.md").read_text(encoding="utf-8")
    assert f"({binder_link('lessons/00_start_here.ipynb')})" in readme


def test_links_outside_the_site_point_at_the_repository():
    def on_site(path):
        return path in {"lessons/glossary.md", "lessons/01_the_policy.ipynb"}

    text = (
        "[TUPE](glossary.md#tupe), [next](01_the_policy.ipynb), "
        "[a1](../exercises/a1_policy/a1_policy.ipynb), [web](https://example.org/x), [top](#q)"
    )
    rewritten = rewrite_links(text, "lessons/00_start_here.ipynb", on_site)
    assert "[TUPE](glossary.md#tupe)" in rewritten
    assert "[next](01_the_policy.ipynb)" in rewritten
    assert (
        "[a1](https://github.com/coopcourse/mutuals-course/blob/main/"
        "exercises/a1_policy/a1_policy.ipynb)" in rewritten
    )
    assert "[web](https://example.org/x)" in rewritten and "[top](#q)" in rewritten


def test_mathematics_is_written_as_mathml():
    from coopcourse.site.quiz_extension import _mathml

    markup = _mathml(r"L^{*} = \left(\frac{a\,p\,A}{w}\right)^{\frac{1}{1-a}}", "block")
    assert markup.startswith("<math") and 'display="block"' in markup and "<mfrac>" in markup
