"""Licence files, citation metadata and the README agree on what is under which licence."""

from __future__ import annotations

import tomllib

import yaml

from tests.lesson_files import COURSE_ROOT


def test_code_licence_is_mit_and_names_the_content_licence():
    text = (COURSE_ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License")
    assert "LICENSE-CONTENT.md" in text and "seeds/README.md" in text


def test_content_licence_covers_each_part_and_excludes_the_seeds():
    text = (COURSE_ROOT / "LICENSE-CONTENT.md").read_text(encoding="utf-8")
    for part in ("lessons/", "quizbanks", "exercises/", "solutions/", "coopcourse/"):
        assert part in text, part
    assert "CC BY 4.0" in text and "MIT" in text
    for seed in (COURSE_ROOT / "seeds").glob("*.txt"):
        assert f"seeds/{seed.name}" in text, f"{seed.name} must be listed as not licensed"
    assert "Not licensed by this course" in text


def test_pyproject_citation_and_readme_agree():
    project = tomllib.loads((COURSE_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["project"]["license"] == "MIT AND CC-BY-4.0"
    for name in project["project"]["license-files"]:
        assert (COURSE_ROOT / name).is_file(), name
    citation = yaml.safe_load((COURSE_ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert citation["cff-version"] == "1.2.0"
    assert set(citation["license"]) == {"MIT", "CC-BY-4.0"}
    assert citation["version"] == project["project"]["version"]
    readme = (COURSE_ROOT / "README.md").read_text(encoding="utf-8")
    licence_section = readme.split("## Licence", 1)[1]
    assert "CC BY 4.0" in licence_section and "MIT" in licence_section
    assert "seeds/README.md" in licence_section


def test_community_files_are_linked_from_the_readme():
    readme = (COURSE_ROOT / "README.md").read_text(encoding="utf-8")
    for name in ("CONTRIBUTING.md", "CODE_OF_CONDUCT.md", "LICENSE-CONTENT.md", "CITATION.cff"):
        assert (COURSE_ROOT / name).is_file(), name
        assert f"]({name})" in readme, f"README should link {name}"
