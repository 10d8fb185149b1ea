"""Sphinx configuration of the course website (used by ``coopcourse site build``).

Everything the site needs at read time is served from the site itself: the
theme's fonts and scripts are bundled with it, mathematics is written out as
MathML when the site is built (no MathJax from a CDN), and the quizzes are
plain HTML with one small script (``coopcourse/site/static``).
"""

from coopcourse.hub import COURSE_BRANCH, COURSE_REPOSITORY

project = "Mutuals, co-ops and the state"
author = "The course's contributors"
copyright = "the course's contributors; text CC BY 4.0, code MIT"  # noqa: A001

extensions = ["myst_nb", "coopcourse.site.quiz_extension"]

root_doc = "index"
exclude_patterns = ["_build", ".doctrees", "**.ipynb_checkpoints"]
language = "en"

# The lessons are saved executed; the site never runs them.
nb_execution_mode = "off"
# Widget outputs are replaced by the quiz extension; never load ipywidgets' scripts from a CDN.
nb_ipywidgets_js = {}
nb_mime_priority_overrides = [
    ("html", "application/vnd.jupyter.widget-view+json", None),
    ("html", "application/vnd.jupyter.widget-state+json", None),
]
nb_merge_streams = True
myst_enable_extensions = ["dollarmath", "amsmath", "colon_fence"]
myst_heading_anchors = 3
# A code block in a language Pygments does not know is shown plain, not an error.
suppress_warnings = ["mystnb.unknown_mime_type", "myst.header", "misc.highlighting_failure"]

# Mathematics as MathML, written when the site is built (see quiz_extension.py).
html_math_renderer = "coopcourse_mathml"

templates_path = ["templates"]
html_theme = "sphinx_book_theme"
html_title = "Mutuals, co-ops and the state"
html_static_path = []
html_last_updated_fmt = None
html_copy_source = False
html_show_sourcelink = False
html_theme_options = {
    "repository_url": COURSE_REPOSITORY,
    "repository_branch": COURSE_BRANCH,
    "path_to_docs": "",
    "use_repository_button": True,
    "use_download_button": False,
    "use_fullscreen_button": False,
    "launch_buttons": {
        "binderhub_url": "https://mybinder.org",
        "notebook_interface": "jupyterlab",
    },
    "home_page_in_toc": True,
    "show_navbar_depth": 1,
    "show_toc_level": 2,
    # No icon links, no version switcher, no analytics: nothing fetched from elsewhere.
    "icon_links": [],
    "navigation_with_keys": False,
    # The book theme's own header holds the buttons; no second search box above it.
    "navbar_start": [],
    "navbar_center": [],
    "navbar_end": [],
    "navbar_persistent": [],
}
html_favicon = "static/favicon.svg"
html_context = {"default_mode": "light"}
