"""The course policy page (docs/policy.md) agrees with the course it describes.

The page states points, settings and their defaults, commands, a worked final
mark, a late-penalty example and links into the instructor guide; each test
reads one of those from the page and checks it against the notebooks, the
grader's declared settings, the command-line parser or the grading code.
"""

from __future__ import annotations

import ast
import json
import re
import shlex
from pathlib import Path

import pytest
from traitlets.config.loader import PyFileConfigLoader

from coopcourse.cli import build_parser
from coopcourse.grading.classroom.course_gradebook import FINAL, final_mark, read_weights
from coopcourse.grading.classroom.late import LatePolicy, late_penalty, parse_time, seconds_late
from coopcourse.grading.settings import CONFIG_NAME, CourseGrader, grader_settings

COURSE_ROOT = Path(__file__).resolve().parent.parent
PAGE = COURSE_ROOT / "docs" / "policy.md"
GUIDE = COURSE_ROOT / "docs" / "instructor-guide.md"
SOLUTIONS = COURSE_ROOT / "solutions"

SECTIONS = [
    "1. Submitting your work",
    "2. How your work is marked",
    "3. Late work and extensions",
    "4. Academic integrity and AI tools",
    "5. Regrade requests",
    "6. Weights and your final mark",
    "7. For instructors: before you release",
]

ASSIGNMENTS = sorted(
    path.name for path in SOLUTIONS.iterdir() if (path / f"{path.name}.ipynb").is_file()
)

INTRO_POINTS = re.compile(
    r"\*\*Points:\*\*\s*(\d+)\s*\((\d+) marked automatically, (\d+) marked by hand\)"
)
SETTING = re.compile(r"c\.CourseGrader\.(\w+)")


def page() -> str:
    return PAGE.read_text(encoding="utf-8")


def table_rows(text: str) -> list[list[str]]:
    """Every Markdown table row of ``text`` as a list of stripped cells (no separators)."""
    rows = []
    for line in text.splitlines():
        line = line.strip()
        if not (line.startswith("|") and line.endswith("|")):
            continue
        cells = [cell.strip() for cell in line[1:-1].split("|")]
        if all(set(cell) <= set("-: ") for cell in cells):
            continue
        rows.append(cells)
    return rows


def fenced_blocks(text: str, language: str) -> list[str]:
    return re.findall(rf"^```{language}\n(.*?)^```", text, flags=re.M | re.S)


def intro_points(assignment: str) -> tuple[int, int, int]:
    """(total, automatic, by hand) as the assignment's first cell states them."""
    notebook = json.loads((SOLUTIONS / assignment / f"{assignment}.ipynb").read_text("utf-8"))
    first = "".join(notebook["cells"][0]["source"])
    found = INTRO_POINTS.search(first)
    assert found, f"{assignment}: the first cell states no '**Points:** N (A ..., M ...)'"
    return tuple(int(number) for number in found.groups())


def points_table() -> dict[str, tuple[int, int, int]]:
    """Assignment -> (points, automatic, by hand) from the page's weights table."""
    found = {}
    for cells in table_rows(page()):
        names = [cell.strip("`") for cell in cells if re.fullmatch(r"`a\d_\w+`", cell)]
        if len(names) == 1 and len(cells) >= 5:
            index = cells.index(f"`{names[0]}`")
            numbers = cells[index + 1 : index + 4]
            if all(number.isdigit() for number in numbers):
                found[names[0]] = tuple(int(number) for number in numbers)
    return found


def shipped_grader() -> CourseGrader:
    """The course grader's settings as the course's nbgrader_config.py sets them."""
    config = PyFileConfigLoader(CONFIG_NAME, path=str(COURSE_ROOT)).load_config()
    return grader_settings(config)


def github_slug(heading: str) -> str:
    text = heading.strip().lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


# (d) the seven sections


def test_page_has_the_seven_sections_in_order():
    headings = re.findall(r"^## (.+?)\s*$", page(), flags=re.M)
    assert headings == SECTIONS


