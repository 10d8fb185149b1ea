"""The course website (``coopcourse site build``) in headless Chromium, served on localhost.

The site is built once per session into a temporary folder. Every request to
anything but the local server is blocked and reported, so a page that would
fetch a font, script or style sheet from the internet fails. axe-core, the
accessibility checker, comes from npm (``.ci/run`` installs it into a cache
folder; ``COOPCOURSE_AXE_JS`` names the file); without it the accessibility
test skips, or fails where ``COOPCOURSE_REQUIRE_BROWSER=1``.
"""

from __future__ import annotations

import functools
import html
import os
import re
import threading
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlsplit

import nbformat
import pytest

from coopcourse.quiz import Bank, load_bank
from tests.browser.lab import labpage

from .conftest import LESSONS, BrowserPage, quiz_lesson_name, shown_question_ids

pytestmark = pytest.mark.browser

AXE_JS = Path(
    os.environ.get(
        "COOPCOURSE_AXE_JS",
        Path.home() / ".cache" / "coopcourse" / "axe" / "node_modules" / "axe-core" / "axe.min.js",
    )
)
DESKTOP = {"width": 1280, "height": 900}
QUIZ_LESSONS = [path for path in LESSONS if shown_question_ids(nbformat.read(path, 4))]


# -- the site, its server and a browser that cannot reach the internet --------------------


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):  # no request log on the test output
        pass


@dataclass
class Site:
    root: Path
    url: str

    def page_url(self, relative: str) -> str:
        return f"{self.url}/{relative}"


@pytest.fixture(scope="session")
def site(tmp_path_factory, playwright_browser):
    """The website, built once for the session and served on 127.0.0.1."""
    from coopcourse.cli import main

    out = tmp_path_factory.mktemp("site") / "html"
    assert main(["site", "build", "--out", str(out)]) == 0, "coopcourse site build failed"
    handler = functools.partial(_QuietHandler, directory=str(out))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield Site(out, f"http://127.0.0.1:{server.server_address[1]}")
    server.shutdown()
    server.server_close()
    thread.join(timeout=10)


@dataclass
class SitePage(BrowserPage):
    """A page on the site, with every request that failed or tried to leave localhost."""

    blocked: list[str] = None
    failed: list[str] = None

    def problems(self) -> list[str]:
        errors = [line for line in self.log if line.startswith(("[error]", "[pageerror]"))]
        return (
            [f"blocked non-local request: {url}" for url in self.blocked]
            + [f"failed request: {entry}" for entry in self.failed]
            + errors
        )


def _new_context(browser, site: Site, **options):
    context = browser.new_context(**options)
    context.set_default_timeout(15_000)
    local = urlsplit(site.url).netloc
    blocked: list[str] = []

    def guard(route):
        if urlsplit(route.request.url).netloc == local:
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort("blockedbyclient")

    context.route("**/*", guard)
    return context, blocked


def _open(context, blocked) -> SitePage:
    page = context.new_page()
    handle = SitePage(page, blocked=blocked, failed=[])
    page.on("console", lambda message: handle.log.append(f"[{message.type}] {message.text}"))
    page.on("pageerror", lambda error: handle.log.append(f"[pageerror] {error}"))
    # A request cancelled by the next navigation (net::ERR_ABORTED, often the favicon) is
    # not a failure; a missing file still shows as a 404 response below.
    page.on(
        "requestfailed",
        lambda request: None
        if "ERR_ABORTED" in (request.failure or "")
        else handle.failed.append(f"{request.failure} {request.url}"),
    )
    page.on(
        "response",
        lambda response: handle.failed.append(f"{response.status} {response.url}")
        if response.status >= 400
        else None,
    )
    return handle


@pytest.fixture(scope="session")
def site_context(playwright_browser, site):
    context, blocked = _new_context(playwright_browser, site, viewport=DESKTOP)
    context.blocked = blocked
    yield context
    context.close()


@pytest.fixture
def site_page(site_context):
    handle = _open(site_context, site_context.blocked)
    site_context.blocked.clear()
    yield handle
    handle.page.close()


# -- every page -------------------------------------------------------------------------------

_HREF = re.compile(r"""<a\s[^>]*?href="([^"]*)\"""", re.IGNORECASE)
_ID = re.compile(r"""\sid="([^"]+)\"""")


