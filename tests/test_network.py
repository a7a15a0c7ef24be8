"""The actor network: evidence on every edge, faithful exports, a stable layout, known metrics."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import warnings
from pathlib import Path

import networkx as nx
import pytest

from analysis import ProjectPaths
from analysis.facts.extract import extract_facts
from analysis.network.graph import ActorGraph, export_graph, metrics
from analysis.network.layout import layout


@pytest.fixture(scope="module")
def facts(seed_facts):
    return seed_facts


@pytest.fixture(scope="module")
def actors(facts) -> ActorGraph:
    return ActorGraph.from_facts(facts)


def test_every_edge_rests_on_evidence_in_its_source(facts, actors) -> None:
    texts = {s.source_id: s.text for s in facts.sources}
    for u, v, d in actors.graph.edges(data=True):
        spans = [span.split(":") for span in d["spans"].split("|")]
        assert spans and d["evidence"], (u, v)
        for source_id, start, end in spans:
            assert texts[source_id][int(start):int(end)] in d["evidence"]
        for part in d["evidence"].split(" ‖ "):
            assert any(part in texts[s] for s in d["source_ids"].split("|"))
        assert d["kind"] in {"relation", "co-mention"}
        assert d["weight"] >= 1


def test_all_article_actors_are_nodes_once(actors) -> None:
    expected = {"china", "pakistan", "united_states", "france", "italy", "cmsa", "cnsa", "suparco",
                "esa", "galaxy_space", "hku", "cnn", "reuters", "quentin_parker", "amjad_ali",
                "shehbaz_sharif", "amer_gilani", "cpec", "bri", "tiangong", "iss", "shenzhou_20",
                "shenzhou_19", "jiuquan", "change_5", "change_6", "pm_office_pakistan"}
    assert expected <= set(actors.graph.nodes)
    labels = [d["label"] for _, d in actors.graph.nodes(data=True)]
    assert len(labels) == len(set(labels)), "one node per actor: aliases are merged"
    assert actors.graph.nodes["china"]["mentions"] > 10  # China, Chinese, Beijing … all count


def test_relation_direction_follows_the_predicate(actors) -> None:
    edges = {(u, v, d["predicate"]): d for u, v, d in actors.graph.edges(data=True)}
    assert edges[("cmsa", "china", "agency_of")]["directed"] is True
    assert edges[("china", "united_states", "competes_with")]["directed"] is False


def test_graphml_and_gexf_round_trip(actors, tmp_path: Path) -> None:
    table = metrics(actors)
    graphml, gexf, nodelink = export_graph(actors, table, tmp_path, modified="2025-04-24")
    written = nx.read_graphml(graphml, force_multigraph=True)
    assert dict(written.nodes(data=True)) == {
        n: {**d, **{k: v for k, v in written.nodes[n].items() if k not in d}}
        for n, d in actors.graph.nodes(data=True)}
    original = {(u, v, k): d for u, v, k, d in actors.graph.edges(keys=True, data=True)}
    assert {(u, v, k): d for u, v, k, d in written.edges(keys=True, data=True)} == original
    read_gexf = nx.read_gexf(gexf)
    assert read_gexf.number_of_nodes() == actors.graph.number_of_nodes()
    for u, v, k, d in read_gexf.edges(keys=True, data=True):
        ref = original[(u, v, k)]
        for name in ("kind", "predicate", "evidence", "source_ids", "spans", "origin"):
            assert d[name] == ref[name]
        assert float(d["weight"]) == ref["weight"]
    assert {n["id"] for n in json.loads(nodelink.read_text())["nodes"]} == set(actors.graph.nodes)


def test_exports_are_identical_across_runs(actors, seed_paths, tmp_path: Path) -> None:
    first = export_graph(actors, metrics(actors), tmp_path / "a", modified="2025-04-24")
    second = export_graph(ActorGraph.from_facts(extract_facts(seed_paths)), metrics(actors), tmp_path / "b",
                          modified="2025-04-24")
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]


def test_layout_is_identical_across_processes(actors, seed_paths) -> None:
    code = ("import json; from analysis.facts.extract import extract_facts; "
            "from analysis.network.graph import ActorGraph; from analysis.network.layout import layout; "
            "print(json.dumps(layout(ActorGraph.from_facts(extract_facts()))))")
    env = {**os.environ, "ANALYSIS_PROJECT_ROOT": str(seed_paths.root)}
    other_process = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                                   check=True, env=env).stdout  # its own hash seed, its own RNG state
    assert {k: list(v) for k, v in layout(actors).items()} == json.loads(other_process)


def hand_made(edges: list[tuple[str, str]]) -> ActorGraph:
    graph = nx.MultiDiGraph()
    for node in sorted({n for e in edges for n in e}):
        graph.add_node(node, label=node.upper(), short=node, type="country", country="", mentions=1)
    for i, (u, v) in enumerate(edges):
        graph.add_edge(u, v, key=f"R{i}", kind="relation", predicate="cooperates_with", directed=False,
                       weight=1, source_ids="s", evidence="e", spans="s:0:1", origin="curated")
    return ActorGraph(graph)


def test_metrics_of_a_star_match_known_values() -> None:
    star = metrics(hand_made([("hub", leaf) for leaf in ("a", "b", "c", "d")])).set_index("entity_id")
    assert star.loc["hub", "degree"] == 4 and star.loc["a", "degree"] == 1
    assert star.loc["hub", "betweenness"] == pytest.approx(1.0)  # every leaf-to-leaf path crosses it
    assert star.loc["a", "betweenness"] == 0
    assert star.pagerank.sum() == pytest.approx(1.0, abs=1e-5)
    assert star.loc["hub", "pagerank"] > star.loc["a", "pagerank"]
    assert len({star.loc[leaf, "pagerank"] for leaf in "abcd"}) == 1


def test_metrics_of_a_path_match_known_values() -> None:
    path = metrics(hand_made([("a", "b"), ("b", "c")])).set_index("entity_id")
    assert path.loc["b", "betweenness"] == pytest.approx(1.0)
    assert path.loc["a", "betweenness"] == pytest.approx(0.0)
    assert path.loc["a", "eigenvector"] == pytest.approx(0.5)  # (1/2, 1/√2, 1/2)
    assert path.loc["b", "eigenvector"] == pytest.approx(2 ** -0.5)


def test_metrics_of_two_components_are_defined_on_each() -> None:
    """A story's graph is often disconnected: a new source's actors share no sentence with the rest."""
    two = metrics(hand_made([("hub", "a"), ("hub", "b"), ("hub", "c"), ("x", "y")])).set_index("entity_id")
    assert two.notna().all().all()
    star = metrics(hand_made([("hub", "a"), ("hub", "b"), ("hub", "c")]))
    pair = metrics(hand_made([("x", "y")]))
    # eigenvector: each component's own value, scaled by its share of the actors (4 of 6, 2 of 6)
    for part, share in ((star, 4 / 6), (pair, 2 / 6)):
        for row in part.itertuples():
            assert two.loc[row.entity_id, "eigenvector"] == pytest.approx(row.eigenvector * share, abs=1e-6)
    assert two.loc["hub", "community"] != two.loc["x", "community"]
    assert two.loc["x", "betweenness"] == 0 and two.loc["hub", "betweenness"] > 0


def test_entity_without_mention_or_relation_is_left_out_and_check_names_it(
        scratch: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture) -> None:
    from analysis.cli import main

    entities = scratch / "analysis" / "knowledge" / "entities.yaml"
    text = entities.read_text(encoding="utf-8") + "\n"
    entities.write_text(text + "- id: roscosmos\n  name: Roscosmos\n  type: agency\n  source: test\n",
                        encoding="utf-8")
    facts = extract_facts(ProjectPaths(scratch))
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the graph itself warns of nothing: editions build it too
        graph = ActorGraph.from_facts(facts).graph
    assert "roscosmos" not in graph
    monkeypatch.setenv("ANALYSIS_PROJECT_ROOT", str(scratch))
    monkeypatch.chdir(scratch)
    assert main(["check"]) == 0
    line = text.count("\n") + 1
    assert f"analysis/knowledge/entities.yaml:{line}: entity 'roscosmos'" in capsys.readouterr().err


def test_an_actor_tied_to_neither_side_stands_under_the_picture_not_far_away() -> None:
    """An actor named alone (no co-mention, no relation) once landed thirty times further out than
    the rest, and the picture squeezed every other actor into a column to fit it."""
    from analysis.network.layout import layout

    actors = hand_made([("china", "cnsa"), ("cnsa", "suparco"), ("suparco", "pakistan")])
    actors.graph.add_node("alone", label="ALONE", short="alone", type="institution", country="", mentions=1)
    pos = layout(actors)
    tied = [x for n, (x, _) in pos.items() if n != "alone"]
    assert max(abs(x) for x, _ in pos.values()) <= 1.5 * max(abs(x) for x in tied)
    assert pos["alone"][1] < min(y for n, (_, y) in pos.items() if n != "alone")
