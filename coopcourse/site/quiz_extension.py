"""Sphinx extension: the lessons' widgets as static HTML, for the course website.

Sphinx cannot show ipywidgets without a kernel, so before MyST-NB reads a
lesson (Sphinx's ``source-read`` event) this extension rewrites the notebook:

* a cell that only asks ``quiz.question("<id>")`` gets, as its output, that
  question built from the same YAML bank (:mod:`coopcourse.site.quiz_html`),
  and its code is hidden;
* ``quiz.scoreboard()`` becomes a plain score line, ``progress_table()`` a
  table filled in from the browser's storage, and a cell that only creates
  the lesson's quiz is hidden;
* a model explorer becomes its saved picture, with its text summary as alt
  text and caption, and links to run it live on Binder or a JupyterHub;
* links to repository files that are not on the site point at the repository.

It also writes mathematics as MathML when the site is built, so pages need no
MathJax from a CDN, and adds the quiz's script and style sheet.
"""

from __future__ import annotations

import html
import posixpath
import re
from pathlib import Path

import nbformat
from docutils import nodes

from coopcourse.hub import COURSE_BRANCH, COURSE_REPOSITORY, nbgitpuller_link
from coopcourse.quiz.bank import bank_paths, load_bank, load_bank_file
from coopcourse.site import quiz_html

STATIC = Path(__file__).resolve().parent / "static"
BINDER = "https://mybinder.org/v2/gh/coopcourse/mutuals-course/HEAD"

QUESTION_CELL = re.compile(r"""^\s*quiz\.question\(\s*["']([^"']+)["']\s*\)\s*;?\s*$""")
SCOREBOARD_CELL = re.compile(r"^\s*quiz\.scoreboard\(\)\s*;?\s*$")
PROGRESS_CELL = re.compile(r"^\s*progress_table\(\)\s*;?\s*$")
LESSON_QUIZ = re.compile(r"""LessonQuiz\(\s*["']([^"']+)["']""")
_QUIZ_SETUP_LINE = re.compile(
    r"""^(from coopcourse\.quiz import .*|import coopcourse\.quiz.*|"""
    r"""quiz\s*=\s*LessonQuiz\(.*\))$"""
)
_MARKDOWN_LINK = re.compile(r"(\]\()(<?)([^)\s>]+)(>?)((?:\s+\"[^\"]*\")?\))")
# The glossary's <a id="..."></a> anchors, as MyST targets that other pages' links resolve.
_HTML_ANCHOR = re.compile(r'^<a id="([A-Za-z0-9_-]+)"></a>[ \t]*$', re.MULTILINE)
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


def binder_link(notebook: str) -> str:
    """The README's Binder link, opening ``notebook`` (a path in the repository)."""
    return f"{BINDER}?urlpath=lab/tree/{notebook}"


def _code_lines(source: str) -> list[str]:
    """A cell's lines without blanks and comments (such as ``# NBVAL_IGNORE_OUTPUT``)."""
    return [
        line.strip()
        for line in source.splitlines()
        if line.strip() and not line.strip().startswith("#")
    ]


def _html_output(markup: str):
    return nbformat.v4.new_output(
        "display_data", data={"text/html": markup, "text/plain": "(shown on the website)"}
    )


def _tag(cell, tag: str) -> None:
    tags = list(cell.metadata.get("tags", []))
    if tag not in tags:
        tags.append(tag)
    cell.metadata["tags"] = tags


def _explorer_output(cell, notebook_path: str, hub_url: str | None):
    """The explorer's saved picture, its text summary, and links to run it live."""
    image = summary = None
    for output in cell.get("outputs", []):
        data = output.get("data", {})
        image = image or data.get("image/png")
        summary = summary or data.get("text/plain")
    if not image:
        return None
    summary = (summary or "").strip()
    links = [f'<a href="{html.escape(binder_link(notebook_path))}">on Binder</a>']
    if hub_url:
        hub = nbgitpuller_link(hub_url, notebook=notebook_path)
        links.append(f'<a href="{html.escape(hub)}">on your JupyterHub</a>')
    else:
        links.append(
            f'<a href="{COURSE_REPOSITORY}#running-the-course-on-a-jupyterhub">'
            "on a JupyterHub</a> (your instructor's link, made with "
            "<code>coopcourse hub-link</code>)"
        )
    return _html_output(
        '<figure class="coopcourse-site-explorer">'
        f'<img src="data:image/png;base64,{image.strip()}" alt="{html.escape(summary)}">'
        f"<figcaption>{html.escape(summary)}</figcaption></figure>"
        '<p class="coopcourse-site-run-live"><strong>This is a fixed picture</strong> of the '
        "model at its starting settings. To move its sliders, run it live "
        + " or ".join(links)
        + ".</p>"
    )


