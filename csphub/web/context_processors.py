"""What every page needs: the service name, and the navigation for the signed-in user."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse

from csphub.access.policy import (
    allowed_actions,
    is_community_user,
    may_refer,
    may_see_insights,
    may_see_nte_summary,
    may_see_statistics,
    may_triage,
    may_use_audit_log,
    may_use_intelligence,
)
from csphub.access.vocabulary import Verb
from csphub.cuckooing.queries import is_panel_member
from csphub.linkage.review import may_review
from csphub.meetings.queries import series_for
from csphub.nte.services import is_nte_partner
from csphub.partnership.models import User
from csphub.pubwatch.queries import is_member as is_pubwatch_member
from csphub.purpleflag.services import has_packs


def service(request: HttpRequest) -> dict[str, Any]:
    # An error page may render before AuthenticationMiddleware has run (a bad Host header is refused first).
    user = getattr(request, "user", None)
    signed_in = isinstance(user, User) and user.is_authenticated
    nav: list[dict[str, str]] = []
    community = False
    if signed_in and isinstance(user, User) and is_community_user(user):
        community = True
        # Volunteers and business members: their referrals, nothing of the case-officer interface.
        if may_refer(user):
            nav.append({"label": "Make a referral", "url": reverse("referrals:new")})
        nav.append({"label": "My referrals", "url": reverse("referrals:mine")})
        if is_panel_member(user):
            nav.append({"label": "Cuckooing panel", "url": reverse("cuckooing:panel")})
        # ... and the meetings and action groups they sit on, if any.
        if series_for(user).exists():
            nav.append({"label": "Meetings", "url": reverse("meetings:list")})
        # ... their night-time economy shifts (Street Pastors, taxi marshals).
        if may_see_nte_summary(user, nte_partner=is_nte_partner(user)):
            nav.append({"label": "Night-time economy", "url": reverse("nte:index")})
        # ... and the Purple Flag evidence packs they write with the council (a town-centre partnership).
        if has_packs(user):
            nav.append({"label": "Purple Flag", "url": reverse("purpleflag:list")})
        if may_see_insights(user):
            nav.append({"label": "Insights", "url": reverse("insights:index")})
        if is_pubwatch_member(user):
            nav.append({"label": "Pubwatch", "url": reverse("pubwatch:schemes")})
    elif signed_in:
        assert isinstance(user, User)
        actions = allowed_actions(user)
        nav.append({"label": "Home", "url": reverse("web:home")})
        if Verb.VIEW in actions:
            nav.append({"label": "People", "url": reverse("registers:person-search")})
            nav.append({"label": "Places", "url": reverse("registers:place-search")})
            nav.append({"label": "Cases", "url": reverse("cases:list")})
            nav.append({"label": "Actions", "url": reverse("cases:actions")})
            nav.append({"label": "Cuckooing", "url": reverse("cuckooing:panel")})
            nav.append({"label": "Meetings", "url": reverse("meetings:list")})
        if may_triage(user):
            nav.append({"label": "Referrals", "url": reverse("referrals:inbox")})
        # Serious organised crime: police intelligence and named leads (the counts by district are open to all).
        if may_use_intelligence(user):
            nav.append({"label": "Intelligence", "url": reverse("intelligence:lines")})
        # The register merger: the pairs to decide, and what each legacy import read (managers and analysts).
        if may_review(user):
            nav.append({"label": "Duplicates", "url": reverse("linkage:queue")})
        if may_see_statistics(user):
            nav.append({"label": "Imports", "url": reverse("linkage:imports")})
        if may_see_nte_summary(user, nte_partner=is_nte_partner(user)):
            nav.append({"label": "Night-time economy", "url": reverse("nte:index")})
        if has_packs(user):
            nav.append({"label": "Purple Flag", "url": reverse("purpleflag:list")})
        if may_see_insights(user):
            nav.append({"label": "Insights", "url": reverse("insights:index")})
        # A Pubwatch scheme's ban register: only for the scheme's members (a police officer only if it admits them).
        if is_pubwatch_member(user):
            nav.append({"label": "Pubwatch", "url": reverse("pubwatch:schemes")})
        nav.append({"label": "Partnership", "url": reverse("web:partnership")})
        nav.append({"label": "Access", "url": reverse("access:grants")})
        if may_use_audit_log(user):
            nav.append({"label": "Audit log", "url": reverse("audit:index")})
    # One item is current: the one whose address is the longest start of this page's ("Actions", not also "Cases").
    path = request.path
    matching = [i for i in nav if (i["url"] != "/" and path.startswith(i["url"])) or i["url"] == path]
    current = max(matching, key=lambda i: len(i["url"]), default=None)
    for item in nav:
        item["active"] = "yes" if item is current else ""
    agency = getattr(user, "agency", None) if signed_in else None
    return {
        "user_agency_name": agency.name if agency is not None else "",
        "service_name": settings.CSPHUB_SERVICE_NAME,
        "partnership_name": settings.CSPHUB_PARTNERSHIP_NAME,
        "service_nav": nav,
        "community_user": community,
        "map_tiles": settings.CSPHUB_MAP_TILES,  # maps/map.html: a tile layer, or None (the shipped base map)
    }
