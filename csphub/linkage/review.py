"""The clerical review queue: pairs the model was unsure about, decided by a person with the reason recorded.

A decision is kept on the pair, whose identity is the two source records' stable keys, so re-running the linkage
never undoes it: an accepted pair stays merged, a rejected pair stays apart, an unsure one waits for someone else.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from csphub.access import consultation
from csphub.access.services import require
from csphub.access.vocabulary import Verb
from csphub.linkage.merging import merge
from csphub.linkage.models import CandidatePair, PairStatus, SourceRecord
from csphub.registers.models import Person, Sex
from csphub.registers.profile import may_see_source_rows

if TYPE_CHECKING:
    from csphub.partnership.models import User

DECISIONS = {"accept": PairStatus.ACCEPTED, "reject": PairStatus.REJECTED, "unsure": PairStatus.UNSURE}
COMPARED = ("given_name", "middle_names", "family_name", "date_of_birth", "sex", "address", "postcode")
LABELS = {
    "given_name": "Given name",
    "middle_names": "Middle names",
    "family_name": "Family name",
    "date_of_birth": "Date of birth",
    "sex": "Sex",
    "address": "Address",
    "postcode": "Postcode",
}


def queue_for(user: User) -> QuerySet[CandidatePair]:
    """Pairs waiting for review (or marked unsure) whose two people the user may change."""
    changeable = Person.objects.visible_to(user, Verb.CHANGE)
    return (
        CandidatePair.objects.filter(status__in=[PairStatus.PENDING, PairStatus.UNSURE])
        .filter(Exists(changeable.filter(pk=OuterRef("record_a__person_id"))))
        .filter(Exists(changeable.filter(pk=OuterRef("record_b__person_id"))))
        .select_related("record_a", "record_b", "record_a__person", "record_b__person")
        .order_by("-match_probability", "id")
    )


@dataclass(frozen=True)
class FieldComparison:
    field: str
    a: str
    b: str

    @property
    def label(self) -> str:
        return LABELS.get(self.field, self.field.replace("_", " ").capitalize())

    @property
    def differs(self) -> bool:
        return self.a.strip().casefold() != self.b.strip().casefold()


def _value(record: SourceRecord, field: str) -> str:
    """A source row's value as a person reads it: "3 April 1990", "Not known" (never a stored code)."""
    if field == "date_of_birth":
        if record.dob_year is None:
            return ""
        month = (
            calendar.month_name[record.dob_month]
            if record.dob_month is not None and 1 <= record.dob_month <= 12
            else ""
        )
        day = str(record.dob_day) if month and record.dob_day is not None else ""
        return " ".join(p for p in (day, month, str(record.dob_year)) if p)
    if field == "sex":
        return str(dict(Sex.choices).get(record.sex, record.sex)) if record.sex else ""
    return str(getattr(record, field) or "")


HIDDEN_ROW = "Not shown: a source row you may not see"


def source_row_visible(user: User, record: SourceRecord) -> bool:
    """Whether the user may read a legacy source row (``registers.profile.may_see_source_rows``)."""
    person = Person.all_objects.select_related("owning_agency").get(pk=record.person_id)
    return may_see_source_rows(user, record.batch.owning_agency, person)


def people_of(user: User, pair: CandidatePair) -> tuple[Person | None, Person | None]:
    """The two people on the register behind a pair, each only if the user may see them (else None); each one
    shown is logged as consulted."""
    ids = (pair.record_a.person_id, pair.record_b.person_id)
    found = {p.pk: p for p in Person.objects.visible_to(user, Verb.VIEW).filter(pk__in=ids)}
    consultation.record_results(found.values(), "a possible duplicate pair", {"pair": str(pair.uuid)})
    return found.get(ids[0]), found.get(ids[1])


def compare(pair: CandidatePair, *, show_a: bool = True, show_b: bool = True) -> list[FieldComparison]:
    """The two source rows field by field; a row the reviewer may not read is not shown (nor compared)."""
    return [
        FieldComparison(
            f, _value(pair.record_a, f) if show_a else HIDDEN_ROW, _value(pair.record_b, f) if show_b else HIDDEN_ROW
        )
        for f in COMPARED
    ]


@transaction.atomic
def decide(pair: CandidatePair, by: User, *, decision: str, reason: str) -> CandidatePair:
    """Record a reviewer's decision (accept merges the two people)."""
    pair = CandidatePair.objects.select_for_update().select_related("record_a", "record_b").get(pk=pair.pk)
    if decision not in DECISIONS:
        raise ValidationError({"decision": "Choose accept, reject or unsure"})
    if not (reason or "").strip():
        raise ValidationError({"reason": "Give the reason for your decision"})
    if pair.status not in (PairStatus.PENDING, PairStatus.UNSURE):
        raise ValidationError("This pair has already been decided")
    person_a = Person.all_objects.get(pk=pair.record_a.person_id)
    person_b = Person.all_objects.get(pk=pair.record_b.person_id)
    for person in (person_a, person_b):
        require(by, Verb.CHANGE, person)
    status = DECISIONS[decision]
    if status == PairStatus.ACCEPTED and person_a.pk != person_b.pk:
        survivor, absorbed = _order(person_a, person_b)
        merge(survivor, absorbed, by=by, reason=f"Review: {reason.strip()}", pair=pair)
    pair.status = status
    pair.reviewed_by = by
    pair.reviewed_at = timezone.now()
    pair.reason = reason.strip()
    pair.save()
    return pair


def _order(a: Person, b: Person) -> tuple[Person, Person]:
    """The survivor is the person with more source records, then the older record."""
    counts = {p.pk: SourceRecord.objects.filter(person=p).count() for p in (a, b)}
    return (a, b) if (counts[a.pk], -a.pk) >= (counts[b.pk], -b.pk) else (b, a)


def may_review(user: User) -> bool:
    """Whether the user's role lets them decide possible duplicates (the queue shows only pairs they may change)."""
    from csphub.access.policy import allowed_actions

    return Verb.CHANGE in allowed_actions(user)


def check_reviewer(user: User) -> None:
    if not may_review(user):
        raise PermissionDenied("Your role does not allow you to review possible duplicates.")
