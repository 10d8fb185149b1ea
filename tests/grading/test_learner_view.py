"""Binder's learner view: nbgrader's instructor tools are switched off, validation stays."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

from jupyter_server.extension.config import ExtensionConfigManager

from coopcourse.grading.classroom.learner_view import LAB_PLUGINS, hide_instructor_tools

COURSE_ROOT = Path(__file__).resolve().parents[2]


def test_instructor_server_extensions_are_disabled_in_the_same_environment(tmp_path):
    # As on Binder: nbgrader's own file enables its extensions in the same folder.
    installed = Path(sys.prefix) / "etc" / "jupyter" / "jupyter_server_config.d" / "nbgrader.json"
    shipped = json.dumps(
        {
            "ServerApp": {
                "jpserver_extensions": {
                    "nbgrader.server_extensions.formgrader": True,
                    "nbgrader.server_extensions.validate_assignment": True,
                    "nbgrader.server_extensions.assignment_list": True,
                    "nbgrader.server_extensions.course_list": True,
                }
            }
        }
    )
    (tmp_path / "jupyter_server_config.d").mkdir()
    target = tmp_path / "jupyter_server_config.d" / "nbgrader.json"
    if installed.exists():
        shutil.copy(installed, target)
    else:
        target.write_text(shipped, encoding="utf-8")
    hide_instructor_tools(tmp_path)
    effective = ExtensionConfigManager(read_config_path=[str(tmp_path)]).get_jpserver_extensions()
    assert effective["nbgrader.server_extensions.formgrader"] is False
    assert effective["nbgrader.server_extensions.course_list"] is False
    assert effective["nbgrader.server_extensions.assignment_list"] is False
    assert effective["nbgrader.server_extensions.validate_assignment"] is True


def test_instructor_lab_plugins_are_disabled_and_other_settings_kept(tmp_path):
    page_config = tmp_path / "labconfig" / "page_config.json"
    page_config.parent.mkdir()
    page_config.write_text(json.dumps({"disabledExtensions": {"other:plugin": True}}))
    hide_instructor_tools(tmp_path)
    disabled = json.loads(page_config.read_text())["disabledExtensions"]
    assert disabled["other:plugin"] is True
    assert all(disabled[plugin] is True for plugin in LAB_PLUGINS)
    assert "@jupyter/nbgrader:validate-assignment" not in disabled
