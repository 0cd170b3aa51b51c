"""Django admin for the partnership's configuration (agencies, districts, agreements, users and roles, question sets).

Only users with the administrator role reach it. Personal records (people, places…) are deliberately not in the
admin: they are reached only through views that ask the access policy.

Every change here is audited with before and after (users, roles, agencies, agreements: ``@audited`` on the models).
An administrator cannot change their own agency or roles (another administrator must), and cannot set the password
of another agency's user: they send a one-time reset link instead; moving a user to another agency voids the
password the administrator may know.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest, HttpResponse

from csphub.access.policy import may_administer
from csphub.assessments.models import QuestionSetVersion
from csphub.cuckooing.models import PanelMember
from csphub.partnership.models import (
    Agency,
    DataCategory,
    District,
    InformationSharingAgreement,
    LawfulBasis,
    Partnership,
    Purpose,
    RoleAssignment,
    User,
)
from csphub.partnership.passwords import NoEmailAddress, may_set_password, send_reset_link

OWN_AGENCY = "You cannot change your own agency: ask another administrator to do it."
OWN_ROLES = "You cannot change your own roles: ask another administrator to do it."
OTHER_AGENCY_PASSWORD = (
    "You cannot set the password of another agency's user: send them a password reset link instead "
    "(the user list's action “Send a password reset link”)."
)


def _is_administrator(request: HttpRequest) -> bool:
    user = request.user
    return isinstance(user, User) and may_administer(user)


admin.site.has_permission = _is_administrator  # type: ignore[method-assign]


class AdministratorsOnly:
    """Model permissions come from the administrator role (one place), not from Django's per-model permissions."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return _is_administrator(request)

    def has_view_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return _is_administrator(request)

    def has_add_permission(self, request: HttpRequest, *args: object) -> bool:
        return _is_administrator(request)

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return _is_administrator(request)

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return _is_administrator(request)


admin.site.site_header = "csphub administration"
admin.site.site_title = "csphub administration"


@admin.register(Partnership)
class PartnershipAdmin(AdministratorsOnly, admin.ModelAdmin):
    list_display = ("name", "code", "formed_on", "area_ons_code")


@admin.register(District)
class DistrictAdmin(AdministratorsOnly, admin.ModelAdmin):
    list_display = ("name", "ons_code", "successor_ons_code", "succeeded_on")
    readonly_fields = ("boundary",)


@admin.register(Agency)
class AgencyAdmin(AdministratorsOnly, admin.ModelAdmin):
    list_display = ("name", "sector", "county_wide", "competent_authority")
    list_filter = ("sector", "county_wide")
    filter_horizontal = ("districts",)
    search_fields = ("name",)


class AgreementForm(forms.ModelForm):
    """Purposes, data categories and lawful bases as tick-boxes of the known codes, not raw JSON."""

    purposes = forms.MultipleChoiceField(choices=Purpose.choices, widget=forms.CheckboxSelectMultiple)
    data_categories = forms.MultipleChoiceField(choices=DataCategory.choices, widget=forms.CheckboxSelectMultiple)
    lawful_bases = forms.MultipleChoiceField(choices=LawfulBasis.choices, widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = InformationSharingAgreement
        fields = (
            "partnership",
            "reference",
            "title",
            "parties",
            "purposes",
            "data_categories",
            "lawful_bases",
            "valid_from",
            "valid_to",
            "signed_off_by",
            "notes",
        )


@admin.register(InformationSharingAgreement)
class AgreementAdmin(AdministratorsOnly, admin.ModelAdmin):
    form = AgreementForm
    list_display = ("reference", "title", "valid_from", "valid_to")
    filter_horizontal = ("parties",)


class RoleFormSet(BaseInlineFormSet):
    """The roles of a user: refused, with the reason, when administrators change their own."""

    acting_user_pk: int | None = None

    def clean(self) -> None:
        super().clean()
        if self.instance.pk is None or self.instance.pk != self.acting_user_pk:
            return
        for form in self.forms:
            if form.has_changed() or getattr(form, "cleaned_data", {}).get("DELETE"):
                raise ValidationError(OWN_ROLES)


class RoleInline(AdministratorsOnly, admin.TabularInline):
    model = RoleAssignment
    formset = RoleFormSet
    extra = 1

    def get_formset(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> Any:
        formset = super().get_formset(request, obj, **kwargs)
        return type("GuardedRoleFormSet", (formset,), {"acting_user_pk": request.user.pk})


def _refuse_own_agency(form: forms.ModelForm) -> Any:
    agency = form.cleaned_data.get("agency")
    if (agency.pk if agency is not None else None) != form.initial.get("agency"):
        raise ValidationError(OWN_AGENCY)
    return agency


@admin.register(User)
class CsphubUserAdmin(AdministratorsOnly, UserAdmin):
    list_display = ("username", "first_name", "last_name", "agency", "is_active")
    list_filter = ("agency", "is_active")
    inlines = [RoleInline]
    fieldsets = (*(UserAdmin.fieldsets or ()), ("Agency", {"fields": ("agency", "job_title")}))
    actions = ["send_password_reset"]
    # Not edited by hand (and a form round trip would drop date_joined's microseconds: a false audit entry).
    readonly_fields = ("last_login", "date_joined")

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)
        if obj is not None and obj.pk == request.user.pk:
            return type("OwnAccountForm", (form,), {"clean_agency": _refuse_own_agency})
        return form

    def save_model(self, request: HttpRequest, obj: User, form: forms.ModelForm, change: bool) -> None:
        administrator = request.user
        assert isinstance(administrator, User)
        if (
            change
            and "agency" in form.changed_data
            and not may_set_password(administrator, obj)
            and obj.has_usable_password()
        ):
            # The administrator may know this password (they may have set it): it must not follow the user into
            # an agency whose passwords the administrator may not set.
            obj.set_unusable_password()
            messages.warning(
                request,
                f"{obj.get_username()} moved to {obj.agency}: their password no longer works. "
                "Send them a password reset link.",
            )
        super().save_model(request, obj, form, change)

    def user_change_password(self, request: HttpRequest, id: str, form_url: str = "") -> HttpResponse:
        target = self.get_object(request, unquote(id))
        administrator = request.user
        if target is not None and (not isinstance(administrator, User) or not may_set_password(administrator, target)):
            raise PermissionDenied(OTHER_AGENCY_PASSWORD)
        return super().user_change_password(request, id, form_url)

    @admin.action(description="Send a password reset link")
    def send_password_reset(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        base_url = request.build_absolute_uri("/")
        sent = 0
        for user in queryset:
            try:
                send_reset_link(user, base_url=base_url)
            except NoEmailAddress as exc:
                self.message_user(request, str(exc), messages.ERROR)
            else:
                sent += 1
        self.message_user(request, f"Sent {sent} password reset link{'s' if sent != 1 else ''}.")


@admin.register(QuestionSetVersion)
class QuestionSetVersionAdmin(AdministratorsOnly, admin.ModelAdmin):
    list_display = ("key", "version", "title", "active", "loaded_at")
    list_filter = ("key", "active")
    readonly_fields = ("digest", "title", "loaded_at")


@admin.register(PanelMember)
class PanelMemberAdmin(AdministratorsOnly, admin.ModelAdmin):
    """Who sits on the cuckooing panel: records brought to the panel from then on are shared with them."""

    list_display = ("user", "added_at")
    autocomplete_fields = ("user",)
