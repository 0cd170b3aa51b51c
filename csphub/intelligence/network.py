"""Network analysis of the intelligence picture: pure (networkx, no Django), over plain node and edge tuples.

The Django side (``csphub.intelligence.services.network``) takes the picture as at a date from the bitemporal
facts (``timeline.as_at``, through the access policy) and hands this module what the user may see:

- ``Node(id, type, label, districts, attributes)``: a person, phone, place, vehicle, county line or group; ``id`` is
  an opaque string (the Django side uses the record's UUID, never a database id); ``districts`` the districts the
  record itself is in (a line's districts operated in, a group's areas, a place's district; none for a person, a
  phone or a vehicle).
- ``Edge(source, target, type, value, valid_from, valid_to, recorded_at)``: one fact linking two of them.

The questions (``analyse``): degree and betweenness centrality (who connects groups), communities, bridges between
districts, new links since a date; ``shortest_path`` between two records; ``graphml`` and the i2 Analyst's Notebook
CSVs (``i2_entities_csv``, ``i2_links_csv``) for analysts. All settings in one frozen ``NetworkSettings``; randomness
(sampled betweenness, Louvain) seeded, so that the same picture always gives the same answer.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
import random
from collections import defaultdict, deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple, Protocol

import networkx as nx

from csphub.common import csvsafe


class Node(NamedTuple):
    id: str
    type: str  # person, phone, place, vehicle, line, group
    label: str
    districts: tuple[str, ...] = ()
    attributes: tuple[tuple[str, str], ...] = ()


class Edge(NamedTuple):
    source: str
    target: str
    type: str  # the kind of fact: group_member, line_nominal, line_phone…
    value: str = ""  # its role (runner, cuckooed…), if any
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    recorded_at: dt.datetime | None = None


@dataclass(frozen=True)
class NetworkSettings:
    """How the network is analysed.

    ``exact_betweenness_up_to``: graphs with more nodes get Brandes' betweenness estimated from ``betweenness_k``
    sampled sources (Brandes & Pich 2007, networkx's ``k``), seeded by ``seed``; the result says it was sampled.
    ``communities``: "louvain" (Blondel et al. 2008, networkx ``louvain_communities``, seeded) or "greedy"
    (Clauset-Newman-Moore greedy modularity, deterministic). ``top``: rows of the centrality ranking kept."""

    seed: int = 21
    exact_betweenness_up_to: int = 600
    betweenness_k: int = 100
    communities: str = "louvain"
    resolution: float = 1.0
    top: int = 25

    def __post_init__(self) -> None:
        if self.communities not in ("louvain", "greedy"):
            raise ValueError(f"communities must be 'louvain' or 'greedy', not {self.communities!r}")
        if self.betweenness_k < 1 or self.exact_betweenness_up_to < 0 or self.top < 1:
            raise ValueError("betweenness_k and top must be positive, exact_betweenness_up_to not negative")


@dataclass(frozen=True)
class Centrality:
    node: str
    degree: int
    degree_centrality: float  # degree / (n - 1)
    betweenness: float  # normalised: the share of shortest paths between other pairs through this node
    community: int


@dataclass(frozen=True)
class Community:
    index: int  # 0 is the largest
    members: tuple[str, ...]  # node ids, the most central first


@dataclass(frozen=True)
class Bridge:
    """A node linking records of different districts: its neighbours (with districts of their own) are not all in
    one district. ``districts``: the districts it links."""

    node: str
    districts: tuple[str, ...]


@dataclass(frozen=True)
class NetworkResult:
    nodes: int
    edges: int
    ranking: tuple[Centrality, ...]  # by betweenness, then degree: who connects
    centrality: dict[str, Centrality] = field(repr=False)  # every node
    communities: tuple[Community, ...]
    bridges: tuple[Bridge, ...]
    cross_district_edges: tuple[Edge, ...]  # edges between records with districts and none in common
    new_links: tuple[Edge, ...]  # edges that began on or after ``since``
    since: dt.date | None
    betweenness_sampled: bool
    betweenness_k: int | None  # sampled sources, when sampled


@dataclass(frozen=True)
class Path:
    nodes: tuple[str, ...]
    edges: tuple[Edge, ...]


def build(nodes: Iterable[Node], edges: Iterable[Edge]) -> nx.Graph:
    """An undirected graph: node attributes from ``Node``, one edge per linked pair (several facts between the same
    two records are kept together in the edge's ``facts``). Edges naming an unknown node are left out."""
    graph = nx.Graph()
    for n in nodes:
        graph.add_node(n.id, node=n)
    for e in edges:
        if e.source == e.target or e.source not in graph or e.target not in graph:
            continue
        data = graph.get_edge_data(e.source, e.target)
        if data is None:
            graph.add_edge(e.source, e.target, facts=[e])
        else:
            data["facts"].append(e)
    return graph


def _node(graph: nx.Graph, node: str) -> Node:
    value: Node = graph.nodes[node]["node"]
    return value


def betweenness(graph: nx.Graph, settings: NetworkSettings) -> tuple[dict[str, float], bool]:
    """Normalised betweenness centrality, exact or estimated from ``betweenness_k`` seeded sample sources.

    Brandes' algorithm (2001) over integer adjacency lists: the same sums as ``networkx.betweenness_centrality``
    (same sampled sources for the same seed: ``random.Random(seed).sample`` of the nodes, as networkx draws them;
    same rescaling, endpoints excluded), about three times faster than walking networkx's graph views, which is what
    keeps a 2,000-record neighbourhood within the page's second."""
    names = list(graph.nodes)
    n = len(names)
    index = {name: i for i, name in enumerate(names)}
    adj = [[index[m] for m in graph.adj[name]] for name in names]
    sampled = n > settings.exact_betweenness_up_to and settings.betweenness_k < n
    if sampled:
        chosen = random.Random(settings.seed).sample(names, settings.betweenness_k)
        sources = [index[c] for c in chosen]
    else:
        sources = list(range(n))
    raw = _brandes(adj, sources)
    if n <= 2:
        return {name: 0.0 for name in names}, sampled
    # networkx's _rescale (normalised, undirected, endpoints excluded): ordered pairs (s, t), s != v != t.
    if not sampled:
        scale = 1.0 / ((n - 1) * (n - 2))
        return {name: raw[i] * scale for i, name in enumerate(names)}, False
    k = len(sources)
    in_sample = set(sources)
    scale_source = 1.0 / ((k - 1) * (n - 2)) if k > 1 else math.nan
    scale_other = 1.0 / (k * (n - 2))
    return {name: raw[i] * (scale_source if i in in_sample else scale_other) for i, name in enumerate(names)}, True


def _brandes(adj: list[list[int]], sources: Iterable[int]) -> list[float]:
    """Brandes' accumulation of pair dependencies from each source (unweighted, breadth first)."""
    n = len(adj)
    bc = [0.0] * n
    for s in sources:
        order: list[int] = []
        preds: list[list[int]] = [[] for _ in range(n)]
        sigma = [0.0] * n
        dist = [-1] * n
        sigma[s], dist[s] = 1.0, 0
        queue = deque([s])
        while queue:
            v = queue.popleft()
            order.append(v)
            dv, sv = dist[v] + 1, sigma[v]
            for w in adj[v]:
                if dist[w] < 0:
                    dist[w] = dv
                    queue.append(w)
                if dist[w] == dv:
                    sigma[w] += sv
                    preds[w].append(v)
        delta = [0.0] * n
        while order:
            w = order.pop()
            coeff = (1.0 + delta[w]) / sigma[w]
            for v in preds[w]:
                delta[v] += sigma[v] * coeff
            if w != s:
                bc[w] += delta[w]
    return bc


def communities(graph: nx.Graph, settings: NetworkSettings) -> list[list[str]]:
    """Communities (modularity), largest first, each in a stable order."""
    if graph.number_of_nodes() == 0:
        return []
    if graph.number_of_edges() == 0:
        found: list[Any] = [{n} for n in graph.nodes]
    elif settings.communities == "greedy":
        found = list(nx.community.greedy_modularity_communities(graph, resolution=settings.resolution))
    else:
        found = nx.community.louvain_communities(graph, resolution=settings.resolution, seed=settings.seed)
    groups = [sorted(c) for c in found]
    groups.sort(key=lambda c: (-len(c), c[0]))
    return groups


def districts_of(graph: nx.Graph, node: str) -> frozenset[str]:
    return frozenset(_node(graph, node).districts)


def bridges(graph: nx.Graph) -> tuple[list[Bridge], list[Edge]]:
    """Bridges between districts.

    Nodes: a node whose neighbours with districts of their own have no district in common (a runner on a Kettering
    line and in a Wellingborough group; a phone moving between lines of different districts). Edges: a link between
    two records that both have districts and share none (a Kettering line run by a group of Corby)."""
    own = {n: districts_of(graph, n) for n in graph.nodes}
    nodes: list[Bridge] = []
    for n in graph.nodes:
        sets = [own[m] for m in graph.neighbors(n) if own[m]]
        if len(sets) < 2:
            continue
        common = frozenset.intersection(*sets)
        if not common:
            nodes.append(Bridge(n, tuple(sorted(frozenset.union(*sets)))))
    edges: list[Edge] = []
    for a, b, data in graph.edges(data=True):
        if own[a] and own[b] and not (own[a] & own[b]):
            edges.extend(data["facts"])
    return nodes, edges


def new_links(graph: nx.Graph, since: dt.date) -> list[Edge]:
    """The links in the graph that began (valid time) on or after ``since``, newest first."""
    found = [
        e for _a, _b, data in graph.edges(data=True) for e in data["facts"] if e.valid_from and e.valid_from >= since
    ]
    return sorted(found, key=lambda e: (e.valid_from, e.source, e.target), reverse=True)


def analyse(
    nodes: Iterable[Node],
    edges: Iterable[Edge],
    settings: NetworkSettings | None = None,
    *,
    since: dt.date | None = None,
) -> NetworkResult:
    """Centrality, communities, bridges between districts and new links of the network of ``nodes`` and ``edges``."""
    return analyse_graph(build(nodes, edges), settings or NetworkSettings(), since=since)


def analyse_graph(graph: nx.Graph, settings: NetworkSettings, *, since: dt.date | None = None) -> NetworkResult:
    n = graph.number_of_nodes()
    between, sampled = betweenness(graph, settings)
    groups = communities(graph, settings)
    community_of = {node: i for i, members in enumerate(groups) for node in members}
    scale = 1.0 / (n - 1) if n > 1 else 0.0
    every = {
        node: Centrality(node, int(d), d * scale, between.get(node, 0.0), community_of.get(node, -1))
        for node, d in graph.degree()
    }
    ranking = sorted(every.values(), key=lambda c: (-c.betweenness, -c.degree, c.node))[: settings.top]
    ordered = tuple(
        Community(i, tuple(sorted(members, key=lambda m: (-every[m].betweenness, -every[m].degree, m))))
        for i, members in enumerate(groups)
    )
    bridge_nodes, cross = bridges(graph)
    bridge_nodes.sort(key=lambda b: (-len(b.districts), -every[b.node].betweenness, b.node))
    return NetworkResult(
        nodes=n,
        edges=graph.number_of_edges(),
        ranking=tuple(ranking),
        centrality=every,
        communities=ordered,
        bridges=tuple(bridge_nodes),
        cross_district_edges=tuple(sorted(cross, key=lambda e: (e.source, e.target, e.type))),
        new_links=tuple(new_links(graph, since)) if since is not None else (),
        since=since,
        betweenness_sampled=sampled,
        betweenness_k=settings.betweenness_k if sampled else None,
    )


def shortest_path(graph: nx.Graph, source: str, target: str) -> Path | None:
    """The shortest chain of links from ``source`` to ``target`` (None if they are not connected or not both in the
    graph). Among paths of the same length networkx's breadth-first search picks one; it is stable for a graph."""
    if source not in graph or target not in graph:
        return None
    try:
        nodes = nx.shortest_path(graph, source, target)
    except nx.NetworkXNoPath:
        return None
    edges = tuple(graph.edges[a, b]["facts"][0] for a, b in itertools.pairwise(nodes))
    return Path(tuple(nodes), edges)


# --- exports -------------------------------------------------------------------------------------------------------


class Writable(Protocol):
    def write(self, text: str, /) -> Any: ...


def _date(value: dt.date | dt.datetime | None) -> str:
    return value.isoformat() if value is not None else ""


def for_graphml(graph: nx.Graph, result: NetworkResult | None = None) -> nx.Graph:
    """A copy of the graph with only GraphML's plain attribute types (strings and numbers)."""
    out = nx.Graph()
    for n, data in graph.nodes(data=True):
        node: Node = data["node"]
        attrs: dict[str, Any] = {"type": node.type, "label": node.label, "districts": "; ".join(node.districts)}
        attrs.update({f"attr_{k}": v for k, v in node.attributes})
        if result is not None and n in result.centrality:
            c = result.centrality[n]
            attrs.update(degree=c.degree, betweenness=c.betweenness, community=c.community)
        out.add_node(n, **attrs)
    for a, b, data in graph.edges(data=True):
        facts: list[Edge] = data["facts"]
        first = facts[0]
        out.add_edge(
            a,
            b,
            type="; ".join(e.type for e in facts),
            role="; ".join(e.value for e in facts if e.value),
            valid_from=_date(first.valid_from),
            valid_to=_date(first.valid_to),
            recorded_at=_date(first.recorded_at),
        )
    return out


def graphml(graph: nx.Graph, out: Any, result: NetworkResult | None = None) -> None:
    """Write the graph as GraphML (``networkx.write_graphml``) to a binary file-like ``out``."""
    nx.write_graphml(for_graphml(graph, result), out, encoding="utf-8", prettyprint=True)


I2_ENTITY_COLUMNS = ("id", "type", "label", "districts", "attributes")
I2_LINK_COLUMNS = ("from", "to", "type", "role", "valid_from", "valid_to", "recorded_at")


def i2_entities_csv(nodes: Sequence[Node], out: Writable) -> int:
    """Entities as i2 Analyst's Notebook imports them: one row per entity, an identity column, its type (an i2
    entity type), a label, and the attributes as ``name=value; …``."""
    writer = csvsafe.writer(out)
    writer.writerow(I2_ENTITY_COLUMNS)
    for n in nodes:
        writer.writerow([n.id, n.type, n.label, "; ".join(n.districts), "; ".join(f"{k}={v}" for k, v in n.attributes)])
    return len(nodes)


def i2_links_csv(edges: Sequence[Edge], out: Writable) -> int:
    """Links as i2 imports them: the two ends' identities, the link type, the role and the dates."""
    writer = csvsafe.writer(out)
    writer.writerow(I2_LINK_COLUMNS)
    for e in edges:
        writer.writerow(
            [e.source, e.target, e.type, e.value, _date(e.valid_from), _date(e.valid_to), _date(e.recorded_at)]
        )
    return len(edges)


def by_type(nodes: Iterable[Node]) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for n in nodes:
        counts[n.type] += 1
    return dict(counts)
