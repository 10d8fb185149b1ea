"""A learner's quiz results, kept in a small JSON file outside the course folder.

The file is ``$COOPCOURSE_PROGRESS_FILE`` if set, else
``$XDG_DATA_HOME/coopcourse/progress.json`` (``~/.local/share/...`` by default),
so results survive a fresh clone or ``git pull`` and never dirty the repository.

A Binder session is thrown away when it ends, and the file with it. So a
learner can copy their results into the course folder with
:func:`keep_progress`, download that file from JupyterLab's file browser, and
in a later session upload it and :func:`restore_progress` from it.
"""

from __future__ import annotations

import html
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from coopcourse.quiz.bank import BankError, bank_paths, load_bank_file


def progress_file() -> Path:
    explicit = os.environ.get("COOPCOURSE_PROGRESS_FILE")
    if explicit:
        return Path(explicit)
    data_home = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(data_home) / "coopcourse" / "progress.json"


def load_progress(path: Path | None = None) -> dict:
    """All recorded results: ``{lesson: {question_id: {"correct": bool, "attempts": n}}}``."""
    path = path or progress_file()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (ValueError, UnicodeDecodeError):
        # Keep the unreadable file for inspection rather than overwrite it.
        path.replace(path.with_suffix(".unreadable.json"))
        return {}
    return data if isinstance(data, dict) else {}


def _save(data: dict, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    # Write then rename, so an interrupted save never leaves half a file.
    with tempfile.NamedTemporaryFile("w", dir=path.parent, delete=False, encoding="utf-8") as out:
        json.dump(data, out, indent=1, sort_keys=True)
    Path(out.name).replace(path)


def record_attempt(lesson: str, question_id: str, correct: bool, path: Path | None = None) -> None:
    """Add one attempt; a question stays correct once answered correctly."""
    path = path or progress_file()
    data = load_progress(path)
    entry = data.setdefault(lesson, {}).setdefault(question_id, {"correct": False, "attempts": 0})
    entry["attempts"] += 1
    entry["correct"] = entry["correct"] or correct
    _save(data, path)


KEPT_PROGRESS_NAME = "my-quiz-progress.json"


@dataclass(frozen=True)
class KeptProgress:
    """Where a copy of the results was written, with what to do next."""

    path: Path

    def __repr__(self) -> str:
        return (
            f"Your quiz results are copied to {self.path.name} in this folder. To keep them "
            "after this session, right-click the file in the file browser and choose Download. "
            "In a later session, upload it to the same folder and run "
            f'restore_progress("{self.path.name}").'
        )


def keep_progress(destination: str | Path = KEPT_PROGRESS_NAME) -> KeptProgress:
    """Copy the learner's results to ``destination`` (by default in the current folder)."""
    destination = Path(destination)
    _save(load_progress(), destination)
    return KeptProgress(destination.resolve())


def _checked_results(data, source: Path) -> dict:
    """``data`` if it has the shape of a progress file, else a clear error."""
    problem = ValueError(
        f"{source} is not a quiz-progress file: expected "
        '{lesson: {question: {"correct": true/false, "attempts": n}}}'
    )
    if not isinstance(data, dict):
        raise problem
    for questions in data.values():
        if not isinstance(questions, dict):
            raise problem
        for entry in questions.values():
            if not (
                isinstance(entry, dict)
                and isinstance(entry.get("correct"), bool)
                and isinstance(entry.get("attempts"), int)
                and entry["attempts"] >= 0
            ):
                raise problem
    return data


def restore_progress(source: str | Path, path: Path | None = None) -> str:
    """Merge results from a kept copy into this machine's progress.

    A question counts as correct if it was correct in either; the attempts are
    the larger of the two, so restoring the same file twice changes nothing.
    """
    source, path = Path(source), path or progress_file()
    try:
        incoming = json.loads(source.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise FileNotFoundError(
            f"{source} not found: upload your kept file to this folder first"
        ) from None
    except (ValueError, UnicodeDecodeError):
        raise ValueError(f"{source} is not a quiz-progress file (not JSON)") from None
    incoming = _checked_results(incoming, source)
    data = load_progress(path)
    restored = 0
    for lesson, questions in incoming.items():
        for question_id, entry in questions.items():
            mine = data.setdefault(lesson, {}).setdefault(
                question_id, {"correct": False, "attempts": 0}
            )
            mine["correct"] = mine["correct"] or entry["correct"]
            mine["attempts"] = max(mine["attempts"], entry["attempts"])
            restored += 1
    _save(data, path)
    return f"Restored results for {restored} questions from {source.name}."


@dataclass(frozen=True)
class ProgressRow:
    lesson: str
    title: str
    correct: int
    questions: int
    attempts: int


class ProgressTable:
    """Progress across every lesson, shown as a table in HTML and in plain text."""

    def __init__(self, rows: list[ProgressRow], problems: list[str] | None = None):
        self.rows = rows
        self.problems = problems or []  # banks that could not be read

    def __repr__(self) -> str:
        header = f"{'Lesson':<40} {'Correct':>7} {'Attempts':>8}"
        lines = [header, "-" * len(header)]
        for row in self.rows:
            lines.append(
                f"{row.title[:40]:<40} {f'{row.correct}/{row.questions}':>7} {row.attempts:>8}"
            )
        lines += [f"Not shown: {problem}" for problem in self.problems]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        body = "".join(
            f"<tr><td>{html.escape(row.title)}</td><td>{row.correct} of {row.questions}</td>"
            f"<td>{row.attempts}</td></tr>"
            for row in self.rows
        )
        return (
            '<table class="coopcourse-progress"><caption>Your quiz progress</caption>'
            '<thead><tr><th scope="col">Lesson</th><th scope="col">Correct</th>'
            f'<th scope="col">Attempts</th></tr></thead><tbody>{body}</tbody></table>'
            + "".join(f"<p>Not shown: {html.escape(problem)}</p>" for problem in self.problems)
        )


def progress_table(path: Path | None = None) -> ProgressTable:
    """One row per lesson: questions answered correctly so far, and attempts made."""
    data = load_progress(path)
    rows, problems = [], []
    for bank_path in bank_paths():
        try:
            bank = load_bank_file(bank_path)
        except BankError as error:  # one broken bank must not hide the others
            problems.append(str(error))
            continue
        results = data.get(bank.lesson, {})
        known = [results[q.id] for q in bank.questions if q.id in results]
        rows.append(
            ProgressRow(
                lesson=bank.lesson,
                title=bank.title,
                correct=sum(1 for entry in known if entry.get("correct")),
                questions=len(bank.questions),
                attempts=sum(int(entry.get("attempts", 0)) for entry in known),
            )
        )
    return ProgressTable(rows, problems)
