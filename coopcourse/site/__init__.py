"""The course as a static website: ``coopcourse site build``.

The site is built with Sphinx and MyST-NB from the executed lessons (nothing
is run), with the sphinx-book-theme, and needs no network to build or to read.
The quizzes, which are widgets in JupyterLab, are rebuilt from the same YAML
banks by :mod:`coopcourse.site.quiz_extension`.
"""

from __future__ import annotations

import io
import shutil
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
COURSE_ROOT = HERE.parents[1]
DEFAULT_OUT = Path("_build") / "site"

# What the site shows, as paths in the repository (the site keeps the same layout,
# so links between these files work unchanged).
SITE_FILES = (
    "lessons/*.ipynb",
    "lessons/glossary.md",
    "docs/instructor-guide.md",
    "seeds/README.md",
)


def find_course_root() -> Path:
    """The course folder: the current folder if it holds lessons/, else this package's checkout."""
    for candidate in (Path.cwd(), COURSE_ROOT):
        if (candidate / "lessons").is_dir():
            return candidate
    raise SiteBuildError("no lessons/ folder here: run this in the course's folder")


class SiteBuildError(RuntimeError):
    """The site could not be built; the message holds Sphinx's warnings."""


def stage_sources(course_root: Path, staging: Path) -> list[str]:
    """Copy the site's pages into ``staging``, keeping their paths; return those paths."""
    copied = []
    for pattern in SITE_FILES:
        for path in sorted(course_root.glob(pattern)):
            relative = path.relative_to(course_root)
            target = staging / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
            copied.append(relative.as_posix())
    shutil.copyfile(HERE / "pages" / "index.md", staging / "index.md")
    return copied


def build_site(
    out: str | Path = DEFAULT_OUT,
    *,
    course_root: str | Path | None = None,
    hub_url: str | None = None,
    quiet: bool = True,
) -> Path:
    """Build the website into ``out`` and return the path of its front page."""
    from sphinx.application import Sphinx
    from sphinx.util.console import nocolor
    from sphinx.util.docutils import docutils_namespace, patch_docutils

    course_root = Path(course_root or find_course_root()).resolve()
    if not (course_root / "lessons").is_dir():
        raise SiteBuildError(f"{course_root} has no lessons/ folder: run this in the course")
    out = Path(out).resolve()
    nocolor()
    warnings = io.StringIO()
    with tempfile.TemporaryDirectory(prefix="coopcourse-site-") as work:
        staging = Path(work) / "src"
        staging.mkdir()
        stage_sources(course_root, staging)
        if out.exists():
            shutil.rmtree(out)
        with patch_docutils(str(HERE)), docutils_namespace():
            app = Sphinx(
                srcdir=str(staging),
                confdir=str(HERE),
                outdir=str(out),
                doctreedir=str(Path(work) / "doctrees"),
                buildername="html",
                confoverrides={"coopcourse_hub_url": hub_url or ""},
                status=None if quiet else io.StringIO(),
                warning=warnings,
                freshenv=True,
            )
            app.build()
        if app.statuscode:
            raise SiteBuildError(f"Sphinx failed:\n{warnings.getvalue()}")
    (out / ".nojekyll").write_text("", encoding="utf-8")  # GitHub Pages: serve _static/ as is
    problems = warnings.getvalue().strip()
    if problems:
        raise SiteBuildError(f"the site was built with warnings:\n{problems}")
    return out / "index.html"
