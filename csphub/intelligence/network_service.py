"""The network of people, phones, places, vehicles, county lines and groups as at a date, for one user.

The picture comes from the bitemporal facts through the intelligence services (``services.as_at`` for the whole
picture, ``services.neighbourhood`` around a record): no second copy of the as-at logic. Its facts become the
nodes and edges of ``csphub.intelligence.network`` (pure), which does the analysis. Every record named is looked up
through ``visible_to``: one the user may not see is left out of the graph and counted, never named.

Node identities are the records' UUIDs (never database ids): they are what the page, the JSON and the exports show.
"""

from __future__ import annotations

import datetime as dt
import uuid as uuidlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import networkx as nx
from django.utils import timezone

from csphub.access.models import Governed
from csphub.access.vocabulary import Verb
from csphub.intelligence import network, services, timeline
from csphub.intelligence.models import KIND_LABELS, CountyLine, OrganisedCrimeGroup, value_label
from csphub.intelligence.timeline import Kind, Ref
from csphub.partnership.models import District
from csphub.registers.models import Person, Phone, Place, Vehicle

if TYPE_CHECKING:
    from csphub.partnership.models import User

TYPES: dict[str, str] = {
    "person": "Person",
    "phone": "Phone",
    "place": "Place",
    "vehicle": "Vehicle",
    "line": "County line",
    "group": "Organised crime group",
}
PLURALS: dict[str, str] = {
    "person": "people",
    "phone": "phones",
    "place": "places",
    "vehicle": "vehicles",
    "line": "county lines",
    "group": "organised crime groups",
}
MODELS: dict[str, type[Governed]] = {
    "person": Person,
    "phone": Phone,
    "place": Place,
    "vehicle": Vehicle,
    "line": CountyLine,
    "group": OrganisedCrimeGroup,
}
# Facts that make a record's districts (not links: every line in Kettering would be linked through Kettering).
_DISTRICT_KINDS = frozenset({Kind.LINE_DISTRICT, Kind.GROUP_AREA})
_STATUS_KINDS = frozenset({Kind.LINE_STATUS, Kind.GROUP_STATUS})
LIMIT = 2000


@dataclass(frozen=True)
class Record:
    """A record of the graph as the user may see it."""

    ref: Ref
    uuid: str
    label: str
    url: str
    district: str  # a place's own district ("" for the others)
    record: Governed


@dataclass(frozen=True)
class NetworkView:
    valid: dt.date
    known: dt.datetime
    as_known: str  # "now" or "then"
    graph: nx.Graph
    nodes: tuple[network.Node, ...]
    edges: tuple[network.Edge, ...]
    result: network.NetworkResult
    records: dict[str, Record]  # by node id (UUID)
    hidden: int  # linked records the user may not see, left out
    filtered_out: int  # nodes left out by the type and district filters
    truncated: bool  # the neighbourhood reached its limit
    centre: Record | None
    path: network.Path | None = None
    path_asked: bool = False
    settings: network.NetworkSettings = field(default_factory=network.NetworkSettings)

    def label(self, node: str) -> str:
        rec = self.records.get(node)
        return rec.label if rec is not None else ""

    def url(self, node: str) -> str:
        rec = self.records.get(node)
        return rec.url if rec is not None else ""

    def governed(self) -> list[Governed]:
        """The records in the graph (for the consultation or export entries of the audit log)."""
        return [r.record for r in self.records.values() if r.uuid in self.graph]


def find(user: User, uuid: str, action: Verb = Verb.VIEW) -> Record | None:
    """The record with this UUID among those a graph can hold, if the user may see it."""
    try:
        uuidlib.UUID(uuid)
    except ValueError:
        return None  # a malformed UUID: nothing to find
    for kind, model in MODELS.items():
        rec = model.objects.visible_to(user, action).filter(uuid=uuid).first()
        if rec is not None:
            return _record((kind, rec.pk), rec)
    return None