def transform_notebook(
    notebook, notebook_path: str, *, hub_url: str | None = None, banks=None
) -> None:
    """Rewrite a lesson in place for the website (see the module's docstring)."""
    lesson = None
    for cell in notebook.cells:
        if cell.cell_type == "code":
            match = LESSON_QUIZ.search(cell.source)
            if match:
                lesson = match.group(1)
                break
    bank = load_bank(lesson) if lesson else None
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            continue
        if cell.cell_type != "code":
            continue
        lines = _code_lines(cell.source)
        question = QUESTION_CELL.match(cell.source)
        if question:
            if bank is None:
                raise ValueError(f"{notebook_path}: quiz.question() without a LessonQuiz")
            cell.outputs = [_html_output(quiz_html.question_html(bank, question.group(1)))]
            _tag(cell, "remove-input")
        elif SCOREBOARD_CELL.match(cell.source) and bank is not None:
            cell.outputs = [_html_output(quiz_html.score_html(bank))]
            _tag(cell, "remove-input")
        elif len(lines) == 1 and PROGRESS_CELL.match(lines[0]):
            all_banks = banks if banks is not None else [load_bank_file(p) for p in bank_paths()]
            cell.outputs = [_html_output(quiz_html.progress_html(all_banks))]
            _tag(cell, "remove-input")
        elif lines and all(_QUIZ_SETUP_LINE.match(line) for line in lines):
            _tag(cell, "remove-cell")
        elif "coopcourse.views" in cell.source:
            output = _explorer_output(cell, notebook_path, hub_url)
            if output is not None:
                cell.outputs = [output]


def rewrite_links(text: str, doc_path: str, on_site) -> str:
    """Point links to repository files that are not on the site at the repository."""

    def replace(match: re.Match) -> str:
        target = match.group(3)
        if _SCHEME.match(target) or target.startswith(("#", "/")):
            return match.group(0)
        path, _, fragment = target.partition("#")
        resolved = posixpath.normpath(posixpath.join(posixpath.dirname(doc_path), path))
        if resolved.startswith("..") or on_site(resolved):
            return match.group(0)
        url = f"{COURSE_REPOSITORY}/blob/{COURSE_BRANCH}/{resolved}"
        if fragment:
            url += f"#{fragment}"
        return f"{match.group(1)}{match.group(2)}{url}{match.group(4)}{match.group(5)}"

    return _MARKDOWN_LINK.sub(replace, text)


def _on_source_read(app, docname: str, source: list[str]) -> None:
    path = Path(app.env.doc2path(docname))
    relative = path.relative_to(app.srcdir).as_posix()

    def on_site(target: str) -> bool:
        return (Path(app.srcdir) / target).exists()

    if path.suffix == ".ipynb":
        notebook = nbformat.reads(source[0], as_version=4)
        transform_notebook(notebook, relative, hub_url=app.config.coopcourse_hub_url or None)
        for cell in notebook.cells:
            if cell.cell_type == "markdown":
                cell.source = rewrite_links(cell.source, relative, on_site)
        source[0] = nbformat.writes(notebook)
    elif path.suffix == ".md":
        text = _HTML_ANCHOR.sub(r"(\1)=", source[0])
        source[0] = rewrite_links(text, relative, on_site)


# -- mathematics as MathML ------------------------------------------------------


def _mathml(latex: str, display: str) -> str:
    from latex2mathml.converter import convert

    return convert(latex.strip(), display=display)


def _visit_math(self, node) -> None:
    self.body.append(
        f'<span class="math coopcourse-math">{_mathml(node.astext(), "inline")}</span>'
    )
    raise nodes.SkipNode


def _visit_displaymath(self, node) -> None:
    self.body.append(self.starttag(node, "div", CLASS="coopcourse-math-block"))
    self.body.append(_mathml(node.astext(), "block"))
    self.body.append("</div>\n")
    raise nodes.SkipNode


# -- static files -----------------------------------------------------------------


def _add_static(app) -> None:
    if app.builder.format == "html":
        app.config.html_static_path.append(str(STATIC))


def setup(app):
    app.add_config_value("coopcourse_hub_url", "", "html")
    app.connect("source-read", _on_source_read)
    app.connect("builder-inited", _add_static)
    app.add_html_math_renderer(
        "coopcourse_mathml", (_visit_math, None), (_visit_displaymath, None)
    )
    app.add_css_file("coopcourse-site.css")
    app.add_js_file("coopcourse-site.js", loading_method="defer")
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
