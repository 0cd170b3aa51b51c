"""The network as at a date over the demo's picture (csphub.intelligence.network_service): the overnight split,
the late-recorded address, the filters, the pages, the JSON and the audited exports."""

from __future__ import annotations

import csv
import datetime as dt
import io
import uuid
from collections.abc import Iterator

import networkx as nx
import pytest
from django.utils import timezone
from pytest_django import DjangoDbBlocker

from csphub.audit.context import audit_context
from csphub.audit.models import AuditEntry, Operation
from csphub.demo.intelligence import IntelligenceResult, build_intelligence
from csphub.demo.structure import Structure, build_structure
from csphub.intelligence import network_service as svc
from csphub.intelligence import services
from csphub.intelligence.models import Fact, OrganisedCrimeGroup
from csphub.intelligence.timeline import Kind
from tests.conftest import built_once
from tests.factories import verified_client

TODAY = dt.date(2026, 12, 7)
Demo = tuple[Structure, IntelligenceResult]


@pytest.fixture(scope="module")
def _module_demo(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[Demo]:
    with built_once(django_db_blocker), django_db_blocker.unblock():
        structure = build_structure("demo-password")
        yield structure, build_intelligence(structure, today=TODAY)


@pytest.fixture
def demo(db: None, _module_demo: Demo) -> Demo:
    return _module_demo


def _group_of(view: svc.NetworkView, person_uuid: str) -> set[str]:
    return {view.label(m) for m in view.graph.neighbors(person_uuid) if view.graph.nodes[m]["node"].type == "group"}


def test_the_graph_changes_overnight_by_the_split(demo: Demo) -> None:
    structure, result = demo
    di = structure.users["di.okafor"]
    crew = OrganisedCrimeGroup.objects.get(name__endswith="crew")
    network = OrganisedCrimeGroup.objects.get(name__endswith="network")
    movers = Fact.objects.filter(group=crew, kind=Kind.GROUP_MEMBER).select_related("person")
    before = svc.build_network(di, valid=result.split_on - dt.timedelta(days=1))
    after = svc.build_network(di, valid=result.split_on)
    assert str(crew.uuid) not in before.graph and str(crew.uuid) in after.graph
    for fact in movers:
        assert fact.person is not None
        person = str(fact.person.uuid)
        assert _group_of(before, person) == {network.name}
        assert _group_of(after, person) == {crew.name}
    # The crew is its own community the day after, and its principal links it to the lines it took.
    assert len(after.result.communities) >= 3
    added = set(after.graph.edges) - set(before.graph.edges)
    assert added and all(str(crew.uuid) in edge for edge in added)


def test_a_late_address_is_in_the_network_as_known_now_not_as_known_then(demo: Demo) -> None:
    structure, result = demo
    di = structure.users["di.okafor"]
    late = Fact.objects.get(valid_from=result.late_fact_valid_from, recorded_at=result.late_fact_recorded_at)
    assert late.place is not None
    day = result.late_fact_valid_from + dt.timedelta(days=10)
    now = svc.build_network(di, valid=day, as_known="now")
    then = svc.build_network(di, valid=day, as_known="then")
    assert str(late.place.uuid) in now.graph and str(late.place.uuid) not in then.graph


def test_it_filters_by_type_and_district_and_centres_on_a_record(demo: Demo) -> None:
    structure, _ = demo
    di = structure.users["di.okafor"]
    whole = svc.build_network(di, valid=TODAY)
    people = svc.build_network(di, valid=TODAY, types=["person", "group"])
    assert {n.type for n in people.nodes} == {"person", "group"}
    assert people.filtered_out == len(whole.nodes) - len(people.nodes)
    corby = svc.build_network(di, valid=TODAY, districts=["Corby"])
    assert 0 < len(corby.nodes) < len(whole.nodes)
    assert all("Corby" in svc.active_in(whole.graph, n.id) for n in corby.nodes)
    crew = OrganisedCrimeGroup.objects.get(name__endswith="crew")
    around = svc.build_network(di, valid=TODAY, centre=str(crew.uuid))
    assert around.centre is not None and str(crew.uuid) in around.graph
    assert nx.is_connected(around.graph)
    # Bridges between districts: the demo's lines run in several districts.
    assert whole.result.bridges or whole.result.cross_district_edges


def test_it_finds_the_shortest_path_between_two_nominals(demo: Demo) -> None:
    structure, _ = demo
    di = structure.users["di.okafor"]
    whole = svc.build_network(di, valid=TODAY)
    # Two people as far apart as the largest part of the network allows (a runner and a member of another group).
    largest = max(nx.connected_components(whole.graph), key=len)
    people = sorted(n.id for n in whole.nodes if n.type == "person" and n.id in largest)
    a = people[0]
    far = nx.single_source_shortest_path_length(whole.graph, a)
    b = max((p for p in people if p in far), key=lambda p: (far[p], p))
    assert far[b] >= 3
    view = svc.build_network(di, valid=TODAY, path=(a, b))
    assert view.path is not None
    assert view.path.nodes[0] == a and view.path.nodes[-1] == b
    assert len(view.path.nodes) == nx.shortest_path_length(whole.graph, a, b) + 1


def test_the_page_the_json_and_the_exports(demo: Demo) -> None:
    structure, result = demo
    # The demo's police analyst, named a lead: analysts may export (the Detective Inspector may not).
    di = structure.users["analyst.patel"]
    with audit_context("test", actor=structure.users["kbc.manager"], reason="naming a lead"):
        services.designate_soc_lead(di, structure.users["kbc.manager"])
    client = verified_client(di)
    assert verified_client(structure.users["di.okafor"]).get("/intelligence/network/links.csv").status_code == 403
    day = result.split_on.isoformat()
    page = client.get(f"/intelligence/network/?valid={day}")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Who connects the network" in text and "Bridges between districts" in text
    data = client.get(f"/intelligence/network/graph.json?valid={day}").json()
    assert data["valid"] == day and data["nodes"] == sum(1 for e in data["elements"] if e["group"] == "nodes")
    assert {t["name"] for t in data["tables"]} >= {"ranking", "communities", "bridges", "new_links"}
    for element in data["elements"]:  # nodes are named by UUID, never by a database id
        if element["group"] == "nodes":
            uuid.UUID(element["data"]["id"])
    started = timezone.now()
    entities = client.get(f"/intelligence/network/entities.csv?valid={day}")
    assert entities.status_code == 200 and entities["Content-Disposition"].startswith("attachment")
    rows = list(csv.DictReader(io.StringIO(entities.content.decode())))
    assert len(rows) == data["nodes"]
    links = list(
        csv.DictReader(io.StringIO(client.get(f"/intelligence/network/links.csv?valid={day}").content.decode()))
    )
    assert len(links) == data["edges"] and set(links[0]) == {
        "from",
        "to",
        "type",
        "role",
        "valid_from",
        "valid_to",
        "recorded_at",
    }
    graph = nx.read_graphml(io.BytesIO(client.get(f"/intelligence/network/network.graphml?valid={day}").content))
    assert graph.number_of_nodes() == data["nodes"]
    disclosed = AuditEntry.objects.filter(action=Operation.DISCLOSURE, at__gte=started, actor_username=di.username)
    assert disclosed.filter(summary__contains="i2 entities").count() == data["nodes"]
    assert disclosed.filter(summary__contains="GraphML").exists()


def test_a_case_officer_named_lead_may_see_but_not_export_and_others_get_404(demo: Demo) -> None:
    structure, _ = demo
    lead = structure.users["nnc.childrens"]
    assert verified_client(lead).get("/intelligence/network/").status_code == 200
    assert verified_client(lead).get("/intelligence/network/links.csv").status_code in (200, 403)
    outsider = structure.users["kbc.manager"]
    assert verified_client(outsider).get("/intelligence/network/").status_code == 404
    assert verified_client(outsider).get("/intelligence/network/graph.json").status_code == 404