def crawl(root: Path) -> dict[str, set[str]]:
    """Follow every internal link from the front page: {page: links that are broken}."""
    pages: dict[str, set[str]] = {}
    queue = ["index.html"]
    ids: dict[str, set[str]] = {}

    def ids_of(relative: str) -> set[str]:
        if relative not in ids:
            ids[relative] = set(_ID.findall((root / relative).read_text(encoding="utf-8")))
        return ids[relative]

    while queue:
        current = queue.pop()
        if current in pages:
            continue
        pages[current] = set()
        text = (root / current).read_text(encoding="utf-8")
        for href in _HREF.findall(text):
            href = html.unescape(href)
            if urlsplit(href).scheme in {"http", "https", "mailto", "data", "javascript"}:
                continue
            target, fragment = urldefrag(urljoin(f"/{current}", href))
            relative = urlsplit(target).path.lstrip("/")
            if relative.endswith("/") or not relative:
                relative += "index.html"
            if not (root / relative).is_file():
                pages[current].add(href)
                continue
            if fragment and fragment not in ids_of(relative):
                pages[current].add(href)
            if relative.endswith(".html") and relative not in pages:
                queue.append(relative)
    return pages


def test_no_broken_internal_link(site):
    pages = crawl(site.root)
    broken = {page: sorted(links) for page, links in pages.items() if links}
    assert not broken, f"broken internal links (page: links): {broken}"
    lessons = {f"lessons/{path.stem}.html" for path in (site.root / "lessons").glob("*.html")}
    expected = lessons | {"index.html", "seeds/README.html", "docs/instructor-guide.html"}
    assert expected <= set(pages), f"pages not reached from the front page: {expected - set(pages)}"
    assert {f"lessons/{p.stem}.html" for p in LESSONS} <= lessons


def _site_pages(site: Site) -> list[str]:
    return sorted(page for page in crawl(site.root) if page != "genindex.html") + [
        "genindex.html"
    ]


@dataclass
class PageTour:
    """What every page showed when loaded once: its load problems and, with axe-core
    present, its serious accessibility violations (``None`` without axe-core)."""

    problems: dict[str, list[str]]
    violations: dict[str, list[str]] | None


@pytest.fixture(scope="module")
def page_tour(site, site_context) -> PageTour:
    """Load every page once for both the load test and the accessibility test."""
    axe = str(AXE_JS) if AXE_JS.is_file() else None
    handle = _open(site_context, site_context.blocked)
    problems, violations = {}, {}
    try:
        for relative in _site_pages(site):
            handle.log.clear()
            handle.failed.clear()
            handle.blocked.clear()
            handle.page.goto(site.page_url(relative), wait_until="load")
            found = handle.problems()  # as loaded, before anything is clicked
            if found:
                problems[relative] = found
            if axe is None:
                continue
            if relative.startswith("lessons/0"):
                # Check the quizzes with their feedback showing too.
                for quiz in handle.page.locator(".coopcourse-site-quiz").all()[:2]:
                    labpage.press_check(quiz)
            handle.page.add_script_tag(path=axe)
            found = handle.page.evaluate(_RUN_AXE)
            if found:
                violations[relative] = found
    finally:
        handle.page.close()
    return PageTour(problems, violations if axe else None)


def test_every_page_loads_with_no_error_and_nothing_from_the_internet(page_tour):
    problems = page_tour.problems
    assert not problems, f"pages with console errors or failed/blocked requests: {problems}"


def test_pages_have_their_text_figures_and_alt_text(site, site_page):
    page = site_page.page
    page.goto(site.page_url("lessons/03_union_objections.html"))
    explorer = page.locator(".coopcourse-site-explorer img")
    assert explorer.count() == 1
    alt = explorer.get_attribute("alt")
    assert alt and "surplus" in alt
    run_live = page.locator(".coopcourse-site-run-live a").first
    assert run_live.get_attribute("href").startswith("https://mybinder.org/v2/gh/")
    assert page.locator("math").count() > 10, "the model's formulas are missing"
    for relative in ("lessons/timeline.html", "lessons/04_market_socialist_critique.html"):
        page.goto(site.page_url(relative))
        images = page.locator("article img")
        assert images.count() >= 1
        for index in range(images.count()):
            assert (images.nth(index).get_attribute("alt") or "").strip(), relative
    # No code that only drives the quiz, and no widget left behind.
    page.goto(site.page_url("lessons/02_labour_response.html"))
    assert page.get_by_text("quiz.question(").count() == 0
    assert page.get_by_text("quiz.scoreboard()").count() == 0
    assert page.locator(".coopcourse-site-score").count() == 1
    # Previous/next navigation.
    assert page.locator(".prev-next-area a.left-prev").count() == 1
    assert page.locator(".prev-next-area a.right-next").count() == 1


