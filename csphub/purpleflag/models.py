"""A Purple Flag evidence pack: a town centre, an assessment period and the partnership's narrative per standard.

The pack holds no figure: every figure is generated from the analytics engine and the NTE logs each time the pack is
shown or printed (``csphub.purpleflag.evidence``), so it cannot drift from them. What it stores is the question (the
town centre's circle, the district, the months) and the narrative the partnership writes around the answers.

A pack is a governed record (``Governed``) holding aggregate figures only, no personal data (OFFICIAL, general):
its owning agency and parties see it through the access policy; the town-centre partnership's users (a business
or voluntary agency) are shared with personally, and edit the narrative with the owning agency's managers
(``services.may_edit_narrative``).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from csphub.access.models import Governed
from csphub.audit.registry import audited
from csphub.ui.links import record_url

from .standards import STANDARDS

# The town centre's circle: a market square at the least, a large town's centre at the most.
RADIUS_MIN_M = 100
RADIUS_MAX_M = 3000
# An assessment period: the standards ask for a year's evidence; two years at the most.
MAX_MONTHS = 24


@audited(label="Purple Flag evidence pack", exclude=("updated_at",))
class EvidencePack(Governed):
    title = models.CharField(max_length=200)
    town_centre = models.CharField(max_length=120, help_text="The town centre assessed, e.g. Kettering town centre")
    district_code = models.CharField(max_length=9, help_text="The ONS code of the district the centre is in")
    centre_latitude = models.FloatField()
    centre_longitude = models.FloatField()
    radius_m = models.PositiveIntegerField(
        default=700,
        validators=[
            MinValueValidator(RADIUS_MIN_M, f"The radius must be {RADIUS_MIN_M} metres or more"),
            MaxValueValidator(RADIUS_MAX_M, f"The radius must be {RADIUS_MAX_M:,} metres or less"),
        ],
        help_text="The town centre: this distance round its centre",
    )
    first_month = models.DateField(help_text="The first month of the assessment period")
    last_month = models.DateField(help_text="The last month of the assessment period")
    nte_area = models.ForeignKey(
        "nte.NteArea",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The night-time economy area whose logs the pack counts (None: every area's)",
    )
    town_centre_agency = models.ForeignKey(
        "partnership.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The town-centre or Purple Flag partnership that writes the narrative with the owning agency",
    )

    class Meta:
        ordering = ["-last_month", "title", "id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return record_url("purpleflag:pack", self.uuid)

    def clean(self) -> None:
        super().clean()
        if not (self.first_month and self.last_month):
            return
        if self.first_month > self.last_month:
            raise ValidationError({"last_month": "The period must end after it starts"})
        if self.last_month.replace(day=1) > timezone.localdate().replace(day=1):
            raise ValidationError({"last_month": "The period must end this month or earlier, not in the future"})
        if self.months > MAX_MONTHS:
            raise ValidationError({"last_month": f"The period must be {MAX_MONTHS} months or shorter"})

    @property
    def months(self) -> int:
        return (self.last_month.year - self.first_month.year) * 12 + self.last_month.month - self.first_month.month + 1

    def earlier_period(self) -> tuple[dt.date, dt.date]:
        """The same months a year before the assessment period."""
        return (
            self.first_month.replace(year=self.first_month.year - 1),
            self.last_month.replace(year=self.last_month.year - 1),
        )


STANDARD_CHOICES = [(s.slug, s.title) for s in STANDARDS]


@audited(label="Purple Flag narrative", record=lambda n: n.pack)
class Narrative(models.Model):
    """The partnership's words for one standard of one pack; every change is in the audit log with its before and
    after text, and ``version`` counts them."""

    pack = models.ForeignKey(EvidencePack, on_delete=models.CASCADE, related_name="narratives")
    standard = models.CharField(max_length=20, choices=STANDARD_CHOICES)
    text = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=0)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["pack", "id"]
        constraints = [models.UniqueConstraint(fields=["pack", "standard"], name="unique_pack_standard")]

    def __str__(self) -> str:
        return f"{self.get_standard_display()} narrative of {self.pack}"
