"""LabelledSlider: a labelled native range input for the model views.

ipywidgets' FloatSlider draws its handle as a ``<div role="slider">`` that is
not tied to its label, so screen readers announce no name, and its arrow keys
also reach JupyterLab's cell shortcuts. This widget uses a native range input
with a ``<label>``, a formatted spoken value, and suppressed shortcuts.
"""

from __future__ import annotations

import re
from pathlib import Path

import anywidget
import traitlets

_HERE = Path(__file__).resolve().parent
# The front end formats these two kinds of readout: ".2f" (number) and ".0%" (percent).
_READOUT_FORMAT = re.compile(r"\.\d+[f%]")


class LabelledSlider(anywidget.AnyWidget):
    _esm = _HERE / "labelled_slider.js"
    _css = _HERE / "labelled_slider.css"

    description = traitlets.Unicode("").tag(sync=True)
    min = traitlets.Float(0.0).tag(sync=True)
    max = traitlets.Float(1.0).tag(sync=True)
    step = traitlets.Float(0.01).tag(sync=True)
    value = traitlets.Float(0.0).tag(sync=True)
    readout_format = traitlets.Unicode(".2f").tag(sync=True)

    @traitlets.validate("value")
    def _clamp(self, proposal):
        return min(max(proposal["value"], self.min), self.max)

    @traitlets.validate("readout_format")
    def _known_format(self, proposal):
        if not _READOUT_FORMAT.fullmatch(proposal["value"]):
            raise traitlets.TraitError(
                f"readout_format must look like '.2f' or '.0%', not {proposal['value']!r}"
            )
        return proposal["value"]

    @property
    def readout(self) -> str:
        """The value as the slider shows and speaks it."""
        return format(self.value, self.readout_format)
