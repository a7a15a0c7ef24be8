"""The actor network: who works with whom, from curated relations and from co-mention.

Two edge kinds live in one ``networkx.MultiDiGraph`` so they can be shown together or apart:

- ``relation``: a typed relation (``relations.csv``); ``directed`` follows the predicate;
- ``co-mention``: two actors named in the same sentence (undirected), weighted by the number
  of such sentences.

Every edge keeps its source ids and the verbatim evidence it rests on; every node keeps its
type, country, mention count and first mention.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

import networkx as nx
import pandas as pd

from ..datapackage import TABLES_BY_NAME
from ..facts.extract import Facts
from ..inputs.gazetteer import Entity

SEED = 20250424  # fixed seed: layout and communities are identical on every run
EVIDENCE_JOIN = " ‖ "  # between several evidence sentences of one co-mention edge
SIDES = ("china", "pakistan")


@dataclass
class ActorGraph:
    graph: nx.MultiDiGraph

    @classmethod
    def from_facts(cls, facts: Facts) -> ActorGraph:
        return cls(build_graph(facts))

    def kind(self, kind: str) -> ActorGraph:
        """Only the edges of one kind ("relation" or "co-mention"), all nodes kept."""
        view = nx.MultiDiGraph(**self.graph.graph)
        view.add_nodes_from(self.graph.nodes(data=True))
        view.add_edges_from((u, v, k, d) for u, v, k, d in self.graph.edges(keys=True, data=True)
                            if d["kind"] == kind)
        return ActorGraph(view)

    def undirected(self, kinds: tuple[str, ...] = ("relation", "co-mention")) -> nx.Graph:
        """A simple weighted graph for metrics: parallel edges of the chosen kinds summed."""
        simple = nx.Graph()
        simple.add_nodes_from(sorted(self.graph.nodes(data=True)))
        for u, v, _, d in sorted(self.graph.edges(keys=True, data=True), key=lambda e: e[:3]):
            if d["kind"] not in kinds:
                continue
            if simple.has_edge(u, v):
                simple[u][v]["weight"] += d["weight"]
            else:
                simple.add_edge(u, v, weight=d["weight"])
        return simple

    def ego(self, node: str, radius: int = 1) -> ActorGraph:
        keep = nx.ego_graph(self.undirected(), node, radius=radius).nodes
        return ActorGraph(self.graph.subgraph(keep).copy())


def build_graph(facts: Facts) -> nx.MultiDiGraph:
    entities = facts["entities"].set_index("entity_id")
    mentions = facts["mentions"]
    relations = facts["relations"]
    graph = nx.MultiDiGraph(name="China space diplomacy actors", seed=SEED)
    short_names = {e.entity_id: short_name(e) for e in facts.knowledge.gazetteer.entities.values()}
    connected = set(mentions.entity_id) | set(relations.subject_id) | set(relations.object_id)
    for entity_id in sorted(entities.index):
        if entity_id not in connected:
            # left out, not drawn alone; `check` names it with its file:line. No warning here: the
            # graph is also built for an edition's earlier sources, where most entities are absent.
            continue
        row = entities.loc[entity_id]
        own = mentions[mentions.entity_id == entity_id].sort_values(["source_id", "start"])
        first = own.iloc[0] if len(own) else None
        graph.add_node(entity_id, label=row["name"], short=short_names.get(entity_id, row["name"]),
                       type=row["type"], country=row["country"],
                       mentions=len(own),
                       first_source=first.source_id if first is not None else "",
                       first_start=int(first.start) if first is not None else -1,
                       first_text=first.text if first is not None else "")
    for r in relations.sort_values("relation_id").itertuples():
        graph.add_edge(r.subject_id, r.object_id, key=r.relation_id, kind="relation",
                       predicate=r.predicate, directed=bool(r.directed), weight=1,
                       source_ids=r.source_id, evidence=r.evidence,
                       spans=f"{r.source_id}:{r.start}:{r.end}", origin=r.origin)
    for (a, b), rows in sorted(_co_mentions(facts).items()):
        graph.add_edge(a, b, key=f"C:{a}:{b}", kind="co-mention", predicate="co_mentioned",
                       directed=False, weight=len(rows),
                       source_ids="|".join(sorted({s for s, _, _, _ in rows})),
                       evidence=EVIDENCE_JOIN.join(t for _, _, _, t in rows),
                       spans="|".join(f"{s}:{st}:{en}" for s, st, en, _ in rows), origin="derived")
    return graph


def short_name(entity: Entity, width: int = 16) -> str:
    """A label for charts: the name or an alias that fits ``width``, else an abbreviation, else
    the shortest name or alias."""
    names = sorted((a.text for a in entity.aliases if a.form in ("name", "alias")),
                   key=lambda t: (t != entity.name, len(t)))
    fitting = [t for t in names if len(t) <= width]
    if fitting:
        return fitting[0]
    abbreviations = sorted((a.text for a in entity.aliases if a.form == "abbreviation"), key=len)
    return abbreviations[0] if abbreviations else min(names, key=len)


def _co_mentions(facts: Facts) -> dict[tuple[str, str], list[tuple[str, int, int, str]]]:
    """Pairs of entities named in one sentence → the sentences (source, start, end, text)."""
    by_source = {s.source_id: s for s in facts.sources}
    pairs: dict[tuple[str, str], list[tuple[str, int, int, str]]] = {}
    mentions = facts["mentions"]
    named: dict[tuple[str, int], set[str]] = {}  # plain columns: a pandas group per sentence was slow
    for source_id, sentence, entity_id in zip(mentions.source_id.tolist(), mentions.sentence.tolist(),
                                              mentions.entity_id.tolist(), strict=True):
        named.setdefault((source_id, int(sentence)), set()).add(entity_id)
    for (source_id, sentence), actors in sorted(named.items()):
        span = by_source[source_id].sentences[sentence]
        for a, b in combinations(sorted(actors), 2):
            pairs.setdefault((a, b), []).append((source_id, span.start, span.end, span.text))
    return pairs


def metrics(actors: ActorGraph) -> pd.DataFrame:
    """Degree, weighted degree, betweenness, PageRank, eigenvector, Louvain community, side.

    ``bridging`` is betweenness restricted to shortest paths from China-side to Pakistan-side
    actors (scaled so the strongest bridge is 1): who carries the links between the two.
    Shortest paths use distance = 1 / weight, so repeated co-mention makes actors closer.
    """
    graph = actors.undirected()
    schema = TABLES_BY_NAME["network_metrics"]
    if graph.number_of_nodes() == 0:
        return schema.frame([])
    distance = {(u, v): 1 / d["weight"] for u, v, d in graph.edges(data=True)}
    nx.set_edge_attributes(graph, distance, "distance")
    betweenness = nx.betweenness_centrality(graph, weight="distance", normalized=True)
    pagerank = nx.pagerank(graph, weight="weight")
    eigen = eigenvector_by_component(graph)
    sides = {n: side_of(n, d) for n, d in graph.nodes(data=True)}
    bridging = nx.betweenness_centrality_subset(
        graph, sources=[n for n, side in sides.items() if side == SIDES[0]],
        targets=[n for n, side in sides.items() if side == SIDES[1]], weight="distance", normalized=True)
    top_bridging = max(bridging.values()) or 1.0
    communities = nx.community.louvain_communities(graph, weight="weight", seed=SEED)
    community_of = {n: i for i, c in enumerate(sorted(communities, key=lambda c: (-len(c), min(c))))
                    for n in c}
    rows = []
    for node, data in sorted(graph.nodes(data=True)):
        neighbours = sorted(graph.neighbors(node))
        rows.append({
            "entity_id": node, "name": data["label"], "short": data["short"], "type": data["type"],
            "country": data["country"],
            "mentions": data["mentions"], "degree": graph.degree(node),
            "weighted_degree": graph.degree(node, weight="weight"),
            "betweenness": round(betweenness[node], 6), "pagerank": round(pagerank[node], 6),
            "eigenvector": round(abs(eigen.get(node, 0.0)), 6), "community": community_of[node],
            "side": sides[node], "bridging": round(bridging[node] / top_bridging, 6),
            "neighbours": "|".join(neighbours),
        })
    frame = schema.frame(rows)
    return frame.sort_values(["pagerank", "entity_id"], ascending=[False, True]).reset_index(drop=True)


def eigenvector_by_component(graph: nx.Graph) -> dict[str, float]:
    """Eigenvector centrality of each connected component, scaled by the component's share of
    the actors: defined on a disconnected graph (a new source's actors often share no sentence
    with the rest), and the same as the whole-graph value on a connected one."""
    scores: dict[str, float] = {}
    n = graph.number_of_nodes()
    for component in nx.connected_components(graph):
        sub = graph.subgraph(component)
        if sub.number_of_edges() == 0:
            scores.update(dict.fromkeys(component, 0.0))
            continue
        share = len(component) / n
        if len(component) == 2:  # the sparse solver needs three nodes; two share the centrality
            values = dict.fromkeys(component, 2 ** -0.5)
        else:
            values = nx.eigenvector_centrality_numpy(sub, weight="weight")
        scores.update({node: value * share for node, value in values.items()})
    return scores


def side_of(node: str, data: dict) -> str:
    """China side, Pakistan side, or neither: by the entity's country."""
    country = data.get("country") or (node if data.get("type") == "country" else "")
    return country if country in SIDES else "other"


