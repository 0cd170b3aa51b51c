"""Access cases for the audit log's page."""

from __future__ import annotations

from tests.access_cases import RoleViewCases


class TestAuditIndexAccess(RoleViewCases):
    url_name = "audit:index"
    permitted = "council_admin"
    lacking_role = "police_officer"
