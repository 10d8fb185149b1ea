"""The timeline of the public-service mutuals debate, 2006-2015, from ``data/timeline.yaml``.

* :func:`load_timeline` reads and checks the data (a :class:`TimelineError` names
  the event at fault);
* :func:`plot_timeline` draws it, one row per strand;
* :func:`describe_timeline` gives the same events as a dated Markdown list with
  sources, and :func:`timeline_alt_text` a short description for screen readers;
* :func:`show_timeline` wraps the chart for a notebook with its alt text.

A date is written ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``: the form says whether the
day, only the month or only the year is known. Events are ordered by the middle of
the period their date covers, ties kept in file order.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from importlib import resources

import yaml
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from coopcourse.data import DataFileError, required_text
from coopcourse.figure_display import show_figure

DATA_FILE = "timeline.yaml"
FIRST_YEAR, LAST_YEAR = 2006, 2015
MAX_LABEL_CHARS = 40
PRECISIONS = ("day", "month", "year")

_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_SOURCE = re.compile(r"^[^*]*\w[^*]*,\s+\*[^*]+\*")
# A full stop, question or exclamation mark, perhaps closing a quotation, then a new sentence.
_SENTENCE_BREAK = re.compile(r"[.!?][\"'\u201d\u2019)]?\s+[A-Z]")
_FIELDS = {"date", "label", "description", "strand", "source", "uncertain"}

# Okabe-Ito colours, distinct under the common colour-vision deficiencies; each strand
# also has its own marker shape, so colour is never the only cue.
_COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9")
_MARKERS = ("o", "s", "D", "^", "v", "P")


class TimelineError(DataFileError):
    """Timeline data that cannot be used, naming the event at fault."""

    item_kind = "event"

    @staticmethod
    def show(item_id: str) -> str:
        return item_id  # already a readable "number (label)"


@dataclass(frozen=True)
class Event:
    date_text: str
    label: str
    description: str
    strand: str
    source: str
    uncertain: bool = False

    @property
    def precision(self) -> str:
        """``"day"``, ``"month"`` or ``"year"``: how precisely the date is known."""
        return PRECISIONS[2 - self.date_text.count("-")]

    @property
    def first_day(self) -> date:
        year, month, day = _parts(self.date_text)
        return date(year, month or 1, day or 1)

    @property
    def last_day(self) -> date:
        year, month, day = _parts(self.date_text)
        if day:
            return date(year, month, day)
        if month:
            return date(year, month, calendar.monthrange(year, month)[1])
        return date(year, 12, 31)

    @property
    def midpoint(self) -> date:
        """The middle of the period the date covers: where the event is plotted."""
        return date.fromordinal((self.first_day.toordinal() + self.last_day.toordinal()) // 2)

    @property
    def when(self) -> str:
        """The date as it is known: "17 November 2010", "September 2011" or "2008"."""
        year, month, day = _parts(self.date_text)
        text = str(year)
        if month:
            text = f"{calendar.month_name[month]} {text}"
        if day:
            text = f"{day} {text}"
        return text + (" (uncertain)" if self.uncertain else "")


@dataclass(frozen=True)
class Timeline:
    strands: tuple[str, ...]
    events: tuple[Event, ...]

    def in_strand(self, strand: str) -> list[Event]:
        return [event for event in self.events if event.strand == strand]


def _parts(date_text: str) -> tuple[int, int | None, int | None]:
    year, month, day = _DATE.match(date_text).groups()
    return int(year), int(month) if month else None, int(day) if day else None


def _check_date(value, name: str, where: str) -> str:
    if isinstance(value, date):
        raise TimelineError(where, "quote the date (\"2010-02-15\") so its precision is kept", name)
    text = str(value) if isinstance(value, int) else value
    if not isinstance(text, str) or not _DATE.match(text):
        raise TimelineError(where, f"date {value!r} must be YYYY-MM-DD, YYYY-MM or YYYY", name)
    year, month, day = _parts(text)
    try:
        date(year, month or 1, day or 1)
    except ValueError as error:
        raise TimelineError(where, f"date {text!r} is not a real date: {error}", name) from None
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise TimelineError(where, f"date {text!r} is outside {FIRST_YEAR}-{LAST_YEAR}", name)
    return text


def _text(entry: dict, field: str, name: str, where: str) -> str:
    return required_text(entry, field, name, where, TimelineError)


def _parse_event(entry, index: int, strands: tuple[str, ...], where: str) -> Event:
    label = entry.get("label") if isinstance(entry, dict) else None
    name = f"{index + 1}" + (f" ({label!r})" if isinstance(label, str) else "")
    if not isinstance(entry, dict):
        raise TimelineError(where, "must be a mapping with date, label, description, strand, "
                            "source", name)
    unknown = set(entry) - _FIELDS
    if unknown:
        raise TimelineError(where, f"unknown field(s) {sorted(unknown)}", name)
    if "date" not in entry:
        raise TimelineError(where, "needs a 'date'", name)
    date_text = _check_date(entry["date"], name, where)
    label = _text(entry, "label", name, where)
    if len(label) > MAX_LABEL_CHARS:
        raise TimelineError(where, f"label is {len(label)} characters; the chart has room for "
                            f"{MAX_LABEL_CHARS}", name)
    description = _text(entry, "description", name, where)
    if not description.endswith((".", '."', ".\u201d")) or _SENTENCE_BREAK.search(description):
        raise TimelineError(where, "description must be one sentence ending in a full stop", name)
    strand = _text(entry, "strand", name, where)
    if strand not in strands:
        raise TimelineError(where, f"strand {strand!r} is not one of {list(strands)}", name)
    source = _text(entry, "source", name, where)
    if not _SOURCE.match(source):
        raise TimelineError(where, "source needs the form 'Author or publisher, *Title*, ...'",
                            name)
    uncertain = entry.get("uncertain", False)
    if not isinstance(uncertain, bool):
        raise TimelineError(where, "'uncertain' must be true or false", name)
    return Event(date_text, label, description, strand, source, uncertain)


def parse_timeline(text: str, where: str = DATA_FILE) -> Timeline:
    """Parse and check timeline YAML; raise :class:`TimelineError` on any problem."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise TimelineError(where, f"is not valid YAML: {error}") from error
    if not isinstance(data, dict):
        raise TimelineError(where, "must be a mapping with 'strands' and 'events'")
    strands = data.get("strands")
    if (not isinstance(strands, list) or not strands
            or not all(isinstance(s, str) and s.strip() for s in strands)
            or len(set(strands)) != len(strands)):
        raise TimelineError(where, "'strands' must be a list of distinct names")
    if len(strands) > len(_COLOURS):
        raise TimelineError(where, f"at most {len(_COLOURS)} strands fit the chart")
    strands = tuple(strands)
    entries = data.get("events")
    if not isinstance(entries, list) or not entries:
        raise TimelineError(where, "must have a non-empty list under 'events'")
    events = [_parse_event(entry, i, strands, where) for i, entry in enumerate(entries)]
    empty = [s for s in strands if not any(e.strand == s for e in events)]
    if empty:
        raise TimelineError(where, f"strand(s) {empty} have no events")
    ordered = sorted(enumerate(events), key=lambda pair: (pair[1].midpoint, pair[0]))
    return Timeline(strands, tuple(event for _, event in ordered))


