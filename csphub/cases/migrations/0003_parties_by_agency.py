"""Index the parties of cases by (agency, case), and personal shares by (user, case): see
``registers/migrations/0004_parties_by_agency.py``."""

from django.db import migrations

TABLES = {
    "cases_case_parties": ("agency_id", "case_id"),
    "cases_case_shared_with_users": ("user_id", "case_id"),
}


class Migration(migrations.Migration):
    dependencies = [("cases", "0002_casereviewapplication_maracreferral_powerrecord")]

    operations = [
        migrations.RunSQL(
            f"CREATE INDEX {table}_by_{cols[0]} ON {table} ({cols[0]}, {cols[1]})",
            f"DROP INDEX {table}_by_{cols[0]}",
        )
        for table, cols in TABLES.items()
    ]
