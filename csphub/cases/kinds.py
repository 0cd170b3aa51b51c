"""The kinds of case csphub runs, their reference codes and their defaults for handling."""

from __future__ import annotations

from django.db import models

from csphub.access.vocabulary import Caveat, Sensitivity


class CaseType(models.TextChoices):
    ASB_PERSONAL = "asb_personal", "Anti-social behaviour: personal"
    ASB_NUISANCE = "asb_nuisance", "Anti-social behaviour: nuisance"
    ASB_ENVIRONMENTAL = "asb_environmental", "Anti-social behaviour: environmental"
    HATE_CRIME = "hate_crime", "Hate crime"
    HATE_INCIDENT = "hate_incident", "Hate incident"
    DOMESTIC_ABUSE = "domestic_abuse", "Domestic abuse"
    CUCKOOING = "cuckooing", "Cuckooing and vulnerability"
    CCE = "cce", "Exploitation: child criminal exploitation"
    COUNTY_LINES = "county_lines", "Exploitation: county lines"
    PROBLEM_PLACE = "problem_place", "Problem place (SARA)"
    NIGHT_TIME_ECONOMY = "nte", "Night-time economy"


# The middle part of a case reference: NN-ASB-2026-000123.
REFERENCE_CODES: dict[str, str] = {
    CaseType.ASB_PERSONAL: "ASB",
    CaseType.ASB_NUISANCE: "ASB",
    CaseType.ASB_ENVIRONMENTAL: "ASB",
    CaseType.HATE_CRIME: "HATE",
    CaseType.HATE_INCIDENT: "HATE",
    CaseType.DOMESTIC_ABUSE: "DA",
    CaseType.CUCKOOING: "CUCK",
    CaseType.CCE: "EXP",
    CaseType.COUNTY_LINES: "EXP",
    CaseType.PROBLEM_PLACE: "PP",
    CaseType.NIGHT_TIME_ECONOMY: "NTE",
}

ASB_TYPES = frozenset({CaseType.ASB_PERSONAL, CaseType.ASB_NUISANCE, CaseType.ASB_ENVIRONMENTAL})
HATE_TYPES = frozenset({CaseType.HATE_CRIME, CaseType.HATE_INCIDENT})

# Handling defaults: domestic abuse is OFFICIAL-SENSITIVE and narrower by default; exploitation is sensitive.
DEFAULT_HANDLING: dict[str, tuple[str, str]] = {
    CaseType.DOMESTIC_ABUSE: (Caveat.OFFICIAL_SENSITIVE, Sensitivity.DOMESTIC_ABUSE),
    CaseType.CCE: (Caveat.OFFICIAL_SENSITIVE, Sensitivity.GENERAL),
    CaseType.COUNTY_LINES: (Caveat.OFFICIAL_SENSITIVE, Sensitivity.GENERAL),
    CaseType.CUCKOOING: (Caveat.OFFICIAL_SENSITIVE, Sensitivity.GENERAL),
}

# The purpose a case's data is shared for, by type of case (what an ISA must include for a transfer).
PURPOSES: dict[str, str] = {
    CaseType.ASB_PERSONAL: "asb",
    CaseType.ASB_NUISANCE: "asb",
    CaseType.ASB_ENVIRONMENTAL: "asb",
    CaseType.HATE_CRIME: "crime_disorder",
    CaseType.HATE_INCIDENT: "crime_disorder",
    CaseType.DOMESTIC_ABUSE: "domestic_abuse",
    CaseType.CUCKOOING: "safeguarding",
    CaseType.CCE: "safeguarding",
    CaseType.COUNTY_LINES: "soc",
    CaseType.PROBLEM_PLACE: "crime_disorder",
    CaseType.NIGHT_TIME_ECONOMY: "nte",
}


class HateStrand(models.TextChoices):
    """The five centrally monitored strands of hate crime."""

    DISABILITY = "disability", "Disability"
    RACE = "race", "Race"
    RELIGION = "religion", "Religion or belief"
    SEXUAL_ORIENTATION = "sexual_orientation", "Sexual orientation"
    TRANSGENDER = "transgender", "Transgender identity"


class SaraStage(models.TextChoices):
    SCANNING = "scanning", "Scanning"
    ANALYSIS = "analysis", "Analysis"
    RESPONSE = "response", "Response"
    ASSESSMENT = "assessment", "Assessment"


class CaseStatus(models.TextChoices):
    OPEN = "open", "Open"
    UNDER_REVIEW = "under_review", "Under review"
    CLOSED = "closed", "Closed"
    REOPENED = "reopened", "Reopened"


# The status workflow: which status may follow which.
TRANSITIONS: dict[str, frozenset[str]] = {
    CaseStatus.OPEN: frozenset({CaseStatus.UNDER_REVIEW, CaseStatus.CLOSED}),
    CaseStatus.UNDER_REVIEW: frozenset({CaseStatus.OPEN, CaseStatus.CLOSED}),
    CaseStatus.CLOSED: frozenset({CaseStatus.REOPENED}),
    CaseStatus.REOPENED: frozenset({CaseStatus.UNDER_REVIEW, CaseStatus.CLOSED}),
}
ACTIVE_STATUSES = frozenset({CaseStatus.OPEN, CaseStatus.UNDER_REVIEW, CaseStatus.REOPENED})


class CaseRole(models.TextChoices):
    VICTIM = "victim", "Victim"
    PERPETRATOR = "perpetrator", "Perpetrator"
    WITNESS = "witness", "Witness"
    VULNERABLE = "vulnerable", "Vulnerable person"
    HOUSEHOLD = "household", "Household member"


class PlaceRole(models.TextChoices):
    INCIDENT_LOCATION = "incident_location", "Where incidents happen"
    VICTIM_HOME = "victim_home", "Victim's home"
    PERPETRATOR_HOME = "perpetrator_home", "Perpetrator's home"
    PROBLEM_PREMISES = "problem_premises", "Problem premises"
    CUCKOOED_ADDRESS = "cuckooed_address", "Address taken over (cuckooed)"


class EntryKind(models.TextChoices):
    INCIDENT = "incident", "Incident"
    CONTACT = "contact", "Contact"
    NOTE = "note", "Note"
    DECISION = "decision", "Decision"
    DOCUMENT = "document", "Document"


class ReportingChannel(models.TextChoices):
    PHONE_101 = "101", "Police 101"
    PHONE_999 = "999", "Police 999"
    COUNCIL = "council", "Council contact centre"
    ONLINE = "online", "Online report"
    IN_PERSON = "in_person", "In person"
    PARTNER = "partner", "Partner referral"
    PATROL = "patrol", "Seen on patrol"
    OTHER = "other", "Other"


class ActionStatus(models.TextChoices):
    OPEN = "open", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
    CANCELLED = "cancelled", "Cancelled"


OPEN_ACTION_STATUSES = frozenset({ActionStatus.OPEN, ActionStatus.IN_PROGRESS})
