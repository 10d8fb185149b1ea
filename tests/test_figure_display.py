from __future__ import annotations

import io

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pytest
from PIL import Image

from coopcourse.figure_display import figure_png, show_figure


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


# ---- the PNG: one draw, cropped as savefig(bbox_inches="tight") crops ----------------------


def _labelled_figure(**kwargs):
    from matplotlib.figure import Figure

    fig = Figure(figsize=(5, 3), **kwargs)
    ax = fig.add_subplot()
    ax.plot([0, 1, 2], [2, 0, 1], label="a line")
    ax.set_title("A title")
    ax.set_xlabel("Price (£)")
    ax.legend()
    return fig


def _savefig_tight(fig) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=100, bbox_inches="tight")
    return buffer.getvalue()


def _pixels(png: bytes):
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGBA")).astype(int)


def _ink_box(pixels):
    """Rows and columns of the first and last pixels that are not the corner's colour."""
    ink = np.any(pixels != pixels[0, 0], axis=2)
    rows, cols = np.nonzero(ink.any(axis=1))[0], np.nonzero(ink.any(axis=0))[0]
    return rows[0], rows[-1], cols[0], cols[-1]


@pytest.mark.parametrize(
    "kwargs",
    [
        {},  # the tight box lies inside the canvas
        {"layout": "constrained"},  # the padding reaches past the canvas
        {"layout": "constrained", "facecolor": "#fff3d6"},  # ... and is filled in the face colour
    ],
)
def test_png_is_the_picture_savefig_tight_gives(kwargs):
    fast = _pixels(figure_png(_labelled_figure(**kwargs)))
    slow = _pixels(_savefig_tight(_labelled_figure(**kwargs)))
    assert fast.shape == slow.shape
    assert (fast[0, 0] == slow[0, 0]).all()  # the padding's colour
    # Drawn once instead of twice, the picture may sit a fraction of a pixel apart,
    # which changes anti-aliased edges a little and moves nothing by a whole pixel.
    for fast_edge, slow_edge in zip(_ink_box(fast), _ink_box(slow), strict=True):
        assert abs(fast_edge - slow_edge) <= 1
    assert np.abs(fast - slow).mean() < 2


def test_png_falls_back_to_savefig_when_an_artist_leaves_the_canvas():
    def legend_outside():
        fig = _labelled_figure()
        fig.axes[0].legend(loc="upper left", bbox_to_anchor=(1.05, 1))
        return fig

    assert figure_png(legend_outside()) == _savefig_tight(legend_outside())


def test_png_honours_changed_savefig_settings():
    with matplotlib.rc_context({"savefig.facecolor": "#ffeeee"}):
        assert figure_png(_labelled_figure()) == _savefig_tight(_labelled_figure())


def test_png_leaves_the_figure_as_it_was():
    fig, ax = plt.subplots(figsize=(4, 3), dpi=72)
    ax.plot([0, 1], [1, 0])
    canvas = fig.canvas
    png = figure_png(fig)
    assert fig.dpi == 72
    assert fig.canvas is canvas
    assert _pixels(png).shape == _pixels(_savefig_tight(fig)).shape  # drawn at 100 dpi
    plt.close(fig)
