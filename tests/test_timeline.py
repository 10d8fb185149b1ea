"""The timeline: checked, dated, cited data; a chart with one marker per event; a text version."""

from __future__ import annotations

from datetime import date

import pytest

from coopcourse import content_checks as cc
from coopcourse import glossary, timeline
from coopcourse.figure_display import AccessibleFigure
from tests.lesson_files import COURSE_ROOT, read

TIMELINE = timeline.load_timeline()
NOTEBOOK = COURSE_ROOT / "lessons" / "timeline.ipynb"

GOOD = """\
strands: [policy, NHS]
events:
  - date: "2010-02-15"
    label: Osborne relaunches staff co-ops
    description: George Osborne relaunches the Conservative plan on the Today programme.
    strand: policy
    source: "Financial Times, *[Report]*, February 2010."
  - date: "2008"
    label: Right to request begins
    description: Labour lets NHS staff ask to run their service as a social enterprise.
    strand: NHS
    source: "Department of Health, *[Press release]*, 17 November 2010."
"""


def test_events_are_in_date_order():
    days = [event.midpoint for event in TIMELINE.events]
    assert days == sorted(days)


def test_parsing_sorts_events_given_out_of_order():
    parsed = timeline.parse_timeline(GOOD)
    assert [e.date_text for e in parsed.events] == ["2008", "2010-02-15"]


def test_every_event_lies_within_2006_to_2015():
    for event in TIMELINE.events:
        assert date(2006, 1, 1) <= event.first_day <= event.last_day <= date(2015, 12, 31)


def test_every_event_has_a_cited_source_and_one_sentence():
    for event in TIMELINE.events:
        assert "*" in event.source and "," in event.source, event.label
        assert event.description.endswith((".", '."')), event.label


def test_precision_follows_the_form_of_the_date():
    by_text = {e.date_text: e for e in timeline.parse_timeline(GOOD).events}
    assert by_text["2010-02-15"].precision == "day"
    assert by_text["2010-02-15"].when == "15 February 2010"
    assert by_text["2008"].precision == "year"
    assert by_text["2008"].when == "2008"
    parsed = timeline.parse_timeline(GOOD.replace('"2008"', '"2011-09"'))
    month = next(e for e in parsed.events if e.date_text == "2011-09")
    assert (month.precision, month.when) == ("month", "September 2011")
    assert month.midpoint == date(2011, 9, 15)


def test_every_strand_has_events():
    for strand in TIMELINE.strands:
        assert TIMELINE.in_strand(strand), strand


def test_figure_has_one_marker_per_event():
    fig = timeline.plot_timeline(TIMELINE)
    markers = timeline.event_markers(fig)
    assert len(markers) == len(TIMELINE.events)
    labels = {text.get_text() for ax in fig.axes for text in ax.texts}
    for event in TIMELINE.events:
        assert event.label in labels


def test_figure_marks_precision_by_fill():
    parsed = timeline.parse_timeline(GOOD)
    fig = timeline.plot_timeline(parsed)
    fills = [m.get_markerfacecolor() for m in timeline.event_markers(fig)]
    assert fills[0] == "white"  # "2008": only the year is known
    assert fills[1] != "white"  # "2010-02-15": the day is known


def test_labels_are_stacked_without_overlap():
    # Three close events: each later label must sit at a new level on some side.
    levels = timeline._levels([0.0, 0.1, 0.2], [1.0, 1.1, 1.2])
    assert len(set(levels)) == 3


def test_text_lists_every_event_with_date_and_source():
    text = timeline.describe_timeline(TIMELINE)
    for event in TIMELINE.events:
        line = next(line for line in text.splitlines() if f"**{event.label}.**" in line)
        assert event.when in line
        assert event.source in line
    assert text.count("\n- ") + text.startswith("- ") == len(TIMELINE.events)


def test_show_timeline_has_alt_text_describing_the_data():
    shown = timeline.show_timeline(TIMELINE)
    assert isinstance(shown, AccessibleFigure)
    alt = shown.alt_text
    assert f"{len(TIMELINE.events)} events" in alt
    for strand in TIMELINE.strands:
        assert f"{strand} ({len(TIMELINE.in_strand(strand))})" in alt


def test_corrected_facts_stay_corrected():
    by_label = {e.label: e for e in TIMELINE.events}
    nao = next(e for e in TIMELINE.events if e.date_text == "2011-06-23")
    assert "forecast" in nao.description
    surrey = by_label["Surrey contract to Assura"]
    assert "losing bidder" in surrey.description and "keeps running its" in surrey.description


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('"2008"', '"2005"', "event 2 ('Right to request begins'): date '2005' is outside"),
        ('"2008"', '"2016-01"', "date '2016-01' is outside 2006-2015"),
        ('"2008"', '"2008-13"', "is not a real date"),
        ('"2008"', '"Feb 2008"', "must be YYYY-MM-DD, YYYY-MM or YYYY"),
        ('"2010-02-15"', "2010-02-15", "quote the date"),
        ("strand: NHS\n", "strand: health\n", "strand 'health' is not one of"),
        ('    source: "Department of Health, *[Press release]*, 17 November 2010."\n', "",
         "needs a non-empty 'source'"),
        ('source: "Financial Times, *[Report]*, February 2010."',
         'source: "the FT"', "source needs the form"),
        ("on the Today programme.", "on the Today programme. Unions object.", "one sentence"),
        ("label: Right to request begins",
         "label: The right to request begins for NHS community staff in England",
         "the chart has room for 40"),
        ("    strand: NHS\n", "    strand: NHS\n    importance: high\n",
         "unknown field(s) ['importance']"),
        ("strands: [policy, NHS]", "strands: [policy, NHS, unions]",
         "strand(s) ['unions'] have no events"),
        ("events:", "events: [", "is not valid YAML"),
    ],
)
def test_bad_data_gives_a_clear_error(old, new, message):
    assert old in GOOD
    with pytest.raises(timeline.TimelineError) as caught:
        timeline.parse_timeline(GOOD.replace(old, new))
    assert message in str(caught.value)


def test_an_uncertain_event_is_marked_in_text_and_chart():
    parsed = timeline.parse_timeline(GOOD.replace("    strand: NHS\n",
                                                  "    strand: NHS\n    uncertain: true\n"))
    assert "2008 (uncertain)" in timeline.describe_timeline(parsed)
    fig = timeline.plot_timeline(parsed)
    labels = {text.get_text() for ax in fig.axes for text in ax.texts}
    assert "Right to request begins ?" in labels


# ---- the notebook ------------------------------------------------------------------------


def test_notebook_is_saved_executed_in_order_without_widget_state():
    notebook = read(NOTEBOOK)
    assert "widgets" not in notebook.metadata
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert [cell.execution_count for cell in code] == list(range(1, len(code) + 1))
    for cell in code:
        assert not [o for o in cell.outputs if o.output_type == "error"]


def test_notebook_links_back_to_lesson_0_and_the_glossary():
    markdown = "\n".join(c.source for c in read(NOTEBOOK).cells if c.cell_type == "markdown")
    assert "](00_start_here.ipynb)" in markdown
    assert "](glossary.md)" in markdown


def test_notebook_links_glossary_terms_at_first_use():
    notebook = read(NOTEBOOK)
    for term in glossary.load_glossary():
        first = cc.first_use_cell(notebook, term.pattern)
        if first is not None:
            assert f"](glossary.md#{term.slug})" in notebook.cells[first].source, term.term