def load_timeline() -> Timeline:
    """The course timeline, checked and in date order."""
    text = resources.files("coopcourse.data").joinpath(DATA_FILE).read_text(encoding="utf-8")
    return parse_timeline(text)


# ---- the chart ---------------------------------------------------------------------------

_WIDTH_IN = 12.0
_LEFT_IN, _RIGHT_IN, _TOP_IN, _BOTTOM_IN = 1.9, 0.2, 0.75, 1.0
_LEVEL_IN = 0.21  # vertical distance between stacked labels
_BASE_IN = 0.18  # from a band's bottom edge to its row of markers
_FONT_SIZE = 8.5
_PAD_IN = 0.06  # between a stem and its label
_GAP_IN = 0.12  # between labels on one level


def _year_fraction(day: date) -> float:
    start = date(day.year, 1, 1).toordinal()
    length = date(day.year + 1, 1, 1).toordinal() - start
    return day.year + (day.toordinal() - start + 0.5) / length


def _label_widths(labels: list[str]) -> list[float]:
    """Each label's width in inches at the chart's font size."""
    scratch = Figure(figsize=(_WIDTH_IN, 2))
    renderer = FigureCanvasAgg(scratch).get_renderer()
    widths = []
    for label in labels:
        text = scratch.text(0, 0, label, fontsize=_FONT_SIZE)
        widths.append(text.get_window_extent(renderer=renderer).width / scratch.dpi)
    return widths


