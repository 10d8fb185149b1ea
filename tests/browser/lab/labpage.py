"""Drive a notebook in JupyterLab through Playwright (sync API).

The server must run with ``--LabApp.expose_app_in_browser=True`` (see
:mod:`tests.browser.lab.labserver`): commands such as "clear all outputs"
and "run all cells" are run through ``window.jupyterapp`` and awaited, which
is exact where clicking menus would need guessed waits.
"""

from __future__ import annotations

import os
import re
import secrets
from dataclasses import dataclass
from pathlib import Path

CHROMIUM_PATH = os.environ.get("COOPCOURSE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
INSTALL_HINT = (
    "Browser tests need Playwright for Python (pip install -r requirements.txt) and "
    f"Chromium at {CHROMIUM_PATH} (Debian/Ubuntu: apt-get install -y chromium; "
    "or set COOPCOURSE_CHROMIUM to another Chromium binary)."
)

# Outputs JupyterLab shows in red: tracebacks and anything written to stderr.
STDERR_OUTPUT = '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]'
QUIZ = ".coopcourse-quiz"


def browser_missing_reason() -> str | None:
    """Why the browser tests cannot run here, or None if they can."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright for Python is not installed. " + INSTALL_HINT
    if not Path(CHROMIUM_PATH).exists():
        return f"Chromium not found at {CHROMIUM_PATH}. " + INSTALL_HINT
    return None


def launch_chromium(playwright):
    """Debian's Chromium, headless; never a browser downloaded by Playwright."""
    return playwright.chromium.launch(executable_path=CHROMIUM_PATH, args=CHROMIUM_ARGS)


class NotebookError(AssertionError):
    """A notebook that could not be opened or run in JupyterLab."""


_WAIT_FOR_NOTEBOOK = """
async ([path, timeoutMs]) => {
  const deadline = Date.now() + timeoutMs;
  const sleep = ms => new Promise(r => setTimeout(r, ms));
  while (!window.jupyterapp) {
    if (Date.now() > deadline) throw new Error('window.jupyterapp never appeared');
    await sleep(100);
  }
  const app = window.jupyterapp;
  await app.started;
  await app.restored;
  let panel = null;
  while (!panel) {
    const current = app.shell.currentWidget;
    if (current && current.context && current.context.path === path && current.sessionContext) {
      panel = current;
    } else {
      if (Date.now() > deadline) throw new Error('notebook ' + path + ' did not open');
      await sleep(100);
    }
  }
  await panel.context.ready;
  await panel.sessionContext.ready;
  // The toolbar can read idle while the kernel is still starting: ask the kernel itself.
  while (true) {
    const kernel = panel.sessionContext.session && panel.sessionContext.session.kernel;
    if (kernel && kernel.status === 'idle' && kernel.connectionStatus === 'connected') {
      return kernel.id;
    }
    if (Date.now() > deadline) {
      throw new Error('kernel not idle: ' + (kernel ? kernel.status : 'no kernel'));
    }
    await sleep(100);
  }
}
"""

_RUN_ALL = """
async (timeoutMs) => {
  const app = window.jupyterapp;
  await app.commands.execute('notebook:clear-all-cell-outputs');
  const run = app.commands.execute('notebook:run-all-cells');
  const timeout = new Promise((_, reject) =>
    setTimeout(() => reject(new Error('run all did not finish in ' + timeoutMs + ' ms')),
               timeoutMs));
  return await Promise.race([run, timeout]);
}
"""

_CELL_REPORT = """
() => {
  const panel = window.jupyterapp.shell.currentWidget;
  return panel.content.widgets.map((cell, index) => {
    const model = cell.model;
    const outputs = model.type === 'code' ? model.outputs.toJSON() : [];
    return {
      index,
      type: model.type,
      source: model.sharedModel.getSource(),
      executionCount: model.type === 'code' ? model.executionCount : null,
      errors: outputs.filter(o => o.output_type === 'error')
                     .map(o => o.ename + ': ' + o.evalue),
      stderr: outputs.filter(o => o.output_type === 'stream' && o.name === 'stderr')
                     .map(o => String(o.text)),
      outputCount: outputs.length,
    };
  });
}
"""


@dataclass(frozen=True)
class CellReport:
    index: int
    type: str
    source: str
    execution_count: int | None
    errors: tuple[str, ...]
    stderr: tuple[str, ...]
    output_count: int


def _own_workspace() -> str:
    """A new JupyterLab workspace for one page: two pages open in the same workspace make
    JupyterLab move the newer one to another workspace, a navigation that breaks waiting."""
    return f"lab/workspaces/page-{secrets.token_hex(4)}"


def shows_lab(page, server) -> bool:
    """Whether ``page`` is running this server's JupyterLab already."""
    return page.url.startswith(server.url("lab")) and page.evaluate("() => !!window.jupyterapp")


def open_notebook(page, server, path: str, timeout_s: float = 120) -> str:
    """Open ``path`` (relative to the server root) and return its kernel id.

    A page already showing this server's JupyterLab opens the notebook in place of
    whatever was open (booting JupyterLab costs about 4.5 s of CPU, opening a notebook
    in it about 1 s); any other page loads JupyterLab with a fresh workspace.
    """
    if shows_lab(page, server):
        clear_main_area(page)
        # Resolves to nothing: the opened widget, sent back, would be copied into Python.
        page.evaluate(
            "async p => { await window.jupyterapp.commands.execute('docmanager:open', "
            "{path: p}); }",
            path,
        )
    else:
        page.goto(server.url(f"{_own_workspace()}/tree/{path}", reset="", token=server.token),
                  wait_until="domcontentloaded")
    try:
        return page.evaluate(_WAIT_FOR_NOTEBOOK, [path, int(timeout_s * 1000)])
    except Exception as error:  # Playwright wraps the JS error
        raise NotebookError(f"Could not open {path} with a running kernel: {error}") from None


def clear_main_area(page) -> None:
    """Close everything in JupyterLab's main area (documents, the launcher) without
    saving; no dialog asks."""
    page.evaluate(
        "() => Array.from(window.jupyterapp.shell.widgets('main')).forEach(w => w.dispose())"
    )


def start_run_all(page) -> None:
    """Clear every output and start running all cells, without waiting for the run to end."""
    page.evaluate(
        """async () => {
          const app = window.jupyterapp;
          await app.commands.execute('notebook:clear-all-cell-outputs');
          app.commands.execute('notebook:run-all-cells');
        }"""
    )


def run_all(page, timeout_s: float = 240) -> bool:
    """Clear every output and run all cells; True if JupyterLab reports every cell ran."""
    return bool(page.evaluate(_RUN_ALL, int(timeout_s * 1000)))


def cell_reports(page) -> list[CellReport]:
    """What each cell of the current notebook holds now, read from JupyterLab's model."""
    return [
        CellReport(
            index=raw["index"],
            type=raw["type"],
            source=raw["source"],
            execution_count=raw["executionCount"],
            errors=tuple(raw["errors"]),
            stderr=tuple(raw["stderr"]),
            output_count=raw["outputCount"],
        )
        for raw in page.evaluate(_CELL_REPORT)
    ]


def notebook_panel(page):
    """The notebook shown in the main area (locator)."""
    return page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook")


def code_cell(page, index: int):
    """The cell at ``index`` (counting every cell, as in the notebook file)."""
    return notebook_panel(page).locator(".jp-Cell").nth(index)


_QUESTION_NUMBER = re.compile(r"Question\s+(\d+)\s*:")


def question_number(quiz_locator) -> int:
    """The bank position shown in a quiz's prompt ("Question 3: ...")."""
    text = quiz_locator.locator(".coopcourse-quiz-question").text_content() or ""
    match = _QUESTION_NUMBER.search(text)
    if not match:
        raise AssertionError(f"quiz prompt does not start with 'Question N:': {text[:80]!r}")
    return int(match.group(1))


def option_label(option) -> str:
    """The label the quiz engine gives an option: "A. text"."""
    return f"{option.key}. {option.text}"


def choose(quiz_locator, question, keys) -> None:
    """Select exactly ``keys`` in a quiz by clicking its native controls."""
    wanted = set(keys)
    if question.type == "single":
        (key,) = wanted
        option = question.option(key)
        quiz_locator.get_by_role("radio", name=option_label(option), exact=True).check()
        return
    for option in question.options:
        box = quiz_locator.get_by_role("checkbox", name=option_label(option), exact=True)
        box.set_checked(option.key in wanted)


def press_check(quiz_locator) -> None:
    quiz_locator.get_by_role("button", name="Check", exact=True).click()


def feedback(quiz_locator, status: str, timeout_s: float = 30):
    """Wait for the quiz's feedback to show ``status``; return its live region (locator)."""
    region = quiz_locator.locator(
        f".coopcourse-quiz-feedback .coopcourse-feedback-{status}[role=status]"
    )
    region.wait_for(state="visible", timeout=timeout_s * 1000)
    return region


_KERNEL = "window.jupyterapp.shell.currentWidget.sessionContext.session.kernel"


def run_in_kernel(page, code: str) -> None:
    """Run ``code`` in the open notebook's kernel, outside any cell; fail if it raises."""
    reply = page.evaluate(
        f"""async (code) => {{
          const request = {_KERNEL}.requestExecute({{ code, store_history: false }});
          const reply = await request.done;
          return {{ status: reply.content.status, error: reply.content.evalue || "" }};
        }}""",
        code,
    )
    if reply["status"] != "ok":
        raise AssertionError(f"the kernel could not run {code!r}: {reply['error']}")


def wrong_keys(question) -> list[str]:
    """One wrong answer: a wrong option alone (single) or one wrong box ticked (multiple)."""
    wrong = [option.key for option in question.options if not option.correct]
    return wrong[:1]


# An element's accessible name, computed the simple way assistive technology
# does for native controls: aria-label, aria-labelledby, <label>, button text, title.
UNNAMED_CONTROLS_JS = """
root => {
  const selector = 'input:not([type=hidden]), button, select, textarea, [role=slider], '
                 + '[role=button], [role=checkbox], [role=radio]';
  const nameOf = el => {
    const aria = (el.getAttribute('aria-label') || '').trim();
    if (aria) return aria;
    const ids = (el.getAttribute('aria-labelledby') || '').split(/\\s+/).filter(Boolean);
    const referenced = ids.map(id => {
      const target = document.getElementById(id);
      return target ? target.textContent : '';
    }).join(' ').trim();
    if (referenced) return referenced;
    if (el.labels && el.labels.length) {
      const labelled = Array.from(el.labels).map(l => l.textContent).join(' ').trim();
      if (labelled) return labelled;
    }
    if (el.tagName === 'BUTTON' || el.getAttribute('role') === 'button') {
      const text = el.textContent.trim();
      if (text) return text;
    }
    return (el.getAttribute('title') || '').trim();
  };
  return Array.from(root.querySelectorAll(selector))
    .filter(el => !nameOf(el))
    .map(el => el.outerHTML.slice(0, 160));
}
"""

_FOCUSED_OPTION = """
() => {
  const el = document.activeElement;
  const label = el && el.closest('label');
  return label ? label.textContent.trim() : null;
}
"""


def focused_option_key(page) -> str | None:
    """The option key ("A", "B", ...) of the quiz control that has keyboard focus."""
    text = page.evaluate(_FOCUSED_OPTION)
    if not text or "." not in text:
        return None
    return text.split(".", 1)[0].strip()


def keyboard_answer(page, question, wanted) -> None:
    """Answer by keyboard alone, starting with focus on an option of the quiz.

    Choose-one: the options are one radio group, so the arrow keys move
    between them (choosing as they go) and Space chooses the one in focus.
    Choose-all: Tab moves from box to box and Space ticks or unticks.
    Then Tab reaches Check and Enter presses it; focus is left on Check.
    """
    wanted = set(wanted)
    keys = [option.key for option in question.options]
    if question.type == "single":
        (target,) = wanted
        for _ in keys:
            focused = focused_option_key(page)
            if focused == target:
                break
            step = "ArrowDown" if keys.index(target) > keys.index(focused) else "ArrowUp"
            page.keyboard.press(step)
        if focused_option_key(page) != target:
            raise AssertionError(f"arrow keys did not reach option {target!r}")
        if not page.evaluate("document.activeElement.checked"):
            page.keyboard.press("Space")
        page.keyboard.press("Tab")
    else:
        for option in question.options:
            focused = focused_option_key(page)
            if focused != option.key:
                raise AssertionError(f"focus is on option {focused!r}, expected {option.key!r}")
            if page.evaluate("document.activeElement.checked") != (option.key in wanted):
                page.keyboard.press("Space")
            page.keyboard.press("Tab")
    focused_text = page.evaluate("document.activeElement.textContent.trim()")
    if focused_text != "Check":
        raise AssertionError(f"Tab after the options reached {focused_text!r}, not Check")
    page.keyboard.press("Enter")


def back_to_first_option(page, question) -> None:
    """Shift+Tab from the Check button back into the options (to the first box)."""
    stops = 1 if question.type == "single" else len(question.options)
    for _ in range(stops):
        page.keyboard.press("Shift+Tab")


_WAIT_FOR_APP = """
async (timeoutMs) => {
  const deadline = Date.now() + timeoutMs;
  while (!window.jupyterapp) {
    if (Date.now() > deadline) throw new Error('window.jupyterapp never appeared');
    await new Promise(r => setTimeout(r, 100));
  }
  await window.jupyterapp.started;
  await window.jupyterapp.restored;
}
"""


def open_lab(page, server, timeout_s: float = 60) -> None:
    """Show JupyterLab with no document open, in a workspace of its own; wait until ready.

    A page already running this server's JupyterLab only closes its documents."""
    if shows_lab(page, server):
        clear_main_area(page)
        return
    page.goto(server.url(_own_workspace(), reset="", token=server.token),
              wait_until="domcontentloaded")
    page.evaluate(_WAIT_FOR_APP, int(timeout_s * 1000))


def run_menu_command(page, menu_label: str, command: str) -> None:
    """Click a top menu, then the item that runs ``command`` (found by data-command)."""
    page.locator(".lm-MenuBar-itemLabel", has_text=menu_label).first.click()
    page.locator(f'.lm-Menu-item[data-command="{command}"]').first.click()
