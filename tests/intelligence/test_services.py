"""Recording facts: rows are only added or closed in record time; late facts and corrections keep the past."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from csphub.audit.models import AuditEntry
from csphub.intelligence import services
from csphub.intelligence.models import Fact, LineStatus, MemberRole
from csphub.intelligence.timeline import Headline, Kind
from tests.factories import World
from tests.intelligence.factories import START, make_network

D = dt.date


def test_a_new_status_cuts_the_old_one_short_and_keeps_it_in_the_history(world: World) -> None:
    net = make_network(world)
    manager = world["police_manager"]
    services.record_fact(net.line, manager, kind=Kind.LINE_STATUS, value=LineStatus.DISRUPTED, valid_from=D(2025, 6, 1))
    statuses = Fact.objects.filter(line=net.line, kind=Kind.LINE_STATUS)
    assert statuses.count() == 3  # the original (superseded), its version ending on 1 June, the new status
    current = services.as_at(manager, valid=D(2025, 6, 1), known=timezone.now())
    assert current.value(Kind.LINE_STATUS, ("line", net.line.pk)) == "disrupted"
    assert (
        services.as_at(manager, valid=D(2025, 5, 31), known=timezone.now()).value(
            Kind.LINE_STATUS, ("line", net.line.pk)
        )
        == "active"
    )


def test_joining_another_group_is_a_move(world: World) -> None:
    net = make_network(world)
    manager = world["police_manager"]
    other = services.open_group(manager, name="Othergroup", valid_from=START)
    services.record_fact(
        other, manager, kind=Kind.GROUP_MEMBER, obj=net.member, value=MemberRole.PRINCIPAL, valid_from=D(2025, 3, 1)
    )
    changes = services.diff(manager, D(2025, 2, 28), D(2025, 3, 1))
    assert [c.headline for c in changes if c.kind == Kind.GROUP_MEMBER] == [Headline.MOVED_GROUP]
    sentences = [c.sentence for c in services.changes(manager, D(2025, 2, 28), D(2025, 3, 1)).changes]
    assert any("Gary" in s and "Othergroup" in s for s in sentences)


def test_a_late_status_in_the_past_ends_where_a_later_version_begins(world: World) -> None:
    net = make_network(world)
    manager = world["police_manager"]
    services.record_fact(net.line, manager, kind=Kind.LINE_STATUS, value=LineStatus.CLOSED, valid_from=D(2025, 9, 1))
    services.record_fact(net.line, manager, kind=Kind.LINE_STATUS, value=LineStatus.DISRUPTED, valid_from=D(2025, 5, 1))

    def pic(day: dt.date) -> str | None:
        return services.as_at(manager, valid=day, known=timezone.now()).value(Kind.LINE_STATUS, ("line", net.line.pk))

    assert (pic(D(2025, 4, 30)), pic(D(2025, 6, 1)), pic(D(2025, 10, 1))) == ("active", "disrupted", "closed")


def test_end_correct_and_retract_keep_what_was_believed_before(world: World) -> None:
    net = make_network(world)
    manager = world["police_manager"]
    fact = Fact.objects.get(group=net.group, kind=Kind.GROUP_MEMBER, superseded_at=None)
    before = timezone.now()
    ended = services.end_fact(fact, manager, on=D(2025, 4, 1))
    corrected = services.correct_fact(ended, manager, valid_from=D(2025, 2, 1), valid_to=D(2025, 4, 1))
    assert services.as_at(manager, valid=D(2025, 1, 15), known=before).facts  # believed then
    members_now = services.as_at(manager, valid=D(2025, 1, 15), known=timezone.now()).subjects(Kind.GROUP_MEMBER)
    assert members_now == set()
    services.retract_fact(corrected, manager)
    assert not services.as_at(manager, valid=D(2025, 3, 1), known=timezone.now()).subjects(Kind.GROUP_MEMBER)
    with pytest.raises(ValidationError):
        services.retract_fact(fact, manager)  # already replaced: change the current version
    assert Fact.objects.filter(group=net.group, kind=Kind.GROUP_MEMBER).count() == 3


def test_only_those_who_may_change_the_line_record_on_it(world: World) -> None:
    net = make_network(world)
    for username in ("soc_analyst", "council_officer", "police_officer"):
        with pytest.raises(PermissionDenied):
            services.record_fact(
                net.line, world[username], kind=Kind.LINE_STATUS, value="closed", valid_from=D(2025, 6, 1)
            )
    services.record_fact(net.line, world["soc_lead"], kind=Kind.LINE_STATUS, value="closed", valid_from=D(2025, 6, 1))


def test_every_fact_is_in_the_audit_log_under_its_line(world: World) -> None:
    net = make_network(world)
    assert AuditEntry.objects.filter(record_id=str(net.line.uuid), summary__icontains="intelligence fact").exists()


def test_a_deal_line_phone_is_held_as_intelligence_by_the_lines_holder(world: World) -> None:
    net = make_network(world)
    phone = services.deal_line_phone(net.line, world["soc_lead"], "07700 900123")
    assert phone.owning_agency == net.line.owning_agency and phone.sensitivity == "intelligence"
    assert services.deal_line_phone(net.line, world["soc_lead"], "+447700900123") == phone
