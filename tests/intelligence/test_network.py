"""The pure network analysis on small hand-built graphs whose answers are known (csphub.intelligence.network)."""

from __future__ import annotations

import csv
import datetime as dt
import io

import networkx as nx
import pytest

from csphub.intelligence.network import (
    Edge,
    NetworkSettings,
    Node,
    analyse,
    betweenness,
    build,
    graphml,
    i2_entities_csv,
    i2_links_csv,
    shortest_path,
)

D = dt.date(2026, 1, 1)


def _two_groups() -> tuple[list[Node], list[Edge]]:
    """Two groups of four who all know each other (Kettering, Corby), and one person, x, linked to one of each."""
    nodes = [Node(f"a{i}", "person", f"A{i}", ("Kettering",)) for i in range(4)]
    nodes += [Node(f"b{i}", "person", f"B{i}", ("Corby",)) for i in range(4)]
    nodes.append(Node("x", "person", "X"))
    edges = [Edge(f"{g}{i}", f"{g}{j}", "group_member", valid_from=D) for g in "ab" for i in range(4) for j in range(i)]
    edges += [Edge("a0", "x", "line_nominal", "runner", D), Edge("x", "b0", "line_nominal", "runner", D)]
    return nodes, edges


def test_it_ranks_the_middle_of_a_chain_as_the_connector() -> None:
    nodes = [Node(n, "person", n.upper()) for n in "abc"]
    result = analyse(nodes, [Edge("a", "b", "link"), Edge("b", "c", "link")])
    top = result.ranking[0]
    assert (top.node, top.degree, top.betweenness) == ("b", 2, 1.0)
    assert result.centrality["a"].betweenness == 0.0
    assert result.centrality["b"].degree_centrality == 1.0
    assert not result.betweenness_sampled


def test_it_finds_who_connects_two_groups_and_the_two_communities() -> None:
    result = analyse(*_two_groups())
    # Every shortest path between the groups runs a0 - x - b0: x lies on all 16 of the 28 pairs' paths not its own.
    assert [c.node for c in result.ranking[:3]] == ["x", "a0", "b0"]
    assert result.centrality["x"].betweenness == pytest.approx(16 / 28)
    members = [set(c.members) for c in result.communities]
    assert any({"a0", "a1", "a2", "a3"} <= m for m in members)
    assert any({"b0", "b1", "b2", "b3"} <= m for m in members)
    assert len(result.communities) == 2


def test_it_finds_the_same_communities_greedily() -> None:
    result = analyse(*_two_groups(), NetworkSettings(communities="greedy"))
    assert len(result.communities) == 2
    assert {"a0", "a1", "a2", "a3"} <= set(result.communities[0].members) | set(result.communities[1].members)


def test_it_gives_the_same_answer_for_the_same_seed_when_it_samples_betweenness() -> None:
    nodes, edges = _two_groups()
    cfg = NetworkSettings(exact_betweenness_up_to=3, betweenness_k=4, seed=7)
    first, second = analyse(nodes, edges, cfg), analyse(nodes, edges, cfg)
    assert first.betweenness_sampled and first.betweenness_k == 4
    assert first.ranking == second.ranking


@pytest.mark.parametrize("sampled", [False, True])
def test_its_betweenness_is_networkx_s(sampled: bool) -> None:
    graph = nx.relabel_nodes(nx.connected_watts_strogatz_graph(120, 4, 0.2, seed=3), str)
    nx.set_node_attributes(graph, {n: Node(n, "person", n) for n in graph.nodes}, "node")
    cfg = NetworkSettings(exact_betweenness_up_to=50 if sampled else 1000, betweenness_k=30, seed=5)
    ours, was_sampled = betweenness(graph, cfg)
    theirs = nx.betweenness_centrality(graph, k=30 if sampled else None, seed=5 if sampled else None)
    assert was_sampled is sampled
    assert ours == pytest.approx(theirs, abs=1e-12)


def test_it_finds_the_shortest_path_between_two_nominals() -> None:
    nodes, edges = _two_groups()
    graph = build(nodes, edges)
    path = shortest_path(graph, "a2", "b3")
    assert path is not None
    assert path.nodes == ("a2", "a0", "x", "b0", "b3")
    assert [e.type for e in path.edges] == ["group_member", "line_nominal", "line_nominal", "group_member"]
    assert shortest_path(graph, "a2", "nobody") is None
    graph.add_node("alone", node=Node("alone", "person", "Alone"))
    assert shortest_path(graph, "a2", "alone") is None


def test_it_finds_the_bridges_between_districts() -> None:
    nodes, edges = _two_groups()
    nodes += [Node("line", "line", "TONY line", ("Kettering",)), Node("ocg", "group", "Corby crew", ("Corby",))]
    edges.append(Edge("line", "ocg", "line_group", valid_from=D))
    result = analyse(nodes, edges)
    # x links a Kettering and a Corby person (a bridge node); the Kettering line run by the Corby group is a link
    # across districts (each has one neighbour only, so neither is a bridge node).
    assert {b.node: b.districts for b in result.bridges} == {"x": ("Corby", "Kettering")}
    assert [(e.source, e.target) for e in result.cross_district_edges] == [("line", "ocg")]
    # A person whose neighbours share a district is no bridge: a1 is linked only to Kettering people.
    assert "a1" not in {b.node for b in result.bridges}


def test_it_lists_the_links_that_began_since_a_date() -> None:
    nodes, edges = _two_groups()
    edges.append(Edge("a1", "b1", "line_nominal", "runner", dt.date(2026, 3, 1)))
    result = analyse(nodes, edges, since=dt.date(2026, 2, 1))
    assert [(e.source, e.target) for e in result.new_links] == [("a1", "b1")]
    assert analyse(nodes, edges).new_links == ()


def test_it_exports_graphml_that_networkx_reads_back() -> None:
    nodes, edges = _two_groups()
    graph = build(nodes, edges)
    out = io.BytesIO()
    graphml(graph, out, analyse(nodes, edges))
    back = nx.read_graphml(io.BytesIO(out.getvalue()))
    assert back.number_of_nodes() == 9 and back.number_of_edges() == graph.number_of_edges()
    assert back.nodes["a0"]["districts"] == "Kettering"
    assert back.nodes["x"]["label"] == "X"
    assert back.edges["a0", "x"]["role"] == "runner"
    assert back.edges["a0", "x"]["valid_from"] == D.isoformat()


def test_it_exports_entities_and_links_in_the_i2_shape_safe_for_a_spreadsheet() -> None:
    nodes = [Node("p1", "person", "=HYPERLINK(1)", ("Corby",), (("born", "1990"),)), Node("l1", "line", "TONY")]
    edges = [Edge("l1", "p1", "line_nominal", "runner", D, dt.date(2026, 2, 1))]
    entities, links = io.StringIO(), io.StringIO()
    assert i2_entities_csv(nodes, entities) == 2
    assert i2_links_csv(edges, links) == 1
    rows = list(csv.reader(io.StringIO(entities.getvalue())))
    assert rows[0] == ["id", "type", "label", "districts", "attributes"]
    assert rows[1] == ["p1", "person", "'=HYPERLINK(1)", "Corby", "born=1990"]
    link = next(iter(csv.DictReader(io.StringIO(links.getvalue()))))
    assert (link["from"], link["to"], link["type"], link["role"]) == ("l1", "p1", "line_nominal", "runner")
    assert (link["valid_from"], link["valid_to"]) == ("2026-01-01", "2026-02-01")


def test_it_refuses_an_unknown_community_method() -> None:
    with pytest.raises(ValueError, match="louvain"):
        NetworkSettings(communities="girvan")
