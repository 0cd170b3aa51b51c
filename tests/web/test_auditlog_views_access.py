"""Access cases for the audit log's page."""

from __future__ import annotations

from tests.access_cases import AccessCases


class TestAuditIndexAccess(AccessCases):
    url_name = "audit:index"
    kind = "role"
    permitted = "council_admin"
    lacking_role = "police_officer"