def test_search_finds_a_lesson(site, site_page):
    page = site_page.page
    page.goto(site.page_url("search.html?q=retendering"))
    results = page.locator("#search-results li a")
    results.first.wait_for()
    hrefs = [results.nth(i).get_attribute("href") or "" for i in range(results.count())]
    assert any("union" in href for href in hrefs), hrefs
    assert not site_page.problems()


# -- quizzes ----------------------------------------------------------------------------------


@dataclass
class LessonPage:
    relative: str
    bank: Bank
    ids: list[str]


def _lesson_page(path: Path) -> LessonPage:
    notebook = nbformat.read(path, as_version=4)
    return LessonPage(
        f"lessons/{path.stem}.html",
        load_bank(quiz_lesson_name(notebook) or path.stem),
        shown_question_ids(notebook),
    )


def _quiz(page, bank: Bank, question_id: str):
    return page.locator(f'.coopcourse-site-quiz[data-question="{question_id}"]')


def _choose(quiz, question, keys) -> None:
    """Click exactly ``keys`` (the native inputs, as a mouse user would)."""
    for option in question.options:
        box = quiz.locator(f'input[value="{option.key}"]')
        if question.type == "single":
            if option.key in keys:
                box.check()
        else:
            box.set_checked(option.key in keys)


def _feedback(quiz, status: str):
    region = quiz.locator('.coopcourse-quiz-feedback[aria-live="polite"][role="status"]')
    verdict = region.locator(f".coopcourse-feedback-{status}")
    verdict.wait_for(state="visible", timeout=5_000)
    return region


@pytest.mark.parametrize("path", QUIZ_LESSONS, ids=lambda path: path.stem)
def test_every_quiz_answers_wrong_right_and_empty_by_mouse(site, site_page, path, screenshot_dir):
    lesson = _lesson_page(path)
    page = site_page.page
    page.goto(site.page_url(lesson.relative))
    assert page.locator(".coopcourse-site-quiz").count() == len(lesson.ids)
    for question_id in lesson.ids:
        question = lesson.bank.get(question_id)
        quiz = _quiz(page, lesson.bank, question_id)
        # Empty: the hint.
        quiz.locator(".coopcourse-quiz-check").click()
        assert question.hint in _feedback(quiz, "no_choice").inner_text()
        # Wrong: the chosen option's explanation, and not the right one's.
        wrong = labpage.wrong_keys(question)
        _choose(quiz, question, wrong)
        quiz.locator(".coopcourse-quiz-check").click()
        text = _feedback(quiz, "incorrect").inner_text()
        assert question.option(wrong[0]).why in text
        # Right: every explanation and the source.
        _choose(quiz, question, question.correct_keys)
        quiz.locator(".coopcourse-quiz-check").click()
        text = _feedback(quiz, "correct").inner_text()
        for option in question.options:
            assert option.why in text, f"{question_id}: explanation of {option.key} missing"
        assert question.source in text
    score = page.locator(".coopcourse-site-score")
    assert score.inner_text() == (
        f"Score for this lesson: {len(set(lesson.ids))} of {len(lesson.bank.questions)} "
        "questions answered correctly."
    )
    assert not site_page.problems()


def _tab_into(page, quiz) -> None:
    """Put focus just before the quiz's options, then Tab into them as a keyboard user would."""
    quiz.evaluate("el => { el.setAttribute('tabindex', '-1'); el.focus(); }")
    page.keyboard.press("Tab")
    inside = quiz.evaluate("el => el.querySelector('fieldset').contains(document.activeElement)")
    assert inside, "Tab did not reach the quiz's options"


@pytest.mark.parametrize("path", QUIZ_LESSONS, ids=lambda path: path.stem)
def test_quizzes_by_keyboard_alone(site, site_page, path, screenshot_dir):
    lesson = _lesson_page(path)
    page = site_page.page
    page.goto(site.page_url(lesson.relative))
    # One quiz in full: no choice, a wrong answer, then the right one.
    first = lesson.bank.get(lesson.ids[0])
    quiz = _quiz(page, lesson.bank, first.id)
    _tab_into(page, quiz)
    stops = 1 if first.type == "single" else len(first.options)
    for _ in range(stops):
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Check"
    page.keyboard.press("Enter")
    assert first.hint in _feedback(quiz, "no_choice").inner_text()
    labpage.back_to_first_option(page, first)
    wrong = labpage.wrong_keys(first)
    labpage.keyboard_answer(page, first, wrong)
    assert first.option(wrong[0]).why in _feedback(quiz, "incorrect").inner_text()
    labpage.back_to_first_option(page, first)
    labpage.keyboard_answer(page, first, first.correct_keys)
    _feedback(quiz, "correct")
    if screenshot_dir:
        quiz.screenshot(path=str(screenshot_dir / f"site-{path.stem}-keyboard.png"))
    # Every other quiz responds to the keyboard: Tab in, choose with arrows/Space, Enter on Check.
    for question_id in lesson.ids[1:]:
        question = lesson.bank.get(question_id)
        quiz = _quiz(page, lesson.bank, question_id)
        _tab_into(page, quiz)
        labpage.keyboard_answer(page, question, question.correct_keys)
        _feedback(quiz, "correct")
    assert not site_page.problems()


