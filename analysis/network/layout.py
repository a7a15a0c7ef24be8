"""Where each actor sits in the network picture: the same positions on every run.

A seeded spring layout with China and Pakistan pinned, then labels pushed apart."""

from __future__ import annotations

import networkx as nx

from .graph import SEED, SIDES, ActorGraph

# The two sides are pinned left and right, so the picture reads the same way every time:
# China's actors gather to the left, Pakistan's to the right, bridges in between.
ANCHORS = {SIDES[0]: (-1.0, 0.0), SIDES[1]: (1.0, 0.0)}


def layout(actors: ActorGraph) -> dict[str, tuple[float, float]]:
    """Deterministic positions: a seeded spring layout with China and Pakistan pinned.

    Rounded so the stored figures are byte-identical across runs.
    """
    whole = actors.undirected()
    if whole.number_of_nodes() == 0:
        return {}
    pinned = {n: xy for n, xy in ANCHORS.items() if n in whole}
    joined = set().union(*(nx.node_connected_component(whole, n) for n in pinned)) if pinned else set(whole)
    graph = whole.subgraph(joined)
    pos = nx.spring_layout(graph, pos=pinned or None, fixed=list(pinned) or None, seed=SEED,
                           weight="weight", k=3.0 / graph.number_of_nodes() ** 0.5, iterations=300)
    height = max((abs(y) for _, y in pos.values()), default=0.0) or 1.0
    pos = {n: (float(x), float(y) / height) for n, (x, y) in pos.items()}  # use the full height
    # Actors tied to neither side (named alone, in a sentence with no other actor) stand in a row
    # under the picture: the spring layout pushed a lone node thirty times further out than the
    # rest, and the picture shrank the others into a column to fit it.
    apart = sorted(set(whole) - joined)
    for i, n in enumerate(apart):
        pos[n] = (-1.0 + 2.0 * (i + 0.5) / len(apart), -1.25)
    labels = {n: d.get("short", n) for n, d in actors.graph.nodes(data=True)}
    pos = declutter(pos, fixed=set(pinned), labels=labels)
    return {n: (round(float(x), 4), round(float(y), 4)) for n, (x, y) in sorted(pos.items())}


CHAR_WIDTH = 0.032  # one label character, in layout units, at print width (≈ 680 px)
MARKER_WIDTH = 0.07


def label_extent(x: float, label: str, centre: float) -> tuple[float, float]:
    """Horizontal span of a node and its label; labels sit right of centre-right nodes, left of
    the others (as drawn by network_chart)."""
    length = CHAR_WIDTH * len(label) + MARKER_WIDTH
    return (x - MARKER_WIDTH, x + length) if x >= centre else (x - length, x + MARKER_WIDTH)


def declutter(pos: dict[str, tuple[float, float]], fixed: set[str], labels: dict[str, str], *,
              gap: float = 0.11, rounds: int = 400) -> dict[str, tuple[float, float]]:
    """Push apart, vertically, nodes whose labels would overlap (their node-plus-label spans
    overlap across and they are closer than ``gap`` up-down). Deterministic: sorted order."""
    pos = dict(pos)
    names = sorted(pos)
    centre = sum(x for x, _ in pos.values()) / len(pos)
    for _ in range(rounds):
        moved = False
        for i, a in enumerate(names):
            for b in names[i + 1:]:
                (xa, ya), (xb, yb) = pos[a], pos[b]
                if abs(ya - yb) >= gap:
                    continue
                (a0, a1), (b0, b1) = (label_extent(xa, labels.get(a, a), centre),
                                      label_extent(xb, labels.get(b, b), centre))
                if a1 <= b0 or b1 <= a0:
                    continue
                push = gap - abs(ya - yb)
                up, down = (a, b) if (ya, a) >= (yb, b) else (b, a)
                if up in fixed and down in fixed:
                    continue
                share_up = 0.0 if up in fixed else (1.0 if down in fixed else 0.5)
                pos[up] = (pos[up][0], pos[up][1] + push * share_up + 1e-4)
                pos[down] = (pos[down][0], pos[down][1] - push * (1 - share_up) - 1e-4)
                moved = True
        if not moved:
            break
    return pos
