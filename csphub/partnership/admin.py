"""Django admin for the partnership's configuration (agencies, districts, agreements, users and roles).

Only users with the administrator role reach it. Personal records (people, places…) are deliberately not in the
admin: they are reached only through views that ask the access policy.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.http import HttpRequest

from csphub.partnership.models import (
    Agency,
    District,
    InformationSharingAgreement,
    Partnership,
    Role,
    RoleAssignment,
    User,
)


def _is_administrator(request: HttpRequest) -> bool:
    user = request.user
    return bool(user.is_active and user.is_staff and user.has_role(Role.ADMINISTRATOR))


admin.site.has_permission = _is_administrator  # type: ignore[method-assign]
admin.site.site_header = "csphub administration"
admin.site.site_title = "csphub administration"


@admin.register(Partnership)
class PartnershipAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "formed_on", "area_ons_code")


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ("name", "ons_code", "successor_ons_code", "succeeded_on")
    readonly_fields = ("boundary",)


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ("name", "sector", "county_wide", "competent_authority")
    list_filter = ("sector", "county_wide")
    filter_horizontal = ("districts",)
    search_fields = ("name",)


@admin.register(InformationSharingAgreement)
class AgreementAdmin(admin.ModelAdmin):
    list_display = ("reference", "title", "valid_from", "valid_to")
    filter_horizontal = ("parties",)


class RoleInline(admin.TabularInline):
    model = RoleAssignment
    extra = 1


@admin.register(User)
class CsphubUserAdmin(UserAdmin):
    list_display = ("username", "first_name", "last_name", "agency", "is_active")
    list_filter = ("agency", "is_active")
    inlines = [RoleInline]
    fieldsets = (*(UserAdmin.fieldsets or ()), ("Agency", {"fields": ("agency", "job_title")}))
