"""The instructor's side in a browser: formgrader opens in JupyterLab and lists the assignments.

nbgrader finds ``nbgrader_config.py`` at the course root (the server starts
there) and lists every assignment folder of the source directory,
``solutions/``; the gradebook is the temporary copy's own.
"""

from __future__ import annotations

import pytest

from tests.browser.lab import labpage
from tests.browser.lab.labserver import COURSE_ROOT

try:
    from playwright.sync_api import expect
except ImportError:  # the browser fixtures skip (or fail in CI) and say how to install it
    expect = None

pytestmark = pytest.mark.browser

ASSIGNMENTS = sorted(
    path.name
    for path in (COURSE_ROOT / "solutions").glob("*")
    if path.is_dir() and not path.name.startswith((".", "_"))
)


@pytest.mark.skipif(not (COURSE_ROOT / "nbgrader_config.py").exists(),
                    reason="the course has no nbgrader_config.py yet")
@pytest.mark.skipif(not ASSIGNMENTS, reason="solutions/ holds no assignment yet")
def test_formgrader_opens_in_jupyterlab_and_lists_the_assignments(
    lab_page, lab_server, screenshot_dir
):
    listed = {item["name"] for item in lab_server.api_when_ready("formgrader/api/assignments")}
    assert listed == set(ASSIGNMENTS), "formgrader's API lists other assignments than solutions/"

    page = lab_page.page
    labpage.open_lab(page, lab_server)
    labpage.run_menu_command(page, "Nbgrader", "nbgrader:open-formgrader")
    formgrader = page.frame_locator("#formgrader iframe")
    names = formgrader.locator("td.name")
    # The first formgrader page can be slow on a busy machine: wait for it, generously.
    expect(names).to_have_count(len(ASSIGNMENTS), timeout=180_000)
    for assignment in ASSIGNMENTS:
        expect(formgrader.locator("td.name", has_text=assignment)).to_be_visible()
    # Each assignment is still a draft: nothing released to learners by the test.
    expect(formgrader.get_by_text("Manage Assignments").first).to_be_visible()
    if screenshot_dir:
        names.last.scroll_into_view_if_needed()
        page.screenshot(path=str(screenshot_dir / "formgrader.png"))