def cross_side_edges(actors: ActorGraph) -> pd.DataFrame:
    """Edges that join a China-side actor to a Pakistan-side actor, with their evidence."""
    rows = []
    for u, v, d in actors.graph.edges(data=True):
        su, sv = side_of(u, actors.graph.nodes[u]), side_of(v, actors.graph.nodes[v])
        if {su, sv} == set(SIDES):
            rows.append({"from": u, "to": v, "kind": d["kind"], "predicate": d["predicate"],
                         "weight": d["weight"], "evidence": d["evidence"]})
    return pd.DataFrame(rows, columns=["from", "to", "kind", "predicate", "weight", "evidence"]) \
        .sort_values(["kind", "weight", "from", "to"], ascending=[False, False, True, True]) \
        .reset_index(drop=True)


def co_mention_only_pairs(actors: ActorGraph) -> pd.DataFrame:
    """Pairs that co-occur in sentences but have no curated relation: what co-mention adds."""
    related = {frozenset((u, v)) for u, v, d in actors.graph.edges(data=True) if d["kind"] == "relation"}
    names = nx.get_node_attributes(actors.graph, "label")
    rows = [{"a": u, "b": v, "actor_a": names[u], "actor_b": names[v], "sentences": d["weight"],
             "first_sentence": d["evidence"].split(EVIDENCE_JOIN)[0]}
            for u, v, d in actors.graph.edges(data=True)
            if d["kind"] == "co-mention" and frozenset((u, v)) not in related]
    return pd.DataFrame(rows, columns=["a", "b", "actor_a", "actor_b", "sentences", "first_sentence"]) \
        .sort_values(["sentences", "a", "b"], ascending=[False, True, True]).reset_index(drop=True)


