"""Key the chain and seal it: HMAC links (hash version 2), REPLACE/UPSERT refused, a head that only moves forward.

- ``hash_version``: existing entries are version 1 (SHA-256) and stay verifiable; new entries are version 2,
  HMAC-SHA256 under the audit key (``csphub.audit.chain``).
- PostgreSQL: ``csphub_audit_append(entries jsonb, audit_key bytea)`` replaces the unkeyed function of 0003. The key
  is a parameter of each call, never stored in the database. The HMAC is RFC 2104 built on PostgreSQL's own
  ``sha256()`` (PostgreSQL 11+): no pgcrypto, so no ``CREATE EXTENSION`` and no superuser. The function is
  ``SECURITY DEFINER`` (with a fixed ``search_path``), owned by whoever runs the migrations: the application's role
  then needs only SELECT on the audit tables and EXECUTE on it (``csphub audit grant-sql``).
- SQLite: ``INSERT OR REPLACE``/``REPLACE`` delete the conflicting row without firing DELETE triggers, and an
  UPSERT's insert half would do the same: a BEFORE INSERT trigger refuses any insert whose id, seq or hash is
  taken, or whose seq is not past the chain head, before conflict resolution runs.
- Both: the chain head only moves forward (never back, never sideways to another hash at the same place) and only
  to an entry that exists; it cannot be deleted, and there is only one.

On SQLite, adding the column rebuilds the table, which drops its triggers: the append-only triggers of 0002 are
installed again here.
"""

from django.db import migrations, models

SQLITE_ENTRY = [
    """CREATE TRIGGER IF NOT EXISTS audit_entry_no_update BEFORE UPDATE ON audit_auditentry
       BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END;""",
    """CREATE TRIGGER IF NOT EXISTS audit_entry_no_delete BEFORE DELETE ON audit_auditentry
       BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END;""",
]
SQLITE = [
    *SQLITE_ENTRY,
    """CREATE TRIGGER IF NOT EXISTS audit_entry_no_replace BEFORE INSERT ON audit_auditentry
       WHEN EXISTS (SELECT 1 FROM audit_auditentry WHERE id = NEW.id OR seq = NEW.seq OR hash = NEW.hash)
         OR NEW.seq <= (SELECT last_seq FROM audit_chainhead WHERE id = 1)
       BEGIN SELECT RAISE(ABORT, 'audit entries are append-only: REPLACE and UPSERT are refused'); END;""",
    """CREATE TRIGGER IF NOT EXISTS audit_head_forward_only BEFORE UPDATE ON audit_chainhead
       WHEN NEW.id IS NOT OLD.id OR NEW.last_seq < OLD.last_seq
         OR (NEW.last_seq = OLD.last_seq AND NEW.last_hash IS NOT OLD.last_hash)
         OR (NEW.last_seq > 0 AND NOT EXISTS (
               SELECT 1 FROM audit_auditentry WHERE seq = NEW.last_seq AND hash = NEW.last_hash))
       BEGIN SELECT RAISE(ABORT, 'the audit chain head only moves forward, to an entry of the log'); END;""",
    """CREATE TRIGGER IF NOT EXISTS audit_head_no_delete BEFORE DELETE ON audit_chainhead
       BEGIN SELECT RAISE(ABORT, 'the audit chain head cannot be removed'); END;""",
    """CREATE TRIGGER IF NOT EXISTS audit_head_no_insert BEFORE INSERT ON audit_chainhead
       WHEN EXISTS (SELECT 1 FROM audit_chainhead)
       BEGIN SELECT RAISE(ABORT, 'the audit log has one chain head'); END;""",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS audit_entry_no_replace;",
    "DROP TRIGGER IF EXISTS audit_head_forward_only;",
    "DROP TRIGGER IF EXISTS audit_head_no_delete;",
    "DROP TRIGGER IF EXISTS audit_head_no_insert;",
]

POSTGRES_HEAD = [
    """CREATE OR REPLACE FUNCTION csphub_audit_head_guard() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'UPDATE' THEN
            IF NEW.id IS DISTINCT FROM OLD.id OR NEW.last_seq < OLD.last_seq
               OR (NEW.last_seq = OLD.last_seq AND NEW.last_hash IS DISTINCT FROM OLD.last_hash)
               OR (NEW.last_seq > 0 AND NOT EXISTS (
                     SELECT 1 FROM audit_auditentry e WHERE e.seq = NEW.last_seq AND e.hash = NEW.last_hash)) THEN
                RAISE EXCEPTION 'the audit chain head only moves forward, to an entry of the log';
            END IF;
            RETURN NEW;
        ELSIF TG_OP = 'INSERT' THEN
            IF EXISTS (SELECT 1 FROM audit_chainhead) THEN
                RAISE EXCEPTION 'the audit log has one chain head';
            END IF;
            RETURN NEW;
        END IF;
        RAISE EXCEPTION 'the audit chain head cannot be removed';
    END; $$;""",
    """CREATE TRIGGER audit_head_guard BEFORE INSERT OR UPDATE OR DELETE ON audit_chainhead
       FOR EACH ROW EXECUTE FUNCTION csphub_audit_head_guard();""",
    """CREATE TRIGGER audit_head_no_truncate BEFORE TRUNCATE ON audit_chainhead
       FOR EACH STATEMENT EXECUTE FUNCTION csphub_audit_head_guard();""",
]
POSTGRES_HEAD_REVERSE = [
    "DROP TRIGGER IF EXISTS audit_head_guard ON audit_chainhead;",
    "DROP TRIGGER IF EXISTS audit_head_no_truncate ON audit_chainhead;",
    "DROP FUNCTION IF EXISTS csphub_audit_head_guard();",
]

