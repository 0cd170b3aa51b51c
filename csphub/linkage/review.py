"""The clerical review queue: pairs the model was unsure about, decided by a person with the reason recorded.

A decision is kept on the pair, whose identity is the two source records' stable keys, so re-running the linkage
never undoes it: an accepted pair stays merged, a rejected pair stays apart, an unsure one waits for someone else.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from csphub.access.services import require
from csphub.access.vocabulary import Verb
from csphub.linkage.merging import merge
from csphub.linkage.models import CandidatePair, PairStatus, SourceRecord
from csphub.registers.models import Person
from csphub.registers.profile import may_see_source_rows

if TYPE_CHECKING:
    from csphub.partnership.models import User

DECISIONS = {"accept": PairStatus.ACCEPTED, "reject": PairStatus.REJECTED, "unsure": PairStatus.UNSURE}
COMPARED = ("given_name", "middle_names", "family_name", "date_of_birth", "sex", "address", "postcode")


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
    def differs(self) -> bool:
        return self.a.strip().casefold() != self.b.strip().casefold()


def _value(record: SourceRecord, field: str) -> str:
    if field == "date_of_birth":
        parts = [record.dob_day, record.dob_month, record.dob_year]
        if record.dob_year is None:
            return ""
        return "/".join(f"{p:02d}" if p is not None and p < 100 else str(p) for p in parts if p is not None)
    return str(getattr(record, field) or "")


HIDDEN_ROW = "Not shown: a source row you may not see"


def source_row_visible(user: User, record: SourceRecord) -> bool:
    """Whether the user may read a legacy source row (``registers.profile.may_see_source_rows``)."""
    person = Person.all_objects.select_related("owning_agency").get(pk=record.person_id)
    return may_see_source_rows(user, record.batch.owning_agency, person)


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


def check_reviewer(user: User) -> None:
    from csphub.access.policy import allowed_actions

    if Verb.CHANGE not in allowed_actions(user):
        raise PermissionDenied("Your role does not allow you to review possible duplicates.")