METRIC_ATTRIBUTES = ("degree", "weighted_degree", "betweenness", "pagerank", "eigenvector",
                     "community", "side", "bridging")


def with_metrics(actors: ActorGraph, table: pd.DataFrame) -> nx.MultiDiGraph:
    """A copy of the graph whose nodes also carry their metrics, for Gephi, Cytoscape or D3."""
    graph = actors.graph.copy()
    for row in table.itertuples():
        for name in METRIC_ATTRIBUTES:
            value = getattr(row, name)
            graph.nodes[row.entity_id][name] = value.item() if hasattr(value, "item") else value
    return graph


def export_graph(actors: ActorGraph, table: pd.DataFrame, folder: Path, *,
                 modified: str) -> list[Path]:
    """GraphML, GEXF and node-link JSON, attributes kept. ``modified`` fixes GEXF's date stamp
    (networkx writes today's date), so two builds give identical files."""
    folder.mkdir(parents=True, exist_ok=True)
    graph = with_metrics(actors, table)
    graphml, gexf, nodelink = (folder / f"network.{ext}" for ext in ("graphml", "gexf", "json"))
    nx.write_graphml(graph, graphml, encoding="utf-8")
    for u, v, key in graph.edges(keys=True):
        graph.edges[u, v, key]["id"] = key  # GEXF numbers edges unless given an id
    text = "\n".join(nx.generate_gexf(graph, encoding="utf-8"))
    gexf.write_text(re.sub(r'lastmodifieddate="[^"]*"', f'lastmodifieddate="{modified}"', text) + "\n",
                    encoding="utf-8")
    data = nx.node_link_data(graph, edges="edges")
    nodelink.write_text(json.dumps(data, indent=1, ensure_ascii=False, sort_keys=True) + "\n",
                        encoding="utf-8")
    return [graphml, gexf, nodelink]
