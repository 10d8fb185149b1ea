from __future__ import annotations

import matplotlib.pyplot as plt
import pytest

from coopcourse.figure_display import show_figure


def test_figure_carries_alt_text_in_html_and_text():
    fig, ax = plt.subplots()
    ax.plot([0, 1], [1, 0])
    shown = show_figure(fig, 'A line falling from 1 to 0 "steeply"', caption="Figure 1")
    bundle = shown._repr_mimebundle_()
    assert 'alt="A line falling from 1 to 0 &quot;steeply&quot;"' in bundle["text/html"]
    assert "<figcaption>Figure 1</figcaption>" in bundle["text/html"]
    assert bundle["text/plain"].startswith("Figure: A line falling")
    assert len(bundle["image/png"]) > 100


def test_figure_without_alt_text_is_refused():
    fig, _ = plt.subplots()
    with pytest.raises(ValueError, match="alt text"):
        show_figure(fig, "  ")


def test_course_figures_leave_the_learners_plot_backend_alone():
    """After a lesson draws its figures, a learner's own plt.show() still shows inline."""
    import os
    import subprocess
    import sys

    script = (
        "import matplotlib\n"
        "from matplotlib.figure import Figure\n"
        "from coopcourse import figure_display, model_plots, timeline\n"
        "fig = Figure()\n"
        "fig.add_subplot().plot([0, 1], [1, 0])\n"
        "figure_display.show_figure(fig, 'a falling line')\n"
        "print(matplotlib.get_backend())\n"
    )
    inline = "module://matplotlib_inline.backend_inline"
    result = subprocess.run(
        [sys.executable, "-c", script],
        env={**os.environ, "MPLBACKEND": inline},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip().splitlines()[-1] == inline