def _record(ref: Ref, rec: Any) -> Record:
    district = ""
    if isinstance(rec, Place) and rec.district is not None:
        district = rec.district.name
    return Record(ref, str(rec.uuid), str(rec), rec.get_absolute_url(), district, rec)


def _resolve(user: User, refs: Iterable[Ref], action: Verb) -> dict[Ref, Record]:
    wanted: dict[str, set[int]] = defaultdict(set)
    for kind, pk in refs:
        if kind in MODELS:
            wanted[kind].add(pk)
    found: dict[Ref, Record] = {}
    for kind, ids in wanted.items():
        rows: Any = MODELS[kind].objects.visible_to(user, action).filter(pk__in=ids)
        if kind == "place":
            rows = rows.select_related("district")
        for rec in rows:
            found[(kind, rec.pk)] = _record((kind, rec.pk), rec)
    return found


def _picture(
    user: User, valid: dt.date, known: dt.datetime, centre: Record | None, limit: int
) -> tuple[timeline.Picture, bool]:
    if centre is None:
        return services.as_at(user, valid=valid, known=known), False
    hood = services.neighbourhood(user, [centre.ref], valid=valid, known=known, limit=limit)
    return hood.picture, hood.truncated


def graph_of(
    picture: timeline.Picture, records: dict[Ref, Record], districts: dict[int, str]
) -> tuple[list[network.Node], list[network.Edge], int]:
    """The picture's facts as nodes and edges (pure data); the number of linked records left out as hidden."""
    own: dict[Ref, set[str]] = defaultdict(set)
    attrs: dict[Ref, list[tuple[str, str]]] = defaultdict(list)
    links: list[timeline.Fact] = []
    present: set[Ref] = set()
    for f in picture.facts.values():
        present.add(f.subject)
        if f.kind in _DISTRICT_KINDS:
            own[f.subject].add(districts.get(f.obj[1], ""))
        elif f.obj == timeline.NO_OBJECT:
            name = "status" if f.kind in _STATUS_KINDS else KIND_LABELS.get(f.kind, f.kind).lower()
            attrs[f.subject].append((name, value_label(f.kind, f.value)))
        else:
            links.append(f)
            present.add(f.obj)
    hidden = {r for r in present if r not in records}
    nodes: list[network.Node] = []
    for ref in sorted(present - hidden):
        rec = records[ref]
        mine = set(own.get(ref, ())) | ({rec.district} if rec.district else set())
        nodes.append(
            network.Node(
                rec.uuid, ref[0], rec.label, tuple(sorted(d for d in mine if d)), tuple(sorted(attrs.get(ref, ())))
            )
        )
    edges = [
        network.Edge(
            records[f.subject].uuid,
            records[f.obj].uuid,
            f.kind,
            f.value,
            f.valid_from,
            f.valid_to,
            f.recorded_at,
        )
        for f in links
        if f.subject in records and f.obj in records
    ]
    return nodes, edges, len(hidden)


def active_in(graph: nx.Graph, node: str) -> frozenset[str]:
    """Where a record is active: its own districts, or else those of the records it is linked to."""
    own = network.districts_of(graph, node)
    if own:
        return own
    out: set[str] = set()
    for m in graph.neighbors(node):
        out |= network.districts_of(graph, m)
    return frozenset(out)


