"""The shared shell of the model views: sliders, a figure and a summary.

The figure is an ``<img alt="...">`` inside an HTML widget (not an Output
widget, which nbval cannot replay), the summary is plain language in an HTML
widget, and the text/plain and image/png fallbacks show the same content in
front ends without widgets (GitHub, nbviewer) and under nbval.
"""

from __future__ import annotations

import base64
import html

import ipywidgets as widgets
from matplotlib.figure import Figure

from coopcourse.figure_display import figure_png, img_tag
from coopcourse.views.labelled_slider import LabelledSlider
from coopcourse.widget_text import FullTextRepr


def slider(description: str, value: float, low: float, high: float, step: float,
           readout_format: str) -> LabelledSlider:
    """A keyboard-operable slider whose description is its accessible name."""
    # Set the range before the value, which is clamped to it.
    control = LabelledSlider(
        description=description,
        min=min(low, value),
        max=max(high, value),
        step=step,
        readout_format=readout_format,
    )
    control.value = value
    return control


class ModelExplorer(FullTextRepr, widgets.VBox):
    """Sliders on top, then the figure, then a plain-language reading of it."""

    def __init__(self, sliders: dict[str, LabelledSlider]):
        self.sliders = sliders
        controls = widgets.VBox(list(sliders.values()))
        controls.add_class("coopcourse-model-controls")
        self.figure = widgets.HTML()
        self.figure.add_class("coopcourse-model-figure")
        self.summary = widgets.HTML()
        self.summary.add_class("coopcourse-model-summary")
        self.summary_text = ""
        self.alt_text = ""
        self.png = b""
        super().__init__([controls, self.figure, self.summary])
        self.add_class("coopcourse-model")
        for control in sliders.values():
            control.observe(self._on_slider_change, names="value")
        self.refresh()

    @property
    def values(self) -> dict[str, float]:
        """The current slider settings, by parameter name."""
        return {name: control.value for name, control in self.sliders.items()}

    def draw(self, values: dict[str, float]) -> tuple[Figure, str, str]:
        """Return (figure, alt text, summary text) for the given settings."""
        raise NotImplementedError("each explorer draws its own model")

    def refresh(self) -> None:
        """Redraw the figure and rewrite the summary from the sliders."""
        fig, alt_text, summary = self.draw(self.values)
        self.png = figure_png(fig)
        self.alt_text = alt_text
        self.summary_text = summary
        self.figure.value = f"<figure>{img_tag(self.png, alt_text)}</figure>"
        self.summary.value = (
            f'<p role="status" aria-live="polite">{html.escape(summary)}</p>'
        )

    def _on_slider_change(self, _change) -> None:
        self.refresh()

    # -- fallbacks where widgets do not render -------------------------------
    def __repr__(self) -> str:
        return self.summary_text

    def _repr_mimebundle_(self, **kwargs):
        # The whole summary as text (FullTextRepr), and a static picture for
        # renderers without widgets.
        bundle = super()._repr_mimebundle_(**kwargs) or {"text/plain": repr(self)}
        bundle["image/png"] = base64.b64encode(self.png).decode("ascii")
        return bundle
