"""ChoiceGroup: a question's options, Check button and feedback as one small custom widget.

ipywidgets' RadioButtons and Checkbox cannot be used safely by keyboard in
JupyterLab: their radios form no group, and keys pressed on them reach
JupyterLab's command-mode shortcuts, which act on notebook cells. This widget
renders native inputs in a named fieldset inside an element that suppresses
those shortcuts (see choice_group.js).

Check is answered in the browser: the widget carries the feedback for every
possible choice (``verdicts``), so the verdict shows at once even while the
kernel is busy running the cells queued after the quiz (comms may be served
while a cell runs, but not while it holds the GIL, as a figure's drawing does).
The kernel is told of each press (``check_requests``), records the attempt, and
then sends the same verdict with the lesson's score line (``verdict``).
"""

from __future__ import annotations

from pathlib import Path

import anywidget
import traitlets

_HERE = Path(__file__).resolve().parent


class ChoiceGroup(anywidget.AnyWidget):
    _esm = _HERE / "choice_group.js"
    _css = _HERE / "choice_group.css"

    options = traitlets.List(traitlets.List(traitlets.Unicode())).tag(sync=True)  # [key, label]
    multiple = traitlets.Bool(False).tag(sync=True)
    group_label = traitlets.Unicode("").tag(sync=True)
    value = traitlets.List(traitlets.Unicode()).tag(sync=True)  # chosen keys
    # The front end adds one per press of Check; Python observes it.
    check_requests = traitlets.Int(0).tag(sync=True)
    # Choice (option keys joined by commas, "" for none) -> {"status", "html"}.
    verdicts = traitlets.Dict().tag(sync=True)
    # The verdict Python last gave, empty before any Check: {"status", "html",
    # "score" (the score line), "request" (the check_requests it answers)}.
    verdict = traitlets.Dict().tag(sync=True)

    def press_check(self) -> None:
        """Do what pressing Check in the browser does."""
        self.check_requests += 1
