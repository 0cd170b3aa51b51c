"""Merge one person into another, keeping every record with its provenance — and undo it exactly.

A merge moves everything that points at the absorbed person (source records, names, identifiers, flags, links to
places, phones and vehicles, case roles, assessments…) to the survivor, widens the survivor's sharing to cover
both, chooses the displayed values by the survivorship rules, and marks the absorbed person as merged (it is kept,
hidden from the register). The ``MergeEvent`` records what moved and every value before, so an unmerge restores the
database exactly as it was. Both are "combination" events in the audit log.

A merge also hands data on: the agencies that held one person see the other's data afterwards. Each such flow must
be one the acting user may share under an ISA covering it (``access.services.plan_handover``, the check
``disclose`` makes; for an automatic merge, from the record's owner); it is logged as a disclosure naming the ISA.
If any flow is not covered the merge is refused with the reasons (a person cannot be half merged): both people stay
as they are, with their owners.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone

from csphub.access.services import HandoverPlan, hand_on, plan_handover, require
from csphub.access.vocabulary import Caveat, Sensitivity, Verb
from csphub.audit import log
from csphub.audit.models import Operation
from csphub.linkage.models import CandidatePair, MergeEvent, SourceRecord
from csphub.linkage.survivorship import Candidate, choose, variant_names
from csphub.partnership.models import Agency
from csphub.registers.models import Alias, AliasKind, Person

if TYPE_CHECKING:
    from csphub.partnership.models import User

# The person's own values a merge may change, restored exactly by an unmerge.
PERSON_FIELDS = (
    "given_name",
    "middle_names",
    "family_name",
    "dob_year",
    "dob_month",
    "dob_day",
    "sex",
    "caveat",
    "sensitivity",
    "merged_into_id",
)
_SENSITIVITY_ORDER: list[str] = [Sensitivity.GENERAL, Sensitivity.DOMESTIC_ABUSE, Sensitivity.INTELLIGENCE]


def _relations() -> list[tuple[type[models.Model], str]]:
    """Every foreign key to Person (except the merge bookkeeping itself), as (model, field attname)."""
    found: list[tuple[type[models.Model], str]] = []
    for rel in Person._meta.related_objects:
        if not (rel.one_to_many or rel.one_to_one):
            continue
        model = rel.related_model
        if not isinstance(model, type) or model in (Person, MergeEvent):
            continue
        found.append((model, rel.field.attname))
    return sorted(found, key=lambda item: (item[0]._meta.label, item[1]))


def _attname(model: type[models.Model], name: str) -> str:
    field = model._meta.get_field(name)
    assert isinstance(field, models.Field)
    return field.attname


def _unique_sets(model: type[models.Model], attname: str) -> list[list[str]]:
    """The unique field sets of a model that include the person field (their other fields)."""
    name = attname.removesuffix("_id")
    sets = []
    for constraint in model._meta.constraints:
        fields = list(getattr(constraint, "fields", ()) or ())
        if name in fields and isinstance(constraint, models.UniqueConstraint) and constraint.condition is None:
            sets.append([f for f in fields if f != name])
    return sets


def _movable(
    model: type[models.Model], attname: str, absorbed: Person, survivor: Person
) -> tuple[list[int], list[int]]:
    """Rows to move from the absorbed to the survivor, and rows to leave (they would duplicate a survivor's row)."""
    rows = list(model._base_manager.filter(**{attname: absorbed.pk}))
    move: list[int] = []
    keep: list[int] = []
    for row in rows:
        duplicate = False
        for other in _unique_sets(model, attname):
            names = [_attname(model, f) for f in other]
            lookup = {attname: survivor.pk, **{n: getattr(row, n) for n in names}}
            if model._base_manager.filter(**lookup).exists():
                duplicate = True
        (keep if duplicate else move).append(row.pk)
    return move, keep


class MergeRefused(ValidationError):
    """The merge would hand one person's data to an agency no ISA covers: nothing was merged."""


def _holders(person: Person) -> set[int]:
    return {person.owning_agency_id, *person.parties.values_list("pk", flat=True)}


def plan_merge_sharing(survivor: Person, absorbed: Person, by: User | None) -> HandoverPlan:
    """What a merge hands on: each person's data to the agencies that hold only the other one."""
    survivor_holders, absorbed_holders = _holders(survivor), _holders(absorbed)
    agencies = Agency.objects.in_bulk(survivor_holders ^ absorbed_holders)
    plan = HandoverPlan()
    for record, recipients in (
        (survivor, absorbed_holders - survivor_holders),
        (absorbed, survivor_holders - absorbed_holders),
    ):
        for agency_id in sorted(recipients):
            plan.extend(plan_handover([record], to=agencies[agency_id], by=by))
    return plan


def _refusal(plan: HandoverPlan) -> MergeRefused:
    reasons = [f"{w.record.reference} would reach {w.to}: {w.reason}" for w in plan.withheld]  # type: ignore[attr-defined]
    if plan.hidden_withheld:
        reasons.append(f"{plan.hidden_withheld} record(s) you may not see would be handed on.")
    return MergeRefused(
        ["These two people cannot be merged: the merge would share data no agreement covers.", *reasons]
    )


def _values(person: Person) -> dict[str, Any]:
    values = {f: getattr(person, f) for f in PERSON_FIELDS}
    values["updated_at"] = person.updated_at.isoformat()
    return values


def _candidates(person: Person) -> list[Candidate]:
    records = SourceRecord.objects.filter(person=person)
    found = [
        Candidate(
            r.source,
            r.recorded_on or r.imported_at.date(),
            r.given_name,
            r.middle_names,
            r.family_name,
            r.dob_year,
            r.dob_month,
            r.dob_day,
            r.sex,
        )
        for r in records
    ]
    if not found:
        found.append(
            Candidate(
                "register",
                person.updated_at.date(),
                person.given_name,
                person.middle_names,
                person.family_name,
                person.dob_year,
                person.dob_month,
                person.dob_day,
                person.sex,
            )
        )
    return found


@transaction.atomic
def merge(
    survivor: Person, absorbed: Person, *, by: User | None, reason: str, pair: CandidatePair | None = None
) -> MergeEvent:
    """Merge ``absorbed`` into ``survivor``. ``by`` None: an automatic merge by the linkage (in its audit context)."""
    if survivor.pk == absorbed.pk:
        raise ValidationError("A person cannot be merged with themselves")
    survivor = Person.all_objects.select_for_update().get(pk=survivor.pk)
    absorbed = Person.all_objects.select_for_update().get(pk=absorbed.pk)
    if survivor.merged_into_id or absorbed.merged_into_id:
        raise ValidationError("Both people must be current: one of them has already been merged")
    if by is not None:
        require(by, Verb.CHANGE, survivor)
        require(by, Verb.CHANGE, absorbed)
    if not (reason or "").strip():
        raise ValidationError("Give the reason for the merge")
    sharing = plan_merge_sharing(survivor, absorbed, by)
    if not sharing.complete:
        raise _refusal(sharing)
    survivor_before, absorbed_before = _values(survivor), _values(absorbed)

    moved: dict[str, dict[str, list[int]]] = {}
    for model, attname in _relations():
        move, _keep = _movable(model, attname, absorbed, survivor)
        if move:
            model._base_manager.filter(pk__in=move).update(**{attname: survivor.pk})
            moved.setdefault(model._meta.label_lower, {})[attname] = move
    added_parties = sorted(
        set(absorbed.parties.values_list("pk", flat=True))
        - set(survivor.parties.values_list("pk", flat=True))
        - {survivor.owning_agency_id}
    )
    if (
        absorbed.owning_agency_id != survivor.owning_agency_id
        and absorbed.owning_agency_id not in added_parties
        and not survivor.parties.filter(pk=absorbed.owning_agency_id).exists()
    ):
        added_parties.append(absorbed.owning_agency_id)
    survivor.parties.add(*added_parties)
    added_users = sorted(
        set(absorbed.shared_with_users.values_list("pk", flat=True))
        - set(survivor.shared_with_users.values_list("pk", flat=True))
    )
    survivor.shared_with_users.add(*added_users)
    moved["_parties"] = {"agency": added_parties}
    moved["_shared_with_users"] = {"user": added_users}

    chosen = choose(_candidates(survivor), settings.CSPHUB_LINKAGE_TRUSTED_SOURCES)
    for field in ("given_name", "middle_names", "family_name", "dob_year", "dob_month", "dob_day", "sex"):
        setattr(survivor, field, getattr(chosen, field))
    moved["_aliases_added"] = {"alias": _keep_other_names(survivor, survivor_before, absorbed, absorbed_before)}
    # The merged record is at least as restricted as either of the two.
    if Caveat.OFFICIAL_SENSITIVE in (survivor.caveat, absorbed.caveat):
        survivor.caveat = Caveat.OFFICIAL_SENSITIVE
    survivor.sensitivity = max(survivor.sensitivity, absorbed.sensitivity, key=lambda s: _SENSITIVITY_ORDER.index(s))
    survivor.save()
    absorbed.merged_into = survivor
    absorbed.save()

    event = MergeEvent.objects.create(
        survivor=survivor,
        absorbed=absorbed,
        moved=moved,
        survivor_before=survivor_before,
        absorbed_before=absorbed_before,
        reason=reason.strip(),
        pair=pair,
        merged_by=by,
    )
    detail = {
        "merge": str(event.uuid),
        "moved": {k: sum(len(v) for v in d.values()) for k, d in moved.items()},
        "survivorship": list(chosen.reasons),
    }
    for record, other in ((survivor, absorbed), (absorbed, survivor)):
        # The merge itself gives the recipients the data (survivor's parties, moved rows): log, add nothing.
        hand_on(
            HandoverPlan(handed_on=[h for h in sharing.handed_on if h.record.pk == record.pk]),
            summary=f"Disclosed to {{to}} by merging {absorbed.reference} into {survivor.reference}",
            justification=reason.strip(),
            related=other,
            detail={"merge": str(event.uuid)},
            add_parties=False,
        )
    _log_combination(
        survivor,
        absorbed,
        f"Merged {absorbed.reference} into {survivor.reference}",
        f"Merged into {survivor.reference}",
        reason=reason.strip(),
        detail=detail,
    )
    return event


def _keep_other_names(
    survivor: Person, survivor_before: dict[str, Any], absorbed: Person, absorbed_before: dict[str, Any]
) -> list[int]:
    """Add every name the two people and their source rows gave, other than the one now shown and the ones
    already recorded, as another name of the survivor (from the agency that recorded it). The new aliases' keys,
    for an unmerge to take them away again."""
    names: list[tuple[str, str, int]] = [
        (survivor_before["given_name"], survivor_before["family_name"], survivor.owning_agency_id),
        (absorbed_before["given_name"], absorbed_before["family_name"], absorbed.owning_agency_id),
        *(
            (r.given_name, r.family_name, r.batch.owning_agency_id)
            for r in SourceRecord.objects.filter(person=survivor).select_related("batch").order_by("pk")
        ),
    ]
    known = list(Alias.objects.filter(person=survivor).values_list("given_name", "family_name"))
    added = []
    for given_name, family_name, agency_id in variant_names(names, (survivor.given_name, survivor.family_name), known):
        alias = Alias(
            person=survivor,
            kind=AliasKind.ALIAS,
            given_name=given_name,
            family_name=family_name,
            source_agency_id=agency_id,
        )
        alias.save()
        added.append(alias.pk)
    return added


def _log_combination(
    survivor: Person, absorbed: Person, about_survivor: str, about_absorbed: str, *, reason: str, detail: dict[str, Any]
) -> None:
    """A merge or unmerge is a combination of personal data (DPA 2018 s.62): one entry for each person."""
    log.write(
        log.Event.about(
            Operation.COMBINATION, survivor, about_survivor, related=absorbed, justification=reason, detail=detail
        ),
        log.Event.about(
            Operation.COMBINATION, absorbed, about_absorbed, related=survivor, justification=reason, detail=detail
        ),
    )


@transaction.atomic
def unmerge(event: MergeEvent, *, by: User | None, reason: str) -> None:
    """Undo a merge exactly: everything moved goes back, both people's values are restored."""
    event = MergeEvent.objects.select_for_update().get(pk=event.pk)
    if not event.is_active:
        raise ValidationError("This merge has already been undone")
    survivor = Person.all_objects.select_for_update().get(pk=event.survivor_id)
    absorbed = Person.all_objects.select_for_update().get(pk=event.absorbed_id)
    if survivor.merged_into_id is not None:
        raise ValidationError("The surviving person has since been merged into another: undo that merge first")
    if by is not None:
        require(by, Verb.CHANGE, survivor)
    if not (reason or "").strip():
        raise ValidationError("Give the reason for undoing the merge")
    moved = dict(event.moved)
    parties = moved.pop("_parties", {}).get("agency", [])
    # The other names the merge added go first (before the moved names go back to the absorbed person).
    Alias.objects.filter(pk__in=moved.pop("_aliases_added", {}).get("alias", []), person=survivor).delete()
    users = moved.pop("_shared_with_users", {}).get("user", [])
    relations = {(m._meta.label_lower, a): m for m, a in _relations()}
    for label, fields in moved.items():
        for attname, pks in fields.items():
            model = relations.get((label, attname))
            if model is None:
                raise ValidationError(f"Cannot restore {label}.{attname}: the data model has changed since")
            model._base_manager.filter(pk__in=pks).update(**{attname: absorbed.pk})
    survivor.parties.remove(*parties)
    survivor.shared_with_users.remove(*users)
    for person, before in ((survivor, event.survivor_before), (absorbed, event.absorbed_before)):
        for field in PERSON_FIELDS:
            setattr(person, field, before[field])
        person.save()
        # Saving stamps the time of change: put back the time the person last changed before the merge.
        Person.all_objects.filter(pk=person.pk).update(updated_at=dt.datetime.fromisoformat(before["updated_at"]))
    event.undone_at = timezone.now()
    event.undone_by = by
    event.undo_reason = reason.strip()
    event.save()
    if event.pair_id is not None:
        CandidatePair.objects.filter(pk=event.pair_id).update(status="pending", reviewed_by=None, reviewed_at=None)
    detail = {"merge": str(event.uuid)}
    _log_combination(
        survivor,
        absorbed,
        f"Unmerged {absorbed.reference} from {survivor.reference}",
        f"Unmerged from {survivor.reference}",
        reason=reason.strip(),
        detail=detail,
    )


def merges_of(people: Iterable[Person]) -> list[MergeEvent]:
    return list(MergeEvent.objects.filter(survivor__in=list(people)).select_related("absorbed"))


def check_not_merged(person: Person) -> None:
    if person.merged_into_id is not None:
        raise PermissionDenied("This person has been merged into another record.")
