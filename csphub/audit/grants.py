"""The PostgreSQL privileges that keep the audit log append-only whatever the application is made to run.

In production the tables belong to an owner role, which runs the migrations; the application connects as another
role. On the audit tables that role gets SELECT only, and appends through ``csphub_audit_append`` (migration
0004), a ``SECURITY DEFINER`` function that runs as the owner: it can add entries to the end of the chain and
nothing else. Without UPDATE, DELETE or TRUNCATE, the application's role cannot change or remove an entry, or move
the chain head, even with the triggers gone: only the owner can, and only the owner can drop the triggers.
"""

from __future__ import annotations

AUDIT_TABLES = ("audit_auditentry", "audit_chainhead")
APPEND_FUNCTION = "csphub_audit_append(jsonb, bytea)"


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def grant_sql(app_role: str, owner_role: str | None = None, schema: str = "public") -> str:
    """The GRANT/REVOKE script for ``app_role`` (and, if given, the ownership by ``owner_role``)."""
    app, s = _q(app_role), _q(schema)
    tables = ", ".join(f"{s}.{t}" for t in AUDIT_TABLES)
    function = f"{s}.{APPEND_FUNCTION}"
    lines = [
        "-- csphub: the application's database role (docs/access-and-audit.md, 'Database roles').",
        "-- Run as the owner of csphub's tables (or a superuser), in one transaction, after every migrate:",
        "--   csphub audit grant-sql --app-role NAME > grants.sql && psql -1 -f grants.sql",
        "",
    ]
    if owner_role:
        owner = _q(owner_role)
        lines += [
            "-- The audit tables and the append function belong to the owner role.",
            *(f"ALTER TABLE {s}.{t} OWNER TO {owner};" for t in AUDIT_TABLES),
            f"ALTER FUNCTION {function} OWNER TO {owner};",
            "",
        ]
    lines += [
        "-- csphub's other tables: the application reads and writes them.",
        f"GRANT USAGE ON SCHEMA {s} TO {app};",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {s} TO {app};",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {s} TO {app};",
        "",
        "-- The audit log: read, and append through the function only (it runs as its owner). No INSERT, UPDATE,",
        "-- DELETE or TRUNCATE: the application's role can neither change nor remove an entry, nor move the head.",
        f"REVOKE ALL ON TABLE {tables} FROM PUBLIC;",
        f"REVOKE ALL ON TABLE {tables} FROM {app};",
        f"GRANT SELECT ON TABLE {tables} TO {app};",
        f"REVOKE ALL ON FUNCTION {function} FROM PUBLIC;",
        f"GRANT EXECUTE ON FUNCTION {function} TO {app};",
        "",
    ]
    return "\n".join(lines)
