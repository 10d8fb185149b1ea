"""Interactive views (ipywidgets) of the course's models.

Each view is a ``VBox`` of labelled sliders, a figure with alt text and a
plain-language summary that updates when a slider moves. Without a widget
front end it shows as a static picture plus the summary text.
"""

from coopcourse.views.illyrian_view import IllyrianExplorer, illyrian_explorer
from coopcourse.views.mutual_view import MutualExplorer, mutual_explorer

__all__ = ["IllyrianExplorer", "MutualExplorer", "illyrian_explorer", "mutual_explorer"]