# (a) points


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_page_states_each_assignments_points_as_its_notebook_does(assignment):
    table = points_table()
    assert assignment in table, f"the page's points table has no row for `{assignment}`"
    assert table[assignment] == intro_points(assignment), (
        f"{assignment}: the page says (points, automatic, by hand) = {table[assignment]}, "
        f"the notebook's first cell says {intro_points(assignment)}"
    )


def test_page_lists_no_assignment_the_course_does_not_have():
    assert sorted(points_table()) == ASSIGNMENTS


# (b) settings


def test_every_course_grader_setting_the_page_names_is_declared():
    named = sorted(set(SETTING.findall(page())))
    assert named, "the page names no c.CourseGrader setting"
    declared = set(CourseGrader.class_trait_names(config=True))
    unknown = [name for name in named if name not in declared]
    assert not unknown, f"not settings of CourseGrader: {unknown}; declared: {sorted(declared)}"


def stated_defaults() -> dict[str, object]:
    """Setting -> the default the page states, from table rows and 'default `V`' phrases."""
    text = page()
    stated = {}
    for cells in table_rows(text):
        if len(cells) >= 2 and re.fullmatch(r"`c\.CourseGrader\.\w+`", cells[0]):
            value = re.fullmatch(r"`(.+)`", cells[1])
            if value:
                stated[cells[0].strip("`").split(".")[-1]] = ast.literal_eval(value.group(1))
    for name, value in re.findall(r"`c\.CourseGrader\.(\w+)`, default `([^`]+)`", text):
        stated[name] = ast.literal_eval(value)
    return stated


def test_defaults_the_page_states_are_those_of_the_shipped_configuration():
    stated = stated_defaults()
    assert {"late_penalty", "late_deduction", "late_unit", "late_cap"} <= set(stated)
    assert {"late_grace_minutes", "time_zone", "cell_timeout"} <= set(stated)
    grader = shipped_grader()
    missing = "(not a setting)"
    wrong = {
        name: (value, getattr(grader, name, missing))
        for name, value in stated.items()
        if getattr(grader, name, missing) != value
    }
    assert not wrong, f"setting: (the page's default, nbgrader_config.py's value): {wrong}"


def test_no_late_penalty_as_shipped_matches_the_configuration():
    assert "As the course is shipped, there is no late penalty" in " ".join(page().split())
    assert shipped_grader().late_penalty == "none"


def test_late_penalty_example_follows_the_grading_code():
    example = {}
    for cells in table_rows(page()):
        if re.fullmatch(r"`c\.CourseGrader\.late_\w+`", cells[0]) and len(cells) >= 4:
            value = re.match(r"`([^`]+)`", cells[3])
            example[cells[0].strip("`").split(".")[-1]] = ast.literal_eval(value.group(1))
    guide = dict(
        re.findall(r"^c\.CourseGrader\.(late_\w+) = (\S+)", GUIDE.read_text("utf-8"), re.M)
    )
    for name, value in example.items():
        assert name in guide, f"the guide's late-work example does not set {name}"
        assert ast.literal_eval(guide[name]) == value, f"{name}: not the guide's example"
    policy = LatePolicy(
        example["late_penalty"],
        example["late_deduction"],
        example["late_unit"],
        example["late_cap"],
        example["late_grace_minutes"],
    )
    text = " ".join(page().split())
    stated = re.search(
        r"handed in 1 hour late loses (\d+)% of the assignment's points, "
        r"25 hours late loses (\d+)%, and never more than (\d+)%",
        text,
    )
    assert stated, "the page's worked late-penalty example is missing or reworded"
    one_hour, one_day_one_hour, cap = (float(n) for n in stated.groups())
    assert late_penalty(policy, 100, 100, 3600) == pytest.approx(one_hour)
    assert late_penalty(policy, 100, 100, 25 * 3600) == pytest.approx(one_day_one_hour)
    assert late_penalty(policy, 100, 100, 400 * 86400) == pytest.approx(cap)
    assert late_penalty(policy, 100, 100, policy.grace_minutes * 60) == 0