# {schema}: the schema the migrations run in, pinned so that the SECURITY DEFINER function cannot be pointed at
# another table (pg_temp last: a caller's temporary table cannot shadow the log's).
APPEND = r"""
CREATE OR REPLACE FUNCTION csphub_audit_append(entries jsonb, audit_key bytea)
RETURNS TABLE (out_id bigint, out_seq bigint, out_prev_hash varchar, out_hash varchar)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = {schema}, pg_temp AS $$
DECLARE
    last bigint;
    prev varchar;
    entry jsonb;
    digest varchar;
    new_id bigint;
    k bytea;
    ipad bytea;
    opad bytea;
    i int;
BEGIN
    -- HMAC-SHA256 (RFC 2104): sha256((k xor opad) || sha256((k xor ipad) || message)), k padded to 64 bytes.
    IF audit_key IS NULL OR length(audit_key) = 0 THEN
        RAISE EXCEPTION 'the audit key is missing';
    END IF;
    k := audit_key;
    IF length(k) > 64 THEN
        k := sha256(k);
    END IF;
    k := k || decode(repeat('00', 64 - length(k)), 'hex');
    ipad := k;
    opad := k;
    FOR i IN 0..63 LOOP
        ipad := set_byte(ipad, i, get_byte(k, i) # 54);
        opad := set_byte(opad, i, get_byte(k, i) # 92);
    END LOOP;
    SELECT h.last_seq, h.last_hash INTO last, prev FROM audit_chainhead h WHERE h.id = 1 FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'the audit chain head is missing';
    END IF;
    FOR entry IN SELECT value FROM jsonb_array_elements(entries) LOOP
        last := last + 1;
        digest := encode(sha256(opad || sha256(ipad || convert_to(
            (entry->>'hash_a') || prev || (entry->>'hash_b') || last::text || (entry->>'hash_c'), 'UTF8'))), 'hex');
        INSERT INTO audit_auditentry (
            seq, at, action, actor_id, actor_username, agency_uuid, agency_name, channel, request_id,
            record_type, record_id, related_type, related_id, summary, justification, basis,
            recipients, detail, before, after, prev_hash, hash, hash_version
        ) VALUES (
            last, (entry->>'at')::timestamptz, entry->>'action', (entry->>'actor_id')::bigint,
            entry->>'actor_username', entry->>'agency_uuid', entry->>'agency_name', entry->>'channel',
            entry->>'request_id', entry->>'record_type', entry->>'record_id', entry->>'related_type',
            entry->>'related_id', entry->>'summary', entry->>'justification', entry->>'basis',
            entry->'recipients', entry->'detail',
            CASE WHEN jsonb_typeof(entry->'before') = 'null' THEN NULL ELSE entry->'before' END,
            CASE WHEN jsonb_typeof(entry->'after') = 'null' THEN NULL ELSE entry->'after' END,
            prev, digest, 2
        ) RETURNING id INTO new_id;
        out_id := new_id;
        out_seq := last;
        out_prev_hash := prev;
        out_hash := digest;
        RETURN NEXT;
        prev := digest;
    END LOOP;
    UPDATE audit_chainhead SET last_seq = last, last_hash = prev WHERE id = 1;
END;
$$;
"""
APPEND_GRANTS = "REVOKE ALL ON FUNCTION csphub_audit_append(jsonb, bytea) FROM PUBLIC;"
DROP_APPEND = "DROP FUNCTION IF EXISTS csphub_audit_append(jsonb, bytea);"
DROP_UNKEYED_APPEND = "DROP FUNCTION IF EXISTS csphub_audit_append(jsonb);"


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        for sql in SQLITE:
            schema_editor.execute(sql)
    elif vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute("SELECT current_schema()")
            schema = cursor.fetchone()[0]
        for sql in POSTGRES_HEAD:
            schema_editor.execute(sql)
        schema_editor.execute(DROP_UNKEYED_APPEND)
        schema_editor.execute(APPEND.replace("{schema}", schema_editor.quote_name(schema)))
        schema_editor.execute(APPEND_GRANTS)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        for sql in SQLITE_REVERSE:
            schema_editor.execute(sql)
    elif vendor == "postgresql":
        import importlib

        unkeyed = importlib.import_module("csphub.audit.migrations.0003_append_function")
        schema_editor.execute(DROP_APPEND)
        schema_editor.execute(unkeyed.CREATE)
        for sql in POSTGRES_HEAD_REVERSE:
            schema_editor.execute(sql)


def sqlite_entry_triggers(apps, schema_editor):
    """Unapplying: removing the column rebuilds the table on SQLite, which drops the triggers of 0002."""
    if schema_editor.connection.vendor == "sqlite":
        for sql in SQLITE_ENTRY:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_append_function")]

    operations = [
        migrations.RunPython(migrations.RunPython.noop, sqlite_entry_triggers),
        migrations.AddField(
            model_name="auditentry",
            name="hash_version",
            field=models.PositiveSmallIntegerField(default=1, editable=False),
        ),
        migrations.AlterField(
            model_name="auditentry",
            name="hash_version",
            field=models.PositiveSmallIntegerField(default=2, editable=False),
        ),
        migrations.RunPython(forwards, backwards),
    ]
