"""Course data kept as YAML: the glossary and the timeline, and their shared checks."""

from __future__ import annotations


class DataFileError(ValueError):
    """A data file that cannot be used, naming the file and the entry at fault."""

    entry_kind = "entry"  # how the message names an entry: "term", "event", ...

    def __init__(self, message: str, entry: str | None = None, where: str = ""):
        self.entry = entry
        self.where = where
        place = f"{where}, {self.entry_kind} {self.show(entry)}" if entry else where
        super().__init__(f"{place}: {message}")

    @staticmethod
    def show(entry: str) -> str:
        return repr(entry)


def required_text(entry: dict, field: str, name: str | None, where: str,
                  error: type[DataFileError]) -> str:
    """The entry's ``field`` as one line of text, or ``error`` if it is missing or blank."""
    value = entry.get(field)
    if not isinstance(value, str) or not value.strip():
        raise error(f"needs a non-empty '{field}'", name, where)
    return " ".join(value.split())