def test_clock_change_example_follows_the_grading_code():
    text = " ".join(page().split())
    assert "due at 23:59 on Saturday 28 March 2026 and handed in at 02:30 on Sunday" in text
    stated = re.search(r"after the clocks went forward, is (\d+) hour (\d+) minutes late", text)
    assert stated, "the page's clock-change example is missing or reworded"
    hours, minutes = (int(n) for n in stated.groups())
    due = parse_time("2026-03-28 23:59", "Europe/London")
    handed_in = parse_time("2026-03-29 02:30", "Europe/London")
    assert seconds_late(handed_in, due) == hours * 3600 + minutes * 60


# (c) commands


def shown_commands() -> list[str]:
    text = page()
    commands = []
    for block in fenced_blocks(text, "bash"):
        commands += [line for line in block.splitlines() if line.startswith("coopcourse ")]
    commands += re.findall(r"`(coopcourse [^`]+)`", text)
    return [" ".join(shlex.split(command.split(" #")[0])) for command in commands]


def test_page_shows_course_commands():
    steps = {shlex.split(command)[2] for command in shown_commands() if " class " in command}
    assert {"autograde", "export", "gradebook"} <= steps


@pytest.mark.parametrize("command", sorted(set(shown_commands())))
def test_every_command_the_page_shows_is_accepted_by_the_parser(command, capsys):
    words = shlex.split(command)
    assert words[0] == "coopcourse"
    try:
        args = build_parser().parse_args(words[1:])
    except SystemExit:
        pytest.fail(f"`{command}` is rejected: {capsys.readouterr().err.strip()}")
    assert callable(args.handler)


# weights and the final mark


def weights_file(tmp_path: Path) -> Path:
    blocks = fenced_blocks(page(), "csv")
    assert len(blocks) == 1, "the page should show exactly one weights CSV"
    path = tmp_path / "weights.csv"
    path.write_text(blocks[0], encoding="utf-8")
    return path


def test_weights_example_is_read_by_the_gradebook_and_lists_every_assignment(tmp_path):
    weights = read_weights(weights_file(tmp_path))
    listed = [w.assignment for w in weights if w.assignment != FINAL]
    assert sorted(listed) == ASSIGNMENTS
    assert any(w.assignment == FINAL for w in weights)


def test_worked_final_mark_follows_the_gradebook(tmp_path):
    text = page()
    scores, maxima = {}, {}
    for cells in table_rows(text):
        score = re.fullmatch(r"(\d+) / (\d+)", cells[1]) if len(cells) == 3 else None
        if not (score and re.fullmatch(r"A\d", cells[0])):
            continue
        assignment = next(a for a in ASSIGNMENTS if a.startswith(cells[0].lower() + "_"))
        scores[assignment], maxima[assignment] = (float(n) for n in score.groups())
        share = round(100 * scores[assignment] / maxima[assignment], 2)
        assert float(cells[2].rstrip("%")) == pytest.approx(share), cells
    assert sorted(scores) == ASSIGNMENTS
    assert maxima == {a: float(intro_points(a)[0]) for a in ASSIGNMENTS}
    flat = " ".join(text.split())
    equal = re.search(r"The final mark is the mean of the shares: \*\*([\d.]+)%\*\*", flat)
    weighted = re.search(r"the others 1, it is \*\*([\d.]+)%\*\*", flat)
    assert equal and weighted, "the worked final marks are missing or reworded"
    assert final_mark(scores, maxima, dict.fromkeys(ASSIGNMENTS, 1.0)) == float(equal.group(1))
    weights = read_weights(weights_file(tmp_path))
    csv_weights = {w.assignment: w.weight for w in weights if w.assignment != FINAL}
    assert final_mark(scores, maxima, csv_weights) == float(weighted.group(1))


# links into the instructor guide


def test_links_to_the_instructor_guide_name_real_sections():
    anchors = re.findall(r"\]\(instructor-guide\.md#([^)]+)\)", page())
    assert anchors, "the page links to no section of the instructor guide"
    headings = re.findall(r"^#{1,6} (.+?)\s*$", GUIDE.read_text(encoding="utf-8"), flags=re.M)
    slugs = {github_slug(heading) for heading in headings}
    missing = sorted(set(anchors) - slugs)
    assert not missing, f"no such section in the instructor guide: {missing}"
