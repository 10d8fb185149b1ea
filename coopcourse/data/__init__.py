"""Course data kept as YAML: the glossary, the timeline and the quiz banks.

Every problem in such a file is a :class:`DataFileError` (or a subclass) built from
the same three things: the file, what is wrong, and the item at fault if there is one.
"""

from __future__ import annotations

from pathlib import Path


class DataFileError(ValueError):
    """A data file that cannot be used, naming the file and the item at fault."""

    item_kind = "entry"  # how the message names an item: "term", "event", "question"

    def __init__(self, path: str | Path, message: str, item_id: str | None = None):
        self.path = str(path)
        self.item_id = item_id
        place = f"{self.path}, {self.item_kind} {self.show(item_id)}" if item_id else self.path
        super().__init__(f"{place}: {message}")

    @staticmethod
    def show(item_id: str) -> str:
        return repr(item_id)


def required_text(entry: dict, field: str, name: str | None, where: str,
                  error: type[DataFileError]) -> str:
    """The entry's ``field`` as one line of text, or ``error`` if it is missing or blank."""
    value = entry.get(field)
    if not isinstance(value, str) or not value.strip():
        raise error(where, f"needs a non-empty '{field}'", name)
    return " ".join(value.split())
