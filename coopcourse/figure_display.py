"""Show a matplotlib figure with alt text, in every front end.

The figure is sent as HTML (an ``<img>`` with ``alt`` and a caption, which
screen readers read) plus PNG and a plain-text description as fallbacks.
"""

from __future__ import annotations

import base64
import html
import io
import sys

DPI = 100


def figure_png(fig) -> bytes:
    """``fig`` as PNG at ``DPI``, cropped to its contents as ``bbox_inches="tight"`` crops.

    ``savefig(bbox_inches="tight")`` lays the figure out and draws it twice (once to
    measure, once to render), which for a figure full of text is most of the cost of
    showing it. Here it is drawn once and the picture is cut out of the full canvas.
    The result is the same size and picture, up to a shift of less than a pixel.
    When something is drawn outside the canvas (so the tight box is larger than the
    figure), or the savefig settings are not the defaults, savefig itself is used.
    """
    # matplotlib is imported here, not at the top, so code that only shows ready-made
    # PNGs (img_tag) never pays for it.
    import matplotlib as mpl
    from matplotlib import image
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    if (mpl.rcParams["savefig.facecolor"] != "auto"
            or mpl.rcParams["savefig.edgecolor"] != "auto"
            or mpl.rcParams["savefig.transparent"]):
        return _savefig_png(fig)
    old_canvas, old_dpi = fig.canvas, fig.dpi
    # A figure that already has an Agg canvas (argument_map.draw_map gives it one to
    # measure its boxes) keeps it: its renderer has those text sizes cached.
    canvas = old_canvas if isinstance(old_canvas, FigureCanvasAgg) else FigureCanvasAgg(fig)
    try:
        fig.dpi = DPI
        canvas.draw()
        cropped = _crop_to_contents(fig, canvas)
    finally:
        fig.dpi = old_dpi
        if canvas is not old_canvas:
            fig.set_canvas(old_canvas)
    if cropped is None:
        return _savefig_png(fig)
    buffer = io.BytesIO()
    image.imsave(buffer, cropped, format="png", dpi=DPI)
    return buffer.getvalue()


def _savefig_png(fig) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI, bbox_inches="tight")
    return buffer.getvalue()


def _crop_to_contents(fig, canvas):
    """The drawn canvas cut to the tight box plus savefig's padding (an RGBA array),
    or None if some artist reaches beyond the canvas."""
    import matplotlib as mpl
    import numpy as np
    from matplotlib import colors

    width, height = canvas.get_width_height()
    tight = fig.get_tightbbox(canvas.get_renderer())  # inches
    if (tight.x0 < 0 or tight.y0 < 0
            or tight.x1 * DPI > width or tight.y1 * DPI > height):
        return None
    box = tight.padded(mpl.rcParams["savefig.pad_inches"])
    # The same size and offset savefig gives the cropped figure (its y axis points up).
    out_width, out_height = int(box.width * DPI), int(box.height * DPI)
    left = round(box.x0 * DPI)
    top = round(height - out_height - box.y0 * DPI)
    # The padding may reach past the canvas; savefig fills it with the figure's colour.
    face = colors.to_rgba(fig.get_facecolor()) if fig.patch.get_visible() else (0, 0, 0, 0)
    out = np.empty((out_height, out_width, 4), dtype=np.uint8)
    out[...] = np.round(np.array(face) * 255).astype(np.uint8)
    pixels = np.asarray(canvas.buffer_rgba())
    src_top, src_left = max(top, 0), max(left, 0)
    src_bottom, src_right = min(top + out_height, height), min(left + out_width, width)
    out[src_top - top:src_bottom - top, src_left - left:src_right - left] = (
        pixels[src_top:src_bottom, src_left:src_right])
    return out


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
