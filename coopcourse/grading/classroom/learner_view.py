"""Hide nbgrader's instructor and exchange tools from learners who have nbgrader installed.

Binder's image has no nbgrader at all. On a machine or hub where learners get
nbgrader (for the Validate button) but no gradebook, the Formgrader, Create
Assignment, Course List and Assignment List panels and the Nbgrader menu would
only confuse them. This turns them off (lab plugins and server
extensions) for one Jupyter installation level; the Validate button stays, and
nbgrader itself stays installed, so ``python -m pytest`` still tests grading.

    python -m coopcourse.grading.classroom.learner_view --sys-prefix   # a learners' image
    python -m coopcourse.grading.classroom.learner_view --user         # this user only
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

LAB_PLUGINS = [
    "@jupyter/nbgrader:formgrader",
    "@jupyter/nbgrader:create-assignment",
    "@jupyter/nbgrader:course-list",
    "@jupyter/nbgrader:assignment-list",
    "@jupyter/nbgrader:menu",
]
SERVER_EXTENSIONS = [
    "nbgrader.server_extensions.formgrader",
    "nbgrader.server_extensions.course_list",
    "nbgrader.server_extensions.assignment_list",
]


SERVER_CONFIG_NAME = "zz-coopcourse-learner-view.json"  # read after nbgrader.json


def config_dir(level: str) -> Path:
    """The Jupyter config folder of this environment (sys-prefix) or of the user."""
    if level == "sys-prefix":
        return Path(sys.prefix) / "etc" / "jupyter"
    from jupyter_core.paths import jupyter_config_dir

    return Path(jupyter_config_dir())


def hide_instructor_tools(folder: Path) -> list[Path]:
    """Write the settings that turn the instructor tools off; return the files written."""
    page_config = folder / "labconfig" / "page_config.json"
    settings = json.loads(page_config.read_text(encoding="utf-8")) if page_config.exists() else {}
    disabled = settings.setdefault("disabledExtensions", {})
    disabled.update({plugin: True for plugin in LAB_PLUGINS})
    page_config.parent.mkdir(parents=True, exist_ok=True)
    page_config.write_text(json.dumps(settings, indent=2) + "\n", encoding="utf-8")

    server_config = folder / "jupyter_server_config.d" / SERVER_CONFIG_NAME
    server_config.parent.mkdir(parents=True, exist_ok=True)
    extensions = {name: False for name in SERVER_EXTENSIONS}
    server_config.write_text(
        json.dumps({"ServerApp": {"jpserver_extensions": extensions}}, indent=2) + "\n",
        encoding="utf-8",
    )
    return [page_config, server_config]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--sys-prefix", dest="level", action="store_const", const="sys-prefix")
    where.add_argument("--user", dest="level", action="store_const", const="user")
    args = parser.parse_args(argv)
    for path in hide_instructor_tools(config_dir(args.level)):
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
