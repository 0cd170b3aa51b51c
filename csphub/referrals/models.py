"""Referrals: what a volunteer or business member saw, handed to the partnership team that deals with it.

A referral holds personal data (who was there, what they did), so it is a governed record: owned by the receiving
agency (the district's council ASB team, or the police for a crime), ``referred_by`` the volunteer (who sees it
through the policy's "referred by you" rule and follows its status), and nobody else's.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from csphub.access.models import Governed
from csphub.audit.registry import audited
from csphub.ui.links import record_url


class Concern(models.TextChoices):
    ASB = "asb", "Anti-social behaviour (nuisance, noise, harassment, damage)"
    CRIME = "crime", "A crime (violence, drug dealing, theft, weapons)"
    SAFEGUARDING = "safeguarding", "Someone vulnerable or at risk"


class Consent(models.TextChoices):
    GIVEN = "given", "Yes, the person it is about agreed to this referral"
    REFUSED = "refused", "No, but I think someone is at risk"
    NOT_ASKED = "not_asked", "I could not ask (for example, I did not speak to them)"


class Urgency(models.TextChoices):
    ROUTINE = "routine", "Routine: in the next few days"
    SOON = "soon", "Soon: in the next 24 hours"
    URGENT = "urgent", "Urgent: today (if someone is in danger now, call 999)"


class ReferralStatus(models.TextChoices):
    RECEIVED = "received", "Received"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"


@audited(label="referral", exclude=("updated_at",))
class Referral(Governed):
    reference = models.CharField(max_length=24, unique=True, editable=False)
    concern = models.CharField(max_length=14, choices=Concern.choices)
    what_happened = models.TextField()
    occurred_at = models.DateTimeField(null=True, blank=True)
    where = models.CharField(max_length=300, help_text="An address or a description of the place")
    postcode = models.CharField(max_length=8, blank=True)
    district = models.ForeignKey(
        "partnership.District", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    people = models.TextField(blank=True, help_text="Who: names or descriptions, one a line")
    consent = models.CharField(max_length=10, choices=Consent.choices)
    urgency = models.CharField(max_length=8, choices=Urgency.choices, default=Urgency.ROUTINE)
    # Where it went, and under what: the team that triages it and the ISA the disclosure was made under.
    receiving_district = models.ForeignKey(
        "partnership.District", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    agreement = models.CharField(max_length=40, blank=True, help_text="The ISA the referral was disclosed under")
    status = models.CharField(max_length=10, choices=ReferralStatus.choices, default=ReferralStatus.RECEIVED)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decline_reason = models.TextField(blank=True, help_text="Shown to the referrer")
    case = models.ForeignKey("cases.Case", on_delete=models.SET_NULL, null=True, blank=True, related_name="referrals")

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["owning_agency", "status", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.reference} {self.get_concern_display()}"

    def get_absolute_url(self) -> str:
        return record_url("referrals:referral", self.uuid)

    def people_lines(self) -> list[str]:
        return [line.strip() for line in self.people.splitlines() if line.strip()]

    @property
    def is_open(self) -> bool:
        return self.status == ReferralStatus.RECEIVED
