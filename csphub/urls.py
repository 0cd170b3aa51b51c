"""csphub's URLs. Records are addressed by UUID, never by integer id."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("csphub.web.urls")),
    path("accounts/", include("csphub.accounts.urls")),
    path("register/", include("csphub.registers.urls")),
    path("register/", include("csphub.linkage.urls")),
    path("cases/", include("csphub.cases.urls")),
    path("referrals/", include("csphub.referrals.urls")),
    path("intelligence/", include("csphub.intelligence.urls")),
    path("insights/", include("csphub.insights.urls")),
    path("meetings/", include("csphub.meetings.urls")),
    path("cuckooing/", include("csphub.cuckooing.urls")),
    path("nte/", include("csphub.nte.urls")),
    path("pubwatch/", include("csphub.pubwatch.urls")),
    path("purple-flag/", include("csphub.purpleflag.urls")),
    path("access/", include("csphub.access.urls")),
    path("audit/", include("csphub.web.auditlog.urls")),
    path("admin/", admin.site.urls),
]

handler404 = "csphub.web.views.not_found"
