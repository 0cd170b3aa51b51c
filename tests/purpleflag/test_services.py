"""Who writes a pack's narrative, and how each change is kept."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from csphub.audit.context import audit_context
from csphub.audit.models import AuditEntry
from csphub.purpleflag import services
from csphub.purpleflag.models import EvidencePack
from tests.factories import World
from tests.purpleflag.factories import make_pack


def _write(pack: EvidencePack, world: World, username: str, **texts: str) -> int:
    user = world[username]
    with audit_context("test", actor=user, reason="narrative"):
        return len(services.write_narrative(pack, user, texts))


def test_it_lets_the_owning_agency_and_the_town_centre_partnership_write_the_narrative(world: World) -> None:
    pack = make_pack(world)

    assert _write(pack, world, "police_officer", wellbeing="Patrols every Friday and Saturday.") == 1
    assert _write(pack, world, "publican", wellbeing="Patrols every weekend night.", place="The map shows it.") == 2
    for username in ("fire_partner", "pastor", "council_officer"):  # a read-only party, a stranger, an outsider
        with pytest.raises(PermissionDenied):
            _write(pack, world, username, wellbeing="Changed")
    narrative = pack.narratives.get(standard="wellbeing")
    assert (narrative.text, narrative.version, narrative.updated_by) == (
        "Patrols every weekend night.",
        2,
        world["publican"],
    )


def test_it_keeps_every_change_of_the_narrative_in_the_audit_log(world: World) -> None:
    pack = make_pack(world)
    _write(pack, world, "police_officer", movement="Taxi marshals at the rank.")
    _write(pack, world, "publican", movement="Taxi marshals at the Gold Street rank.")
    _write(pack, world, "publican", movement="Taxi marshals at the Gold Street rank.")  # unchanged: no new version

    narrative = pack.narratives.get(standard="movement")
    changes = AuditEntry.objects.for_record(pack.uuid).filter(action="alteration", summary__contains="narrative")
    afters = [e.after.get("text") for e in changes.order_by("seq") if e.after]
    assert afters == ["Taxi marshals at the rank.", "Taxi marshals at the Gold Street rank."]
    assert narrative.version == 2


def test_it_shares_the_pack_with_the_town_centre_partnership_through_the_policy(world: World) -> None:
    pack = make_pack(world)

    visible = {
        u
        for u in ("publican", "police_officer", "fire_partner", "pastor", "council_officer")
        if EvidencePack.objects.visible_to(world[u]).filter(pk=pack.pk).exists()
    }
    assert visible == {"publican", "police_officer", "fire_partner"}
    assert services.threshold_for(world["police_analyst"]) is None
    assert services.threshold_for(world["publican"]) == services.threshold_for(None) == 5


def test_the_navigation_offers_packs_to_readers_and_to_the_community_users_shared_with(world: World) -> None:
    from csphub.purpleflag.services import has_packs

    assert not has_packs(world["police_officer"])  # no pack yet
    make_pack(world)
    assert has_packs(world["police_officer"]) and has_packs(world["council_officer"])
    assert not has_packs(world["pastor"])  # a volunteer sees a pack only when it is shared with them
