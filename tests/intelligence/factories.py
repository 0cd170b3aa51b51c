"""A county line and an organised crime group with a member, held by the police, for intelligence tests."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from csphub.intelligence import services
from csphub.intelligence.models import CountyLine, MemberRole, NominalRole, OrganisedCrimeGroup
from csphub.intelligence.timeline import Kind
from csphub.registers.models import Person
from tests.factories import World

START = dt.date(2025, 1, 1)


@dataclass
class Network:
    line: CountyLine
    group: OrganisedCrimeGroup
    member: Person
    runner: Person


def make_network(world: World, *, line_name: str = "Testline", group_name: str = "Testgroup") -> Network:
    manager = world["police_manager"]
    kettering = world.districts["E07000153"]
    group = services.open_group(manager, name=group_name, valid_from=START, areas=[kettering])
    line = services.open_line(
        manager, name=line_name, origin="Birmingham", districts=[kettering], group=group, valid_from=START
    )
    member = services.intelligence_person(group, manager, given_name="Gary", family_name=f"{group_name}member")
    services.record_fact(
        group, manager, kind=Kind.GROUP_MEMBER, obj=member, value=MemberRole.ENFORCER, valid_from=START
    )
    runner = services.intelligence_person(line, manager, given_name="Rory", family_name=f"{line_name}runner")
    services.record_fact(line, manager, kind=Kind.LINE_NOMINAL, obj=runner, value=NominalRole.RUNNER, valid_from=START)
    return Network(line, group, member, runner)
