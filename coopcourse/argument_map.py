"""The argument map of lesson 5: four positions on public-service co-ops, 2010, and one
reader's alternative (Clifford Singer's mutuality without markets, which is a critique of
markets, not a form of market socialism).

The map is data (positions, claims and the links between them) plus two ways
of showing it: :func:`draw_map` draws boxes and arrows with matplotlib (with
:func:`alt_text` as its alt text), and :func:`describe_map` writes every node
and link out in words, for screen readers and for anyone who prefers text.

Claim labels are the course's own paraphrases; each carries the tags of the
seed passages it rests on (``FT``, ``LFF``, ``LFF #n``), so a learner can go
back to the source.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

POSITION, CLAIM = "position", "claim"
SUPPORTS, OBJECTS_TO = "supports", "objects to"
RELATIONS = (SUPPORTS, OBJECTS_TO)

# Blue and orange stay distinct with colour-blindness; line style repeats the meaning.
_RELATION_STYLE = {
    SUPPORTS: {"color": "#1b6ca8", "linestyle": "-"},
    OBJECTS_TO: {"color": "#d95f02", "linestyle": "--"},
}
_WRAP_WIDTH = 30  # characters per line inside a box


@dataclass(frozen=True)
class Node:
    """A position (a side in the debate) or a claim made for one."""

    id: str
    label: str
    kind: str  # POSITION or CLAIM
    sources: tuple[str, ...]  # seed tags such as "FT", "LFF", "LFF #15"
    group: str | None = None  # for a claim: the position it belongs to

    def tagged_label(self) -> str:
        return f"{self.label} [{'; '.join(self.sources)}]"


@dataclass(frozen=True)
class Link:
    """``source`` supports, or objects to, ``target``."""

    source: str
    relation: str
    target: str


@dataclass(frozen=True)
class ArgumentMap:
    title: str
    focus: str  # the position under debate, drawn on the left
    nodes: tuple[Node, ...]
    links: tuple[Link, ...]

    def __post_init__(self) -> None:
        problems = _problems(self)
        if problems:
            raise ValueError("Invalid argument map: " + "; ".join(problems))

    def node(self, node_id: str) -> Node:
        for node in self.nodes:
            if node.id == node_id:
                return node
        raise KeyError(f"The argument map has no node {node_id!r}")

    @property
    def positions(self) -> tuple[Node, ...]:
        return tuple(node for node in self.nodes if node.kind == POSITION)

    def claims_of(self, position_id: str) -> tuple[Node, ...]:
        return tuple(node for node in self.nodes if node.group == position_id)


def _problems(argument_map: ArgumentMap) -> list[str]:
    """Everything wrong with a map, so one error lists it all."""
    problems = []
    ids = [node.id for node in argument_map.nodes]
    duplicates = sorted({node_id for node_id in ids if ids.count(node_id) > 1})
    if duplicates:
        problems.append(f"node ids used twice: {duplicates}")
    known = set(ids)
    positions = {node.id for node in argument_map.nodes if node.kind == POSITION}
    if argument_map.focus not in positions:
        problems.append(f"focus {argument_map.focus!r} is not a position")
    for node in argument_map.nodes:
        if node.kind not in (POSITION, CLAIM):
            problems.append(f"node {node.id!r} has unknown kind {node.kind!r}")
        if not node.sources:
            problems.append(f"node {node.id!r} names no source")
        if node.kind == CLAIM and node.group not in positions:
            problems.append(f"claim {node.id!r} belongs to unknown position {node.group!r}")
    for link in argument_map.links:
        for end in (link.source, link.target):
            if end not in known:
                problems.append(f"link {link.source} -> {link.target} names unknown node {end!r}")
        if link.relation not in RELATIONS:
            problems.append(f"link {link.source} -> {link.target} has relation {link.relation!r}")
        if link.source == link.target:
            problems.append(f"node {link.source!r} links to itself")
    return problems


def _claim(node_id: str, group: str, label: str, *sources: str) -> Node:
    return Node(node_id, label, CLAIM, sources, group)


def course_map() -> ArgumentMap:
    """The map drawn in lesson 5."""
    # The order sets the layout: each claim sits level with the claims it answers,
    # so objection arrows cross the gap between the columns and no box.
    positions = (
        Node("plan", "The Conservative plan and its progressive case", POSITION, ("FT", "LFF")),
        Node("labour", "Labour's response", POSITION, ("FT", "LFF")),
        Node("singer", "Singer's alternative", POSITION, ("LFF #12",)),
        Node("market", "The market-socialist critique", POSITION, ("LFF #15",)),
        Node("unions", "The unions' objections", POSITION, ("FT",)),
    )
    claims = (
        _claim("power", "plan", "As big a transfer of power to working people as any since "
               "council-house sales (Osborne)", "FT"),
        _claim("incentive", "plan", "Surpluses give staff a reason to run services "
               "efficiently, and can fund better services and pay", "LFF"),
        _claim("blame", "plan", "Local people know exactly whom to blame: the staff, not "
               "Whitehall (Haynes, citing Peter Hoskin)", "LFF"),
        _claim("safeguards", "plan", "The state stays the funder; national standards apply; "
               "no assets taken at first", "FT", "LFF"),
        _claim("transfer", "plan", "Staff who transfer keep their contract terms "
               "(an FT analysis quoted in the thread)", "LFF #7"),
        _claim("withdrawn", "plan", "Union opposition has made some NHS staff withdraw "
               "their right to request (Ceri Jones, Social Enterprise Coalition)", "FT"),
        _claim("voluntary", "plan", "Voluntary, in Osborne's words: staff go only "
               "if they want to", "FT"),
        _claim("exists", "labour", "Labour's right to request already exists: about 20 "
               "groups in 18 months", "FT"),
        _claim("cuts", "labour", "A smokescreen: the plan would be used to cut "
               "frontline services", "FT", "LFF #6"),
        _claim("community", "labour", "Co-ops are about the whole community, not just "
               "workers (Balls)", "FT"),
        _claim("without", "singer", "Mutuality is possible inside the public sector, without "
               "markets or a profit motive", "LFF #12"),
        _claim("race", "market", "In competition with private firms, co-ops drive down "
               "wages and conditions", "LFF #15"),
        _claim("guild", "market", "As monopolies, co-ops become closed guilds with a "
               "captive market", "LFF #15"),
        _claim("retender", "unions", "Social enterprises lose the service when it is "
               "retendered: privatisation by the back door", "FT"),
        _claim("terms", "unions", "New recruits are not guaranteed public-sector terms "
               "or the NHS pension", "FT", "LFF #7"),
    )
    links = (
        *(Link(claim.id, SUPPORTS, claim.group) for claim in claims),
        Link("exists", OBJECTS_TO, "power"),
        Link("community", OBJECTS_TO, "incentive"),
        Link("cuts", OBJECTS_TO, "power"),
        Link("retender", OBJECTS_TO, "safeguards"),
        Link("terms", OBJECTS_TO, "transfer"),
        Link("race", OBJECTS_TO, "incentive"),
        Link("without", OBJECTS_TO, "incentive"),
        Link("incentive", OBJECTS_TO, "without"),
        Link("safeguards", OBJECTS_TO, "guild"),
        Link("blame", OBJECTS_TO, "guild"),
        Link("transfer", OBJECTS_TO, "race"),
        Link("withdrawn", OBJECTS_TO, "retender"),
    )
    return ArgumentMap(
        title="Four positions and a reader's alternative on public-service co-ops, "
        "February 2010: an argument map",
        focus="plan",
        nodes=positions + claims,
        links=links,
    )


# -- the text version --------------------------------------------------------------------


def _describe_node(node: Node) -> str:
    return f'{node.kind} "{node.label}"'


def describe_link(argument_map: ArgumentMap, link: Link) -> str:
    """One link in words, e.g. 'claim "X" objects to claim "Y"'."""
    source, target = argument_map.node(link.source), argument_map.node(link.target)
    return f"{_describe_node(source)} {link.relation} {_describe_node(target)}"


def describe_map(argument_map: ArgumentMap | None = None) -> str:
    """The whole map in words: positions and claims with their sources, then every link."""
    argument_map = argument_map or course_map()
    lines = [argument_map.title, "", "Positions and their claims:"]
    for position in argument_map.positions:
        lines.append(f"- {position.tagged_label()}")
        lines += [f"    - {claim.tagged_label()}" for claim in argument_map.claims_of(position.id)]
    for relation in RELATIONS:
        chosen = [link for link in argument_map.links if link.relation == relation]
        lines += ["", f"Links where one node {relation} another ({len(chosen)}):"]
        lines += [
            f"{number}. {describe_link(argument_map, link)}"
            for number, link in enumerate(chosen, start=1)
        ]
    return "\n".join(lines)


def alt_text(argument_map: ArgumentMap | None = None) -> str:
    """Alt text for the figure: its layout and every box and link, in one paragraph."""
    argument_map = argument_map or course_map()
    focus = argument_map.node(argument_map.focus)
    own = argument_map.claims_of(focus.id)
    others = [p for p in argument_map.positions if p.id != focus.id]
    objections = [link for link in argument_map.links if link.relation == OBJECTS_TO]
    parts = [
        f'Argument map titled "{argument_map.title}".',
        f'On the left, in a bold grey box, the position "{focus.label}". Beside it '
        f"{len(own)} claims for it, each joined to it by a solid blue arrow: "
        + "; ".join(claim.label for claim in own) + ".",
        f"On the right, {len(others)} opposing positions in bold grey boxes, each with its "
        "claims joined to it by solid blue arrows: "
        + "; ".join(
            f"{p.label} (claims: " + "; ".join(c.label for c in argument_map.claims_of(p.id)) + ")"
            for p in others
        ) + ".",
        f"{len(objections)} dashed orange arrows cross the middle, one for each objection: "
        + "; ".join(
            f'"{argument_map.node(link.source).label}" objects to '
            f'"{argument_map.node(link.target).label}"'
            for link in objections
        ) + ".",
    ]
    return " ".join(parts)


# -- the figure --------------------------------------------------------------------------

# Columns, left to right: the focus position, its claims, the other claims, the others.
_COLUMN_X = (1.1, 5.0, 9.8, 12.9)
_COLUMN_HEADINGS = ("Position", "Claims for it", "Claims against it", "Opposing positions")


def _layout(argument_map: ArgumentMap) -> dict[str, tuple[float, float]]:
    """Data coordinates of every node; claims stack from the top in their column."""
    focus_claims = argument_map.claims_of(argument_map.focus)
    others = [p for p in argument_map.positions if p.id != argument_map.focus]
    other_claims = [claim for p in others for claim in argument_map.claims_of(p.id)]
    top = max(len(focus_claims), len(other_claims), 1)
    places: dict[str, tuple[float, float]] = {}

    def stack(nodes, x):
        gap = top / max(len(nodes), 1)
        for index, node in enumerate(nodes):
            places[node.id] = (x, top - gap * (index + 0.5))

    stack(focus_claims, _COLUMN_X[1])
    stack(other_claims, _COLUMN_X[2])
    places[argument_map.focus] = (_COLUMN_X[0], top / 2)
    for position in others:
        ys = [places[claim.id][1] for claim in argument_map.claims_of(position.id)]
        places[position.id] = (_COLUMN_X[3], sum(ys) / len(ys) if ys else top / 2)
    return places


def _wrap(node: Node) -> str:
    text = "\n".join(textwrap.wrap(node.label, _WRAP_WIDTH, break_on_hyphens=False))
    return f"{text}\n[{'; '.join(node.sources)}]"


def _facing_sides(source, target):
    """Arrow ends on the sides of two boxes that face each other.

    Starting and ending on box sides (not centres) keeps arrows out of the
    neighbouring boxes in a column. Boxes are ``[[x0, y0], [x1, y1]]``.
    """
    (sx0, sy0), (sx1, sy1) = source
    (tx0, ty0), (tx1, ty1) = target
    source_mid, target_mid = (sy0 + sy1) / 2, (ty0 + ty1) / 2
    # Spread arrowheads over the target's side, in the order their sources stand.
    reach = 0.4 * (ty1 - ty0)
    target_mid += max(-reach, min(reach, 0.15 * (source_mid - target_mid)))
    if (tx0 + tx1) < (sx0 + sx1):  # target to the left
        return (sx0, source_mid), (tx1, target_mid)
    return (sx1, source_mid), (tx0, target_mid)


def draw_map(argument_map: ArgumentMap | None = None) -> Figure:
    """Boxes for positions (bold, grey) and claims (white); arrows for the links."""
    argument_map = argument_map or course_map()
    places = _layout(argument_map)
    height = max(y for _, y in places.values()) + 0.5
    fig = Figure(figsize=(13, max(6.0, 1.05 * height + 1.5)))
    ax = fig.add_subplot()
    ax.set_xlim(-0.3, 14.3)
    ax.set_ylim(-0.3, height + 0.4)
    ax.axis("off")

    boxes = {}
    for node in argument_map.nodes:
        x, y = places[node.id]
        is_position = node.kind == POSITION
        boxes[node.id] = ax.text(
            x, y, _wrap(node), ha="center", va="center", zorder=2,
            fontsize=9 if is_position else 8,
            fontweight="bold" if is_position else "normal",
            bbox={
                "boxstyle": "round,pad=0.45",
                "facecolor": "#e6e6e6" if is_position else "white",
                "edgecolor": "black",
                "linewidth": 2.0 if is_position else 0.8,
            },
        )
    for x, heading in zip(_COLUMN_X, _COLUMN_HEADINGS, strict=True):
        ax.text(x, height + 0.15, heading, ha="center", va="bottom", fontsize=10,
                fontstyle="italic")
    # Box sizes are only known once the text is laid out. Lay out just the boxes, with
    # the Agg renderer the figure is later drawn with: figure_display.figure_png reuses
    # it and the text sizes it has cached, so the text is measured once.
    renderer = FigureCanvasAgg(fig).get_renderer()
    to_data = ax.transData.inverted()
    extents = {}
    for node_id, box in boxes.items():
        box.update_bbox_position_size(renderer)
        extents[node_id] = to_data.transform(
            box.get_bbox_patch().get_window_extent(renderer)).tolist()
    for link in argument_map.links:
        start, end = _facing_sides(extents[link.source], extents[link.target])
        style = _RELATION_STYLE[link.relation]
        # Bend objections slightly, so two links between the same boxes stay apart.
        bend = 0.0 if link.relation == SUPPORTS else 0.12
        ax.annotate(
            "", xy=end, xytext=start, zorder=3,
            arrowprops={
                "arrowstyle": "-|>", "mutation_scale": 14, "linewidth": 1.4,
                "color": style["color"], "linestyle": style["linestyle"],
                "connectionstyle": f"arc3,rad={bend}", "shrinkA": 3, "shrinkB": 3,
            },
        )
    ax.set_title(argument_map.title, fontsize=13, pad=12)
    handles = [
        Line2D([], [], color=_RELATION_STYLE[SUPPORTS]["color"], linewidth=1.6,
               linestyle="-", marker=">", label="supports (solid arrow)"),
        Line2D([], [], color=_RELATION_STYLE[OBJECTS_TO]["color"], linewidth=1.6,
               linestyle="--", marker=">", label="objects to (dashed arrow)"),
        Patch(facecolor="#e6e6e6", edgecolor="black", linewidth=2.0, label="position"),
        Patch(facecolor="white", edgecolor="black", linewidth=0.8,
              label="claim [seed source tags]"),
    ]
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, 0.0), ncol=4,
              frameon=False, fontsize=9)
    return fig
