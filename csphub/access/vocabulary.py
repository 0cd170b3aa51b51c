"""The access policy's vocabulary: what a user may do to a record (its verbs), and how a record is marked.

Kept apart from the policy itself so that models, forms and services can name a verb or a marking without
importing the rules that decide.
"""

from __future__ import annotations

from enum import StrEnum

from django.db import models


class Verb(StrEnum):
    VIEW = "view"
    CREATE = "create"
    CHANGE = "change"
    SHARE = "share"
    EXPORT = "export"
    ERASE = "erase"


ACTION_VERBS = {
    Verb.VIEW: "see",
    Verb.CREATE: "create",
    Verb.CHANGE: "change",
    Verb.SHARE: "share",
    Verb.EXPORT: "export",
    Verb.ERASE: "erase",
}

# What a role's verbs let a person do, as the home page tells them (in this order).
ACTION_LABELS = {
    Verb.VIEW: "See the people, places and cases your agency may see",
    Verb.CREATE: "Record people, places and cases",
    Verb.CHANGE: "Change them",
    Verb.SHARE: "Share them with other agencies",
    Verb.EXPORT: "Export them",
    Verb.ERASE: "Erase a person's record",
}


class Caveat(models.TextChoices):
    OFFICIAL = "official", "OFFICIAL"
    OFFICIAL_SENSITIVE = "official_sensitive", "OFFICIAL-SENSITIVE"


class Sensitivity(models.TextChoices):
    GENERAL = "general", "General"
    DOMESTIC_ABUSE = "domestic_abuse", "Domestic abuse"
    INTELLIGENCE = "intelligence", "Intelligence"