def test_score_persists_across_reload(playwright_browser, site):
    context, blocked = _new_context(playwright_browser, site, viewport=DESKTOP)
    try:
        handle = _open(context, blocked)
        page = handle.page
        lesson = _lesson_page(LESSONS[1])
        page.goto(site.page_url(lesson.relative))
        for question_id in lesson.ids[:2]:
            question = lesson.bank.get(question_id)
            quiz = _quiz(page, lesson.bank, question_id)
            labpage.choose(quiz, question, sorted(question.correct_keys))
            labpage.press_check(quiz)
            _feedback(quiz, "correct")
        total = len(lesson.bank.questions)
        expected = f"Score for this lesson: 2 of {total} questions answered correctly."
        assert page.locator(".coopcourse-site-score").inner_text() == expected
        page.reload()
        assert page.locator(".coopcourse-site-score").inner_text() == expected
        # Lesson 0's progress table reads the same record.
        page.goto(site.page_url("lessons/00_start_here.html"))
        row = page.locator(f'.coopcourse-site-progress tr[data-lesson="{lesson.bank.lesson}"]')
        assert row.locator(".coopcourse-progress-correct").inner_text() == (
            f"2 of {len(lesson.bank.questions)}"
        )
        assert not handle.problems()
    finally:
        context.close()


# -- phones, print and accessibility ----------------------------------------------------------


def test_phone_screen_has_no_horizontal_scroll(playwright_browser, site, screenshot_dir):
    context, blocked = _new_context(
        playwright_browser, site, viewport={"width": 360, "height": 740}, is_mobile=True,
        has_touch=True, device_scale_factor=2,
    )
    try:
        handle = _open(context, blocked)
        page = handle.page
        too_wide = {}
        for relative in _site_pages(site):
            page.goto(site.page_url(relative))
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > 360:
                too_wide[relative] = width
            if screenshot_dir and relative.startswith("lessons/"):
                quiz = page.locator(".coopcourse-site-quiz").first
                if quiz.count():
                    quiz.scroll_into_view_if_needed()
                name = relative.removeprefix("lessons/").removesuffix(".html")
                page.screenshot(path=str(screenshot_dir / f"site-{name}-phone.png"))
        assert not too_wide, f"pages wider than a 360px phone (page: scroll width): {too_wide}"
        # Options are big enough to tap.
        page.goto(site.page_url(_lesson_page(LESSONS[1]).relative))
        box = page.locator(".coopcourse-quiz-option").first.bounding_box()
        assert box["height"] >= 44 and box["width"] >= 280
        assert not handle.problems()
    finally:
        context.close()


def test_print_shows_questions_without_buttons(site, site_page):
    page = site_page.page
    page.goto(site.page_url("lessons/01_the_policy.html"))
    page.emulate_media(media="print")
    assert page.locator(".coopcourse-quiz-option").first.is_visible()
    assert not page.locator(".coopcourse-quiz-check").first.is_visible()
    page.emulate_media(media="screen")


def _axe_or_skip() -> str:
    if AXE_JS.is_file():
        return str(AXE_JS)
    reason = (
        f"axe-core not found at {AXE_JS}: npm install --no-save --prefix <dir> axe-core@4 and "
        "set COOPCOURSE_AXE_JS=<dir>/node_modules/axe-core/axe.min.js (.ci/run does this)"
    )
    if os.environ.get("COOPCOURSE_REQUIRE_BROWSER") == "1":
        pytest.fail(reason, pytrace=False)
    pytest.skip(reason)


_RUN_AXE = """
async () => {
  const results = await axe.run(document, {
    resultTypes: ['violations'],
    runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']},
  });
  return results.violations
    .filter(v => v.impact === 'serious' || v.impact === 'critical')
    .map(v => `${v.id} (${v.impact}): ${v.help} -- ` +
              v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | '));
}
"""


def test_no_serious_accessibility_violations(page_tour):
    _axe_or_skip()
    found = page_tour.violations
    assert found is not None, "axe-core appeared during the test run"
    assert not found, f"serious or critical accessibility violations: {found}"
