"""Show a matplotlib figure with alt text, in every front end.

The figure is sent as HTML (an ``<img>`` with ``alt`` and a caption, which
screen readers read) plus PNG and a plain-text description as fallbacks.
"""

from __future__ import annotations

import base64
import html
import io
import sys


def figure_png(fig) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=100, bbox_inches="tight")
    return buffer.getvalue()


def img_tag(png: bytes, alt_text: str) -> str:
    encoded = base64.b64encode(png).decode("ascii")
    return f'<img src="data:image/png;base64,{encoded}" alt="{html.escape(alt_text, quote=True)}"/>'


class AccessibleFigure:
    """A rendered figure with its alt text; displays as HTML, PNG or text."""

    def __init__(self, fig, alt_text: str, caption: str | None = None):
        if not alt_text or not alt_text.strip():
            raise ValueError("Every figure needs alt text that describes what it shows")
        self.alt_text = alt_text.strip()
        self.caption = caption
        self.png = figure_png(fig)
        # The course builds figures without pyplot, so the learner's own backend
        # (inline plots) is never switched; a pyplot figure is closed once rendered.
        pyplot = sys.modules.get("matplotlib.pyplot")
        if pyplot is not None:
            pyplot.close(fig)

    def __repr__(self) -> str:
        return f"Figure: {self.alt_text}"

    def _repr_mimebundle_(self, include=None, exclude=None):
        caption = f"<figcaption>{html.escape(self.caption)}</figcaption>" if self.caption else ""
        return {
            "text/html": f'<figure class="coopcourse-figure">{img_tag(self.png, self.alt_text)}'
            f"{caption}</figure>",
            "image/png": base64.b64encode(self.png).decode("ascii"),
            "text/plain": repr(self),
        }


def show_figure(fig, alt_text: str, caption: str | None = None) -> AccessibleFigure:
    """Wrap ``fig`` for display; return it as a cell's last expression."""
    return AccessibleFigure(fig, alt_text, caption)
