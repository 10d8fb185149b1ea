"""The argument map of lesson 5: sound data, a complete text version, a drawable figure."""

from __future__ import annotations

import re

import pytest
from matplotlib.figure import Figure
from matplotlib.text import Annotation

from coopcourse import seeds
from coopcourse.argument_map import (
    CLAIM,
    OBJECTS_TO,
    POSITION,
    SUPPORTS,
    ArgumentMap,
    Link,
    Node,
    alt_text,
    course_map,
    describe_link,
    describe_map,
    draw_map,
)
from coopcourse.figure_display import figure_png


@pytest.fixture(scope="module")
def course():
    return course_map()


def _small_map(links):
    nodes = (
        Node("p", "A position", POSITION, ("FT",)),
        Node("q", "Another position", POSITION, ("LFF",)),
        Node("c", "A claim for p", CLAIM, ("FT",), group="p"),
    )
    return ArgumentMap(title="Small map", focus="p", nodes=nodes, links=tuple(links))


def test_every_link_joins_two_existing_nodes(course):
    ids = {node.id for node in course.nodes}
    for link in course.links:
        assert link.source in ids and link.target in ids, link
        assert link.relation in (SUPPORTS, OBJECTS_TO)


def test_the_map_has_the_four_positions_of_the_course_and_singers_alternative(course):
    labels = [position.label for position in course.positions]
    assert len(labels) == 5
    for word in ("Conservative", "Labour", "unions", "market-socialist", "Singer"):
        assert any(word in label for label in labels), word


def test_singer_is_not_filed_under_market_socialism(course):
    """Clifford Singer (LFF #12) criticises markets; he is no market socialist."""
    market = next(p for p in course.positions if "market-socialist" in p.label)
    assert all("LFF #12" not in node.sources for node in (market, *course.claims_of(market.id)))
    singer = next(p for p in course.positions if "Singer" in p.label)
    assert [c.sources for c in course.claims_of(singer.id)] == [("LFF #12",)]


def test_every_claim_supports_its_own_position_and_every_position_has_claims(course):
    supports = {(link.source, link.target) for link in course.links if link.relation == SUPPORTS}
    for node in course.nodes:
        if node.kind == CLAIM:
            assert (node.id, node.group) in supports, node.id
    for position in course.positions:
        assert course.claims_of(position.id), position.id


def test_each_opposing_position_objects_to_a_claim_for_the_plan(course):
    plan_side = {course.focus} | {claim.id for claim in course.claims_of(course.focus)}
    for position in course.positions:
        if position.id == course.focus:
            continue
        own = {claim.id for claim in course.claims_of(position.id)}
        assert any(
            link.relation == OBJECTS_TO and link.source in own and link.target in plan_side
            for link in course.links
        ), position.id


def test_source_tags_name_real_seed_passages(course):
    for node in course.nodes:
        for tag in node.sources:
            match = re.fullmatch(r"(FT|LFF)(?: #(\d+))?", tag)
            assert match, f"{node.id}: bad tag {tag!r}"
            if match.group(2):
                assert seeds.comment(int(match.group(2))).is_argument, f"{node.id}: {tag}"


@pytest.mark.parametrize(
    "links, message",
    [
        ([Link("c", SUPPORTS, "nowhere")], "unknown node 'nowhere'"),
        ([Link("ghost", OBJECTS_TO, "p")], "unknown node 'ghost'"),
        ([Link("c", "agrees with", "p")], "relation 'agrees with'"),
        ([Link("c", SUPPORTS, "c")], "links to itself"),
    ],
)
def test_a_broken_map_is_refused_with_a_clear_message(links, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        _small_map(links)


def test_a_claim_must_belong_to_a_known_position():
    with pytest.raises(ValueError, match="unknown position 'x'"):
        ArgumentMap(
            title="t", focus="p",
            nodes=(Node("p", "P", POSITION, ("FT",)), Node("c", "C", CLAIM, ("FT",), "x")),
            links=(),
        )


def test_the_text_version_lists_every_link_once(course):
    text = describe_map(course)
    for link in course.links:
        assert text.count(describe_link(course, link)) == 1, link
    numbered = re.findall(r"^\d+\. ", text, flags=re.MULTILINE)
    assert len(numbered) == len(course.links)


def test_the_text_version_names_every_node_with_its_sources(course):
    text = describe_map(course)
    for node in course.nodes:
        assert node.tagged_label() in text


def test_describe_link_reads_as_a_sentence():
    small = _small_map([Link("c", OBJECTS_TO, "q")])
    assert describe_link(small, small.links[0]) == (
        'claim "A claim for p" objects to position "Another position"'
    )


def test_the_figure_draws_with_a_title_a_legend_and_one_arrow_per_link(course):
    fig = draw_map(course)
    assert isinstance(fig, Figure)
    (ax,) = fig.axes
    assert ax.get_title() == course.title
    legend = [text.get_text() for text in ax.get_legend().get_texts()]
    assert any(label.startswith("supports") for label in legend)
    assert any(label.startswith("objects to") for label in legend)
    arrows = [child for child in ax.get_children() if isinstance(child, Annotation)]
    assert len(arrows) == len(course.links)
    assert figure_png(fig).startswith(b"\x89PNG")


def test_every_node_label_is_drawn(course):
    ax = draw_map(course).axes[0]
    drawn = " ".join(text.get_text().replace("\n", " ") for text in ax.texts)
    for node in course.nodes:
        assert node.label in drawn, node.id


def test_the_alt_text_names_every_node_and_every_objection(course):
    text = alt_text(course)
    for node in course.nodes:
        assert node.label in text, node.id
    objections = [link for link in course.links if link.relation == OBJECTS_TO]
    assert text.count(" objects to ") == len(objections)
    assert f"{len(objections)} dashed orange arrows" in text


def test_the_plan_side_answers_the_unions_and_the_market_socialists(course):
    """Objections run both ways: the unions' and Dillow's claims each meet a reply."""
    plan_claims = {claim.id for claim in course.claims_of(course.focus)}
    for position_id in ("unions", "market"):
        own = {claim.id for claim in course.claims_of(position_id)}
        assert any(
            link.relation == OBJECTS_TO and link.source in plan_claims and link.target in own
            for link in course.links
        ), position_id


def test_claims_quoting_the_social_enterprise_coalition_cite_the_ft(course):
    """Ceri Jones's words survive only in the FT report."""
    for node in course.nodes:
        if "Ceri Jones" in node.label:
            assert node.sources == ("FT",)


def test_arrows_start_and_end_on_the_sides_of_the_boxes_as_drawn(course):
    """Boxes are measured before drawing; the arrows must meet the boxes the PNG shows."""
    fig = draw_map(course)
    figure_png(fig)  # a real draw: the box outlines now have their drawn sizes
    ax = fig.axes[0]
    boxes = [text for text in ax.texts if not isinstance(text, Annotation)][:len(course.nodes)]
    to_data = ax.transData.inverted()
    extents = {
        node.id: to_data.transform(box.get_bbox_patch().get_window_extent())
        for node, box in zip(course.nodes, boxes, strict=True)
    }
    arrows = [text for text in ax.texts if isinstance(text, Annotation)]
    for link, arrow in zip(course.links, arrows, strict=True):
        for (x, y), node_id in ((arrow.xyann, link.source), (arrow.xy, link.target)):
            (x0, y0), (x1, y1) = extents[node_id]
            assert min(abs(x - x0), abs(x - x1)) < 1e-6, (link, node_id)
            assert y0 < y < y1, (link, node_id)