def build_network(
    user: User,
    *,
    valid: dt.date,
    as_known: str = "now",
    centre: str = "",
    types: Iterable[str] = (),
    districts: Iterable[str] = (),
    since: dt.date | None = None,
    path: tuple[str, str] | None = None,
    limit: int = LIMIT,
    settings: network.NetworkSettings | None = None,
    action: Verb = Verb.VIEW,
) -> NetworkView:
    """The network as at ``valid`` (as known then, or now), around ``centre`` (a record's UUID) or whole, filtered to
    some types of record and some districts, analysed; with the shortest path between two records if asked."""
    cfg = settings or network.NetworkSettings()
    known = services.known_then(valid) if as_known == "then" else timezone.now()
    centre_rec = find(user, centre, action) if centre else None
    picture, truncated = _picture(user, valid, known, centre_rec, limit)
    refs = {r for f in picture.facts.values() for r in (f.subject, f.obj) if r[0] in MODELS}
    records = _resolve(user, refs, action)
    district_names = dict(District.objects.values_list("pk", "name"))
    nodes, edges, hidden = graph_of(picture, records, district_names)
    graph = network.build(nodes, edges)
    wanted_types = {t for t in types if t in TYPES}
    wanted_districts = set(districts)
    keep = [
        n.id
        for n in nodes
        if (not wanted_types or n.type in wanted_types)
        and (not wanted_districts or active_in(graph, n.id) & wanted_districts)
    ]
    filtered_out = len(nodes) - len(keep)
    if filtered_out:
        graph = graph.subgraph(keep).copy()
        nodes = [n for n in nodes if n.id in graph]
        edges = [e for e in edges if e.source in graph and e.target in graph]
    result = network.analyse_graph(graph, cfg, since=since)
    by_id = {r.uuid: r for r in records.values()}
    found_path = network.shortest_path(graph, *path) if path else None
    return NetworkView(
        valid,
        known,
        "then" if as_known == "then" else "now",
        graph,
        tuple(nodes),
        tuple(edges),
        result,
        by_id,
        hidden,
        filtered_out,
        truncated,
        centre_rec,
        found_path,
        path is not None,
        cfg,
    )


# --- what the page and the JSON show ----------------------------------------------------------------------------


def edge_label(e: network.Edge) -> str:
    what = KIND_LABELS.get(e.type, e.type)
    return f"{what} ({value_label(e.type, e.value).lower()})" if e.value else what


def elements(view: NetworkView) -> list[dict[str, Any]]:
    """The graph as Cytoscape.js elements: nodes with their type, label, community and degree; edges with their
    kind and role."""
    out: list[dict[str, Any]] = []
    for n in view.nodes:
        c = view.result.centrality.get(n.id)
        out.append(
            {
                "group": "nodes",
                "data": {
                    "id": n.id,
                    "label": n.label,
                    "type": n.type,
                    "districts": list(n.districts),
                    "community": c.community if c else -1,
                    "degree": c.degree if c else 0,
                    "betweenness": round(c.betweenness, 4) if c else 0.0,
                    "url": view.url(n.id),
                },
            }
        )
    for i, e in enumerate(view.edges):
        out.append(
            {
                "group": "edges",
                "data": {
                    "id": f"e{i}",
                    "source": e.source,
                    "target": e.target,
                    "type": e.type,
                    "label": edge_label(e),
                    "since": e.valid_from.isoformat() if e.valid_from else "",
                },
            }
        )
    return out


def summary(view: NetworkView) -> str:
    counts = network.by_type(view.nodes)
    parts = [f"{counts[t]} {TYPES[t].lower() if counts[t] == 1 else PLURALS[t]}" for t in TYPES if counts.get(t)]
    text = f"{len(view.nodes)} records and {len(view.edges)} links"
    return text + (f" ({', '.join(parts)})" if parts else "")


def as_json(view: NetworkView) -> dict[str, Any]:
    r = view.result
    return {
        "valid": view.valid.isoformat(),
        "known": view.as_known,
        "nodes": len(view.nodes),
        "edges": len(view.edges),
        "summary": summary(view),
        "hidden": view.hidden,
        "truncated": view.truncated,
        "betweenness_sampled": r.betweenness_sampled,
        "betweenness_k": r.betweenness_k,
        "communities": len(r.communities),
        "elements": elements(view),
        "ranking": [
            {"id": c.node, "label": view.label(c.node), "degree": c.degree, "betweenness": round(c.betweenness, 4)}
            for c in r.ranking
        ],
    }
