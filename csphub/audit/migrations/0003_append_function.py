"""PostgreSQL: append entries to the chain in one statement (``csphub.audit.log._append_in_database``).

``csphub_audit_append(entries jsonb)`` takes an array of entries, each with every column but its place in the chain
and its hash template (``hash_a``, ``hash_b``, ``hash_c``: ``csphub.audit.chain.hash_template``). Holding the chain
head's row lock, it numbers each entry, hashes ``hash_a || prev_hash || hash_b || seq || hash_c`` with SHA-256 —
the same canonical JSON that ``csphub.audit.chain.entry_hash`` hashes, so ``csphub audit verify`` checks entries
from either path — inserts it and moves the head. SQLite keeps appending from Python.
"""

from django.db import migrations

CREATE = r"""
CREATE OR REPLACE FUNCTION csphub_audit_append(entries jsonb)
RETURNS TABLE (out_id bigint, out_seq bigint, out_prev_hash varchar, out_hash varchar)
LANGUAGE plpgsql AS $$
DECLARE
    last bigint;
    prev varchar;
    entry jsonb;
    digest varchar;
    new_id bigint;
BEGIN
    SELECT h.last_seq, h.last_hash INTO last, prev FROM audit_chainhead h WHERE h.id = 1 FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'the audit chain head is missing';
    END IF;
    FOR entry IN SELECT value FROM jsonb_array_elements(entries) LOOP
        last := last + 1;
        digest := encode(sha256(convert_to(
            (entry->>'hash_a') || prev || (entry->>'hash_b') || last::text || (entry->>'hash_c'), 'UTF8')), 'hex');
        INSERT INTO audit_auditentry (
            seq, at, action, actor_id, actor_username, agency_uuid, agency_name, channel, request_id,
            record_type, record_id, related_type, related_id, summary, justification, basis,
            recipients, detail, before, after, prev_hash, hash
        ) VALUES (
            last, (entry->>'at')::timestamptz, entry->>'action', (entry->>'actor_id')::bigint,
            entry->>'actor_username', entry->>'agency_uuid', entry->>'agency_name', entry->>'channel',
            entry->>'request_id', entry->>'record_type', entry->>'record_id', entry->>'related_type',
            entry->>'related_id', entry->>'summary', entry->>'justification', entry->>'basis',
            entry->'recipients', entry->'detail',
            CASE WHEN jsonb_typeof(entry->'before') = 'null' THEN NULL ELSE entry->'before' END,
            CASE WHEN jsonb_typeof(entry->'after') = 'null' THEN NULL ELSE entry->'after' END,
            prev, digest
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

DROP = "DROP FUNCTION IF EXISTS csphub_audit_append(jsonb);"


def _on_postgresql(sql: str):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only")]

    operations = [migrations.RunPython(_on_postgresql(CREATE), _on_postgresql(DROP))]
