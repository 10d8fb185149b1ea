from __future__ import annotations

import matplotlib.pyplot as plt
import pytest

from coopcourse.figures import show_figure


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
