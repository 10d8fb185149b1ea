"""One JupyterLab server and one Chromium for the whole browser test session.

The browser tests skip (saying how to install Chromium) where Playwright or
Chromium is missing, unless ``COOPCOURSE_REQUIRE_BROWSER=1`` (set by CI), in
which case a missing browser is a failure. When a test fails, a screenshot
and the page's console log are saved under ``test-artifacts/`` and named in
the failure report.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import pytest

from coopcourse.quiz import Bank, load_bank
from tests.browser.lab import labpage
from tests.browser.lab.labserver import COURSE_ROOT, copy_course, start_lab

ARTIFACTS = Path(os.environ.get("COOPCOURSE_ARTIFACTS", COURSE_ROOT / "test-artifacts"))
LESSONS = sorted((COURSE_ROOT / "lessons").glob("[0-9][0-9]_*.ipynb"))
QUESTION_CALL = re.compile(r"""quiz\.question\(\s*["']([^"']+)["']\s*\)""")
LESSON_QUIZ = re.compile(r"""LessonQuiz\(\s*["']([^"']+)["']""")


def pytest_configure(config):
    config.addinivalue_line("markers", "browser: runs in JupyterLab in Chromium (Playwright)")


# -- browser and server ---------------------------------------------------------


def _browser_required() -> bool:
    return os.environ.get("COOPCOURSE_REQUIRE_BROWSER") == "1"


@pytest.fixture(scope="session")
def playwright_browser():
    reason = labpage.browser_missing_reason()
    if reason:
        if _browser_required():
            pytest.fail(f"COOPCOURSE_REQUIRE_BROWSER=1 but {reason}", pytrace=False)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    try:
        browser = labpage.launch_chromium(playwright)
    except Exception:
        playwright.stop()
        raise
    yield browser
    browser.close()
    playwright.stop()


@pytest.fixture(scope="session")
def lab_server(tmp_path_factory, playwright_browser):
    """``jupyter lab`` on a temporary copy of the course, isolated from the home folder."""
    base = tmp_path_factory.mktemp("lab")
    root = copy_course(COURSE_ROOT, base / "course")
    server = start_lab(root, base / "jupyter-home")
    yield server
    server.stop()
    assert server.process.returncode is not None, "jupyter lab did not exit"


@pytest.fixture(scope="session")
def browser_context(playwright_browser, lab_server):
    context = playwright_browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(30_000)
    yield context
    context.close()


@dataclass
class BrowserPage:
    """A page and everything it logged, for failure reports."""

    page: object
    log: list[str] = field(default_factory=list)

    @classmethod
    def open(cls, context) -> BrowserPage:
        handle = cls(None)
        handle.renew(context)
        return handle

    def renew(self, context) -> None:
        """Replace the page (closing the old one, even a crashed one) by a new one."""
        if self.page is not None:
            with contextlib.suppress(Exception):  # a crashed page may refuse to close
                self.page.close()
        self.page = context.new_page()
        self.log.clear()
        self.page.on("console", lambda message: self.log.append(f"[{message.type}] {message.text}"))
        self.page.on("pageerror", lambda error: self.log.append(f"[pageerror] {error}"))


@pytest.fixture(scope="session")
def lab_page(browser_context, lab_server):
    """One JupyterLab page that formgrader and every lesson open in turn (booting JupyterLab
    costs about 4.5 s of CPU; see labpage.open_notebook)."""
    handle = BrowserPage.open(browser_context)
    yield handle
    handle.page.close()


# -- lessons --------------------------------------------------------------------


@dataclass
class LessonRun:
    """A lesson opened in JupyterLab and run from a clear notebook."""

    path: Path  # in the repository
    browser: BrowserPage
    bank: Bank | None
    shown_ids: list[str]
    run_ok: bool
    cells: list[labpage.CellReport]
    server: object
    render_problem: str | None = None  # set when outputs never finished rendering

    @property
    def page(self):
        return self.browser.page

    @property
    def name(self) -> str:
        return self.path.stem

    def quizzes(self):
        return self.page.locator(labpage.QUIZ)

    def quiz_for(self, question_id: str):
        """The rendered quiz showing ``question_id`` (found by its "Question N:" prompt)."""
        number = self.bank.number_of(question_id)
        return self.quizzes().filter(
            has=self.page.locator(".coopcourse-quiz-question", has_text=f"Question {number}:")
        ).first


def uses_models(path: Path) -> bool:
    """Whether a lesson shows an interactive model (a ``coopcourse.views`` explorer)."""
    notebook = nbformat.read(path, as_version=4)
    return any(
        cell.cell_type == "code" and "coopcourse.views" in cell.source for cell in notebook.cells
    )


def shown_question_ids(notebook) -> list[str]:
    """Question ids displayed by the lesson's code cells, in order."""
    return [
        match
        for cell in notebook.cells
        if cell.cell_type == "code"
        for match in QUESTION_CALL.findall(cell.source)
    ]


def quiz_lesson_name(notebook) -> str | None:
    """The bank a lesson loads: the argument of its ``LessonQuiz("...")``."""
    for cell in notebook.cells:
        if cell.cell_type == "code":
            match = LESSON_QUIZ.search(cell.source)
            if match:
                return match.group(1)
    return None


def lesson_id(path: Path) -> str:
    return path.stem


@pytest.fixture(scope="module", params=LESSONS, ids=lesson_id)
def lesson(request, lab_page, lab_server, browser_context):
    """Open one lesson, clear its outputs, run all cells and wait for the output to render."""
    path: Path = request.param
    notebook = nbformat.read(path, as_version=4)
    shown = shown_question_ids(notebook)
    bank = load_bank(quiz_lesson_name(notebook) or path.stem) if shown else None
    handle = lab_page
    try:
        handle.page.evaluate("0")  # a round trip: what the last lesson logged has arrived
    except Exception:  # noqa: BLE001 - the page crashed during the last lesson's tests
        handle.renew(browser_context)
    handle.log.clear()  # what the page logs from here on is this lesson's
    page = handle.page
    relative = path.relative_to(COURSE_ROOT).as_posix()
    kernel_id = None
    try:
        kernel_id = labpage.open_notebook(page, lab_server, relative)
        run_ok = labpage.run_all(page)
        cells = labpage.cell_reports(page)
    except Exception as error:
        saved = _save_artifacts(f"{path.stem}-open-and-run", [handle])
        names = ", ".join(str(p) for p in saved)
        if kernel_id:
            lab_server.api("DELETE", f"api/kernels/{kernel_id}")
        handle.renew(browser_context)  # the next lesson starts from a fresh JupyterLab
        message = f"{path.stem}: {error}\n(screenshot and console log: {names})"
        raise AssertionError(message) from None
    render_problem = _wait_for_outputs(page, cells, len(shown)) if run_ok else None
    run = LessonRun(path, handle, bank, shown, run_ok, cells, lab_server, render_problem)
    yield run
    try:
        labpage.clear_main_area(page)
    except Exception:  # noqa: BLE001 - the page broke: the next lesson gets a fresh one
        handle.renew(browser_context)
    # Each lesson's kernel is stopped as soon as its tests are done (2-core machines).
    lab_server.api("DELETE", f"api/kernels/{kernel_id}")


def _wait_for_outputs(page, cells, quizzes: int) -> str | None:
    """Wait until the last output and every quiz are on the page; describe what never came."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    with_output = [cell for cell in cells if cell.output_count]
    try:
        if with_output:
            # Outputs render after the kernel replies; the last one comes last.
            last = labpage.code_cell(page, with_output[-1].index)
            last.locator(".jp-OutputArea-output").first.wait_for(state="attached")
        if quizzes:
            page.wait_for_function(
                "n => document.querySelectorAll('.coopcourse-quiz').length >= n",
                arg=quizzes,
                timeout=30_000,
            )
    except PlaywrightTimeout as error:
        return f"outputs did not all render: {error.message.splitlines()[0]}"
    return None


# -- artefacts on failure -------------------------------------------------------


def _pages_of(item) -> list[BrowserPage]:
    pages = []
    for value in getattr(item, "funcargs", {}).values():
        if isinstance(value, BrowserPage):
            pages.append(value)
        elif isinstance(value, LessonRun):
            pages.append(value.browser)
    return pages


def _save_artifacts(name: str, pages: list[BrowserPage]) -> list[Path]:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    stem = re.sub(r"[^A-Za-z0-9_.-]+", "_", name).strip("_")
    saved = []
    for number, handle in enumerate(pages):
        suffix = f"-{number}" if number else ""
        shot = ARTIFACTS / f"{stem}{suffix}.png"
        log = ARTIFACTS / f"{stem}{suffix}.console.log"
        try:
            if not handle.page.is_closed():
                handle.page.screenshot(path=str(shot), full_page=True)
                saved.append(shot)
        except Exception as error:  # the page may have crashed: keep the log anyway
            handle.log.append(f"[artifact] screenshot failed: {error}")
        log.write_text("\n".join(handle.log) + "\n", encoding="utf-8")
        saved.append(log)
    return saved


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.when != "call" or not report.failed:
        return
    pages = _pages_of(item)
    if not pages:
        return
    saved = _save_artifacts(item.nodeid, pages)
    text = "\n".join(f"  {path}" for path in saved)
    message = f"Screenshot and console log saved:\n{text}"
    if hasattr(report.longrepr, "addsection"):
        report.longrepr.addsection("browser artifacts", message)
    else:
        report.sections.append(("browser artifacts", message))


# -- screenshots on request -----------------------------------------------------


@pytest.fixture(scope="session")
def screenshot_dir() -> Path | None:
    """``COOPCOURSE_SCREENSHOTS=dir`` asks for screenshots of quizzes before/after answering."""
    wanted = os.environ.get("COOPCOURSE_SCREENSHOTS")
    if not wanted:
        return None
    folder = Path(wanted)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def read_progress(lab_server):
    """Read the quiz progress file the server's kernels write to."""

    def read() -> dict:
        path = lab_server.home / "progress.json"
        return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}

    return read
