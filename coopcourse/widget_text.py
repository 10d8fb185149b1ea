"""Whole plain-text fallbacks for the course's widgets."""

from __future__ import annotations


class FullTextRepr:
    """Mix into an ipywidgets class (before it) so ``text/plain`` is the whole repr.

    ipywidgets cuts a widget's text/plain at 110 characters; the course's widgets
    rely on that text where widgets do not render (GitHub, nbviewer) and under nbval.
    """

    def _repr_mimebundle_(self, **kwargs):
        bundle = super()._repr_mimebundle_(**kwargs)
        if bundle is not None:
            bundle["text/plain"] = repr(self)
        return bundle