def _levels(xs: list[float], rights: list[float]) -> list[int]:
    """Stack labels above (level >= 0) and below (level < 0) a row of markers.

    Labels run rightwards from their stems. Working from the right, each label goes one
    level beyond every label whose stem lies under it, on whichever side of the row
    that is nearer (above when both are equal). So no label overlaps another and no
    stem crosses a label.
    """
    placed: dict[int, list[tuple[float, int]]] = {1: [], -1: []}  # (stem x, level) per side
    levels = [0] * len(xs)
    for i in sorted(range(len(xs)), key=lambda i: (xs[i], i), reverse=True):
        options = []
        for side in (1, -1):
            under = [level for x, level in placed[side] if x <= rights[i]]
            options.append((max(under) + 1 if under else 0, -side))
        level, negative_side = min(options)
        side = -negative_side
        placed[side].append((xs[i], level))
        levels[i] = level if side == 1 else -level - 1
    return levels


def plot_timeline(timeline: Timeline | None = None) -> Figure:
    """The events as labelled markers, one row (band) per strand, first strand on top.

    Filled markers have an exact day; hollow ones are known only to the month or year.
    Each event's marker is a ``Line2D`` with ``gid`` ``"event-<n>"`` (n in date order).
    """
    timeline = load_timeline() if timeline is None else timeline
    events = list(timeline.events)
    xs = [_year_fraction(e.midpoint) for e in events]
    widths = _label_widths([e.label + (" ?" if e.uncertain else "") for e in events])
    axes_in = _WIDTH_IN - _LEFT_IN - _RIGHT_IN
    x0 = float(FIRST_YEAR)
    # Widen the x range just enough for the last labels to fit inside the axes.
    span = max((x - x0) / (1 - (_PAD_IN + w + _GAP_IN) / axes_in) for x, w in zip(xs, widths,
                                                                                   strict=True))
    span = max(span, LAST_YEAR + 1 - x0)
    years_per_inch = span / axes_in
    rights = [x + (_PAD_IN + w + _GAP_IN) * years_per_inch for x, w in zip(xs, widths,
                                                                              strict=True)]

    level_of: dict[int, int] = {}
    rows, bases, top = {}, {}, 0.0
    for strand in reversed(timeline.strands):  # first strand drawn on top
        members = [i for i, e in enumerate(events) if e.strand == strand]
        levels = _levels([xs[i] for i in members], [rights[i] for i in members])
        level_of.update(zip(members, levels, strict=True))
        above = max(levels) + 1
        below = -min(min(levels), 0)
        bases[strand] = top
        rows[strand] = top + _BASE_IN + below * _LEVEL_IN
        top = rows[strand] + (above + 0.5) * _LEVEL_IN

    height = _TOP_IN + top + _BOTTOM_IN
    fig = Figure(figsize=(_WIDTH_IN, height))
    ax = fig.add_axes((_LEFT_IN / _WIDTH_IN, _BOTTOM_IN / height, axes_in / _WIDTH_IN,
                       top / height))
    ax.set_xlim(x0, x0 + span)
    ax.set_ylim(0, top)
    style = {s: (_COLOURS[i], _MARKERS[i]) for i, s in enumerate(timeline.strands)}

    for strand in timeline.strands:
        row = rows[strand]
        ax.axhline(row, color="#bbbbbb", linewidth=0.8, zorder=1)
        if bases[strand] > 0:
            ax.axhline(bases[strand], color="#888888", linewidth=0.6, zorder=1)
    for n, (event, x) in enumerate(zip(events, xs, strict=True)):
        colour, marker = style[event.strand]
        row = rows[event.strand]
        level = level_of[n]
        label_y = row + (level + 1 if level >= 0 else level) * _LEVEL_IN
        ax.plot([x, x], [row, label_y], color=colour, linewidth=0.8, alpha=0.7, zorder=2,
                linestyle=":" if event.uncertain else "-")
        ax.plot([x], [row], linestyle="none", marker=marker, markersize=8,
                markeredgewidth=1.6, markeredgecolor=colour,
                markerfacecolor=colour if event.precision == "day" else "white",
                zorder=3, gid=f"event-{n}")
        ax.text(x + _PAD_IN * years_per_inch, label_y,
                event.label + (" ?" if event.uncertain else ""),
                fontsize=_FONT_SIZE, va="center", ha="left", zorder=4,
                bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.6, "alpha": 0.85})

    coalition = _year_fraction(date(2010, 5, 11))
    ax.axvline(coalition, color="black", linestyle="--", linewidth=1, zorder=1)
    ax.text(coalition - 0.05, top, "Labour government ", ha="right", va="bottom", fontsize=9)
    ax.text(coalition + 0.05, top, " Coalition government", ha="left", va="bottom", fontsize=9)

    ax.set_yticks([rows[s] for s in timeline.strands])
    ax.set_yticklabels([s[0].upper() + s[1:] for s in timeline.strands], fontsize=10)
    ax.tick_params(axis="y", length=0)
    years = list(range(FIRST_YEAR, LAST_YEAR + 2))
    ax.set_xticks(years)
    ax.set_xticklabels([str(y) for y in years])
    ax.grid(axis="x", color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    fig.suptitle(f"Public-service mutuals: a timeline, {FIRST_YEAR}–{LAST_YEAR}",
                 x=_LEFT_IN / _WIDTH_IN, ha="left", y=1 - 0.12 / height, va="top",
                 fontsize=13)

    handles = [Line2D([], [], linestyle="none", marker=style[s][1], markersize=8,
                      color=style[s][0], label=s[0].upper() + s[1:]) for s in timeline.strands]
    handles += [
        Line2D([], [], linestyle="none", marker="o", markersize=8, color="#555555",
               label="Exact day known"),
        Line2D([], [], linestyle="none", marker="o", markersize=8, markeredgewidth=1.6,
               color="#555555", markerfacecolor="white", label="Month or year only"),
    ]
    fig.legend(handles=handles, loc="lower center", ncol=len(handles), frameon=False,
               fontsize=9, bbox_to_anchor=(0.5, 0.05 / height))
    return fig


def event_markers(fig: Figure) -> list[Line2D]:
    """The event markers drawn by :func:`plot_timeline`."""
    return [line for ax in fig.axes for line in ax.lines
            if (line.get_gid() or "").startswith("event-")]


# ---- text versions -----------------------------------------------------------------------


def describe_timeline(timeline: Timeline | None = None) -> str:
    """Every event as Markdown, by year: date, strand, label, description and source."""
    timeline = load_timeline() if timeline is None else timeline
    lines: list[str] = []
    year = None
    for event in timeline.events:
        if event.first_day.year != year:
            year = event.first_day.year
            lines += ["", f"**{year}**", ""]
        lines.append(f"- **{event.when}** ({event.strand}). **{event.label}.** "
                     f"{event.description} Source: {event.source}")
    return "\n".join(lines).strip() + "\n"


def timeline_alt_text(timeline: Timeline | None = None) -> str:
    """A description of the chart for screen readers, built from the data."""
    timeline = load_timeline() if timeline is None else timeline
    counts = ", ".join(f"{s} ({len(timeline.in_strand(s))})" for s in timeline.strands)
    n = len(timeline.events)
    middle = sum(1 for e in timeline.events if 2010 <= e.midpoint.year <= 2012)
    exact = sum(1 for e in timeline.events if e.precision == "day")
    return (
        f"Timeline chart of {n} events from {FIRST_YEAR} to {LAST_YEAR}, with one row per "
        f"strand and the number of events in it: {counts}. Each event is a marker on its "
        f"strand's row with a short label; {exact} filled markers have an exact day and "
        f"{n - exact} hollow ones only a month or a year. A dashed vertical line marks the "
        f"coalition government's formation on 11 May 2010; {middle} of the {n} events fall "
        f"between 2010 and 2012. The list after the chart gives every event with its date, "
        f"description and source."
    )


def show_timeline(timeline: Timeline | None = None):
    """The chart with its alt text and caption, for a notebook cell's last line."""
    timeline = load_timeline() if timeline is None else timeline
    return show_figure(
        plot_timeline(timeline),
        alt_text=timeline_alt_text(timeline),
        caption=(f"Events of the public-service mutuals debate, {FIRST_YEAR}–{LAST_YEAR}, "
                 "by strand. The sources are listed with the events below."),
    )
