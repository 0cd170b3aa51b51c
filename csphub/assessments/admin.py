from __future__ import annotations

from django.contrib import admin

from csphub.assessments.models import QuestionSetVersion
from csphub.partnership.admin import AdministratorsOnly


@admin.register(QuestionSetVersion)
class QuestionSetVersionAdmin(AdministratorsOnly, admin.ModelAdmin):
    list_display = ("key", "version", "title", "active", "loaded_at")
    list_filter = ("key", "active")
    readonly_fields = ("digest", "title", "loaded_at")
