"""Governed records (the base of every record holding personal data) and break-glass access grants."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import BooleanField, ExpressionWrapper
from django.http import Http404
from django.utils import timezone

from csphub.access import filter_cache
from csphub.access.grants import AccessGrant, AccessGrantQuerySet, GrantStatus
from csphub.access.policy import (
    RULE_FIELD_PREFIX,
    Decision,
    allowed_actions,
    closed_membership,
    decide,
    lead_filter,
    rule_filters,
    visibility_filter,
)
from csphub.access.vocabulary import Caveat, Sensitivity, Verb
from csphub.partnership.models import DataCategory

if TYPE_CHECKING:
    from csphub.partnership.models import User

# AccessGrant lives in ``grants`` (the policy reads it); named here so that Django finds it among the app's models.
__all__ = ["AccessGrant", "AccessGrantQuerySet", "Governed", "GovernedQuerySet", "GrantStatus", "JustificationRequired"]

G = TypeVar("G", bound="Governed")


class JustificationRequired(Exception):
    """The record may be consulted only with a written justification, and none has been given."""

    def __init__(self, record: Governed) -> None:
        super().__init__(f"a justification is needed to consult {record}")
        self.record = record


class GovernedQuerySet(models.QuerySet[G], Generic[G]):
    """Querysets of governed records: the only way views, search and exports fetch them."""

    def visible_to(self, user: User, action: Verb = Verb.VIEW) -> GovernedQuerySet[G]:
        """Records the user may see (action VIEW) or may do ``action`` to."""
        if action is not Verb.VIEW and action not in allowed_actions(user) and closed_membership(self.model) is None:
            return self.none()
        writable_only = action is not Verb.VIEW
        if getattr(self, "_fields", None) is not None or self.query.distinct or self.query.combinator:
            return self.filter(visibility_filter(user, self.model, writable_only=writable_only))
        # The same filter as above, resolved once per kind of user (``filter_cache``) and ANDed in: resolving the rules'
        # subqueries is most of the cost of asking, and a page asks for several models' records.
        model = self.model
        key = ("visible_to", filter_cache.user_key(user), model._meta.label_lower, writable_only)

        def build() -> models.QuerySet[Any]:
            return models.QuerySet(model).filter(visibility_filter(user, model, writable_only=writable_only))

        visible: models.QuerySet[Any] = filter_cache.memoised(key, build)
        return self & visible

    def leads_for(self, user: User) -> GovernedQuerySet[G]:
        """Records the user may NOT see but may be told exist when a search matches them (``policy.lead_filter``:
        general records only): tell them the count and the holding agency, never what the record holds."""
        lead = lead_filter(user)
        if lead is None or closed_membership(self.model) is not None:
            return self.none()
        visible: models.QuerySet[Any] = GovernedQuerySet(self.model, using=self.db).visible_to(user).values("pk")
        return self.filter(lead).exclude(pk__in=visible)

    def with_rules(self, user: User) -> GovernedQuerySet[G]:
        """Annotate each record with whether each access rule lets the user in (``_rule_<name>``)."""
        annotations = {
            f"{RULE_FIELD_PREFIX}{name}": ExpressionWrapper(q, output_field=BooleanField())
            for name, q in rule_filters(user, self.model).items()
        }
        return self.annotate(**annotations) if annotations else self

    def fetch(self, user: User, action: Verb = Verb.VIEW, **lookup: Any) -> G:
        """One record for ``action``: 404 if the user may not see it, 403 if they may see but not do it.

        A pure read: it decides and returns the record with its ``access_decision``; it writes nothing. Opening the
        record for a person (the justification gate and the consultation entry of the audit log) is the framework's
        job: ``csphub.access.consultation.open_record``, which every record view passes through.
        """
        obj = self.visible_to(user, Verb.VIEW).with_rules(user).select_related("owning_agency").filter(**lookup).first()
        if obj is None:
            raise Http404("No such record")
        decision = decide(user, action, obj.matched_rules())
        if not decision.allowed:
            raise PermissionDenied(decision.reason)
        obj.access_decision = decision
        return obj


GovernedManager = models.Manager.from_queryset(GovernedQuerySet)


class Governed(models.Model):
    """Abstract base of every record holding personal data: ownership, parties, caveat and sensitivity."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    owning_agency = models.ForeignKey(
        "partnership.Agency",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The agency accountable for it",
    )
    parties = models.ManyToManyField("partnership.Agency", blank=True, related_name="+")
    caveat = models.CharField(max_length=20, choices=Caveat.choices, default=Caveat.OFFICIAL)
    sensitivity = models.CharField(max_length=20, choices=Sensitivity.choices, default=Sensitivity.GENERAL)
    partnership_wide = models.BooleanField(
        default=False, help_text="A non-personal record every member may see (e.g. a licensed premises)"
    )
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    shared_with_users = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = GovernedManager()

    access_decision: Decision | None = None

    class Meta:
        abstract = True

    def get_absolute_url(self) -> str:
        raise NotImplementedError

    def matched_rules(self) -> tuple[str, ...]:
        prefix = RULE_FIELD_PREFIX
        return tuple(k[len(prefix) :] for k, v in self.__dict__.items() if k.startswith(prefix) and v)

    @property
    def data_category(self) -> str:
        if self.sensitivity == Sensitivity.DOMESTIC_ABUSE:
            return DataCategory.DOMESTIC_ABUSE
        if self.sensitivity == Sensitivity.INTELLIGENCE:
            return DataCategory.INTELLIGENCE
        return DataCategory.PERSONAL

    # A closed membership (``policy.closed_membership``): the lookup from the record to its membership rows, and the
    # membership roles that may act on it and those that only read it. None for every record the ordinary rules govern.
    members_path: ClassVar[str | None] = None
    member_writer_roles: ClassVar[frozenset[str]] = frozenset()
    member_reader_roles: ClassVar[frozenset[str]] = frozenset()

    # The other side of ``disclosure_companions``, as the policy reads it: the records (by type, "app.model") whose
    # break-glass grant also opens this one for reading, each with the lookup from this record to their UUID. A grant
    # on a person covers the places, phones and vehicles linked to them, for as long as the grant lasts.
    grant_covered_by: ClassVar[dict[str, str]] = {}

    def disclosure_companions(self) -> list[Governed]:
        """Records disclosed together with this one (a person's addresses, phones, vehicles)."""
        return []

    @property
    def is_sensitive(self) -> bool:
        return self.caveat != Caveat.OFFICIAL or self.sensitivity != Sensitivity.GENERAL

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.partnership_wide and self.is_sensitive:
            raise ValidationError({"partnership_wide": "Only OFFICIAL, general records can be partnership-wide."})
