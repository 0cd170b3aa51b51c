"""Django admin for the partnership's configuration (agencies, districts, agreements, users and roles, question sets).

Only users with the administrator role reach it. Personal records (people, places…) are deliberately not in the
admin: they are reached only through views that ask the access policy.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.http import HttpRequest

from csphub.access.policy import may_administer
from csphub.assessments.models import QuestionSetVersion
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


class RoleInline(AdministratorsOnly, admin.TabularInline):
    model = RoleAssignment
    extra = 1


@admin.register(User)
class CsphubUserAdmin(AdministratorsOnly, UserAdmin):
    list_display = ("username", "first_name", "last_name", "agency", "is_active")
    list_filter = ("agency", "is_active")
    inlines = [RoleInline]
    fieldsets = (*(UserAdmin.fieldsets or ()), ("Agency", {"fields": ("agency", "job_title")}))


@admin.register(QuestionSetVersion)
class QuestionSetVersionAdmin(AdministratorsOnly, admin.ModelAdmin):
    list_display = ("key", "version", "title", "active", "loaded_at")
    list_filter = ("key", "active")
    readonly_fields = ("digest", "title", "loaded_at")
