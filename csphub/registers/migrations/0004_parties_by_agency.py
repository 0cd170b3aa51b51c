"""Index the parties of governed records by (agency, record).

``visible_to`` asks "is the user's agency a party?" as EXISTS/IN over the parties table; Django's index on it is
(record, agency), which serves one record at a time but not "every record this agency is party to" (a search or a
list), which then read the heap for each party row. The (agency, record) index makes that an index-only scan.
Likewise for records shared with a user personally.
"""

from django.db import migrations

TABLES = {
    "registers_person_parties": ("agency_id", "person_id"),
    "registers_place_parties": ("agency_id", "place_id"),
    "registers_phone_parties": ("agency_id", "phone_id"),
    "registers_vehicle_parties": ("agency_id", "vehicle_id"),
    "registers_person_shared_with_users": ("user_id", "person_id"),
    "registers_place_shared_with_users": ("user_id", "place_id"),
    "registers_phone_shared_with_users": ("user_id", "phone_id"),
    "registers_vehicle_shared_with_users": ("user_id", "vehicle_id"),
}


class Migration(migrations.Migration):
    dependencies = [("registers", "0003_name_prefix_indexes")]

    operations = [
        migrations.RunSQL(
            f"CREATE INDEX {table}_by_{cols[0]} ON {table} ({cols[0]}, {cols[1]})",
            f"DROP INDEX {table}_by_{cols[0]}",
        )
        for table, cols in TABLES.items()
    ]
