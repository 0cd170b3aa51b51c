"""THE access policy: the one place that decides who may see and do what with any record.

Everything — views, search, exports, reports — asks through ``Model.objects.visible_to(user, action)`` or
``Model.objects.fetch(user, action, ...)`` (see ``models.GovernedQuerySet``), which are built from the rules here.

A record (a person, a place, a case…) carries: its owning agency, the agencies that are parties to it, a handling
caveat (OFFICIAL / OFFICIAL-SENSITIVE), a sensitivity (general / domestic abuse / intelligence), who referred it,
the users it was shared with personally, and whether it is a partnership-wide (non-personal) record.

The rules, each a database filter so that lists and single records are decided identically:

1. Owning agency / party agency: users of those agencies see the record — if their role may see its caveat
   (a read-only partner sees OFFICIAL only) and its sensitivity (``SENSITIVITY_ROLES``: domestic-abuse records
   only for partnership managers, case officers and panel chairs; intelligence only for managers and chairs).
   Community-sector agencies (voluntary, faith, business) never see records through their agency: only rules 2
   and 3 apply to them.
2. Referred by you, or shared with you personally.
3. Partnership-wide records (OFFICIAL, general: a town-centre place, a licensed premises) are seen by every member.
4. Named serious-organised-crime leads (``Role.SOC_LEAD``, designated by a partnership manager on top of their own
   role) see every intelligence record, whichever statutory agency holds it: the county lines, organised crime
   groups and nominals the police hold are intelligence, seen by the police (within rule 1's limits) and those leads.
5. A current break-glass access grant (read only, time-limited, reviewed by a supervisor), within the same role
   limits as rule 1: break glass never opens more than the role may see. A grant on a record also covers its
   companions (a person's addresses, phones and vehicles: ``Governed.grant_covered_by``), as long as it lasts.

Closed memberships are the exception to all five: a record kept by a scheme for its members alone (a Pubwatch
scheme and its ban register) declares ``members_path`` (``closed_membership``), and then ONLY the scheme's current
members see it — whatever their agency, sector or role, and whoever owns it: no owning or party agency, no
partnership-wide reading, no serious-organised-crime lead, no break glass. The police see a scheme's bans only if
the scheme makes a police officer a member (an adviser, who reads but does not decide). What a member may do is
their membership's (``MEMBER_ACTIONS``): the scheme's writers (``member_writer_roles``) view, create and change;
its readers (``member_reader_roles``) only read; nobody shares, exports or erases through it.

What a user may *do* is their role's actions (``ROLE_ACTIONS``). Changing, sharing, exporting or erasing also
needs a rule that allows writing (1, or having referred the record): a record shared with you personally, a
partnership-wide record or a break-glass grant only lets you read.
Outsiders get 404 (the record does not exist for them); insiders without the right get 403 with the reason.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Now

from csphub.access import filter_cache
from csphub.access.grants import AccessGrant
from csphub.access.vocabulary import ACTION_VERBS, Caveat, Sensitivity, Verb
from csphub.partnership.models import COMMUNITY_SECTORS, Role, Sector

if TYPE_CHECKING:
    from csphub.partnership.models import User


ROLE_ACTIONS: dict[str, frozenset[Verb]] = {
    Role.PARTNERSHIP_MANAGER: frozenset(Verb),
    Role.CASE_OFFICER: frozenset({Verb.VIEW, Verb.CREATE, Verb.CHANGE, Verb.SHARE}),
    Role.PANEL_CHAIR: frozenset({Verb.VIEW, Verb.CHANGE, Verb.SHARE}),
    Role.ANALYST: frozenset({Verb.VIEW, Verb.EXPORT}),
    Role.PARTNER: frozenset({Verb.VIEW}),
    # Voluntary referrers record what they see and refer it on (a disclosure, under an ISA).
    Role.VOLUNTARY_REFERRER: frozenset({Verb.VIEW, Verb.CREATE, Verb.SHARE}),
    # Administrators run accounts and configuration; the role alone gives no access to personal data.
    Role.ADMINISTRATOR: frozenset(),
    # The information governance lead reads the audit log (all of it) and reviews grants; no personal records.
    Role.INFORMATION_GOVERNANCE: frozenset(),
    # A designation on top of a role: it opens intelligence records (rule ``soc_lead``), and lets do nothing itself.
    Role.SOC_LEAD: frozenset(),
}

# Roles that may see OFFICIAL-SENSITIVE records of their agency's.
SENSITIVE_CAVEAT_ROLES = frozenset({Role.PARTNERSHIP_MANAGER, Role.CASE_OFFICER, Role.PANEL_CHAIR, Role.ANALYST})
# Roles that review break-glass access grants: the requester's or the owning agency's managers ...
SUPERVISOR_ROLES = frozenset({Role.PARTNERSHIP_MANAGER})
# ... and, when neither agency has one (or a grant goes unreviewed too long), the partnership's information
# governance lead (or, if it has none, every partnership manager of the partnership).
GOVERNANCE_ROLES = frozenset({Role.INFORMATION_GOVERNANCE})


# Which roles of a party agency may see records of each sensitivity (None: every role).
# Domestic-abuse and intelligence records are narrower by default: intelligence only for those who chair panels
# or manage the partnership; domestic abuse also for case officers.
SENSITIVITY_ROLES: dict[str, frozenset[str] | None] = {
    Sensitivity.GENERAL: None,
    Sensitivity.DOMESTIC_ABUSE: frozenset({Role.PARTNERSHIP_MANAGER, Role.CASE_OFFICER, Role.PANEL_CHAIR}),
    Sensitivity.INTELLIGENCE: frozenset({Role.PARTNERSHIP_MANAGER, Role.PANEL_CHAIR, Role.SOC_LEAD}),
}
# Who designates serious-organised-crime leads (an audited role assignment): the partnership's managers.
SOC_LEAD_DESIGNATORS = frozenset({Role.PARTNERSHIP_MANAGER})


def allowed_actions(user: User) -> frozenset[Verb]:
    if not user.is_authenticated or not user.is_active or user.agency_id is None:
        return frozenset()
    actions: set[Verb] = set()
    for role in user.roles:
        actions |= ROLE_ACTIONS.get(role, frozenset())
    return frozenset(actions)


def is_community_user(user: User) -> bool:
    """Voluntary, faith and business members: they see only what they referred or was shared with them."""
    agency = user.agency
    if agency is not None and agency.sector in COMMUNITY_SECTORS:
        return True
    return bool(user.roles) and user.roles <= {Role.VOLUNTARY_REFERRER}


@dataclass(frozen=True)
class Rule:
    name: str
    basis: str  # written into the audit log as the basis of a consultation
    writable: bool
    build: Callable[[User, type[models.Model]], Q | None]


def _through(model: type[models.Model], field: str) -> tuple[type[models.Model], str, str]:
    m2m = model._meta.get_field(field)
    assert isinstance(m2m, models.ManyToManyField)
    through = m2m.remote_field.through
    assert through is not None and not isinstance(through, str)
    return through, m2m.m2m_field_name(), m2m.m2m_reverse_field_name()


def _member(model: type[models.Model], field: str, value: int) -> Exists:
    through, source, target = _through(model, field)
    return Exists(through._default_manager.filter(**{source: OuterRef("pk"), target: value}))


def _role_limits(user: User) -> Q:
    q = Q()
    if not user.roles.intersection(SENSITIVE_CAVEAT_ROLES):
        q &= Q(caveat=Caveat.OFFICIAL)
    readable = [s for s, roles in SENSITIVITY_ROLES.items() if roles is None or user.roles.intersection(roles)]
    if len(readable) < len(SENSITIVITY_ROLES):
        q &= Q(sensitivity__in=readable)
    return q


def role_limit_reason(user: User, caveat: str, sensitivity: str) -> str:
    """Why the user's roles may not see a record of this caveat and sensitivity, whoever holds it ("" if they may).

    The same limits as ``_role_limits`` (which every agency rule and the break-glass rule apply as a filter), in
    words: break glass refuses up front what the grant would never open."""
    roles = ", ".join(user.display_roles) or "no role"
    if caveat != Caveat.OFFICIAL and not user.roles.intersection(SENSITIVE_CAVEAT_ROLES):
        return f"Your role ({roles}) may see OFFICIAL records only; this record is {Caveat(caveat).label}."
    allowed = SENSITIVITY_ROLES.get(sensitivity)
    if allowed is not None and not user.roles.intersection(allowed):
        label = Sensitivity(sensitivity).label.lower()
        return f"Your role ({roles}) may not see {label} records, even through break glass."
    return ""


def _owning_agency(user: User, model: type[models.Model]) -> Q | None:
    if is_community_user(user):
        return None
    return Q(owning_agency_id=user.agency_id) & _role_limits(user)


def _party_agency(user: User, model: type[models.Model]) -> Q | None:
    if is_community_user(user) or user.agency_id is None:
        return None
    return Q(_member(model, "parties", user.agency_id)) & _role_limits(user)


def _referred(user: User, model: type[models.Model]) -> Q | None:
    return Q(referred_by_id=user.pk)


def _shared_with_you(user: User, model: type[models.Model]) -> Q | None:
    return Q(_member(model, "shared_with_users", user.pk))


def _partnership_wide(user: User, model: type[models.Model]) -> Q | None:
    return Q(partnership_wide=True, caveat=Caveat.OFFICIAL, sensitivity=Sensitivity.GENERAL)


def _soc_lead(user: User, model: type[models.Model]) -> Q | None:
    if Role.SOC_LEAD not in user.roles or is_community_user(user):
        return None
    return Q(sensitivity=Sensitivity.INTELLIGENCE)


def _access_grant(user: User, model: type[models.Model]) -> Q | None:
    # Current by the database's clock, so that the filter does not depend on when it was built (filter_cache).
    current = AccessGrant.objects.current(Now()).filter(user_id=user.pk)
    q = Q(Exists(current.filter(record_type=model._meta.label_lower, record_uuid=OuterRef("uuid"))))
    # A grant also opens, to read and for as long as it lasts, the records disclosed with the one granted (a
    # person's addresses, phones and vehicles: ``Governed.grant_covered_by``, the companions seen from their side).
    for record_type, path in getattr(model, "grant_covered_by", {}).items():
        granted = current.filter(record_type=record_type).values("record_uuid")
        q |= Q(pk__in=model._base_manager.filter(**{f"{path}__in": granted}).values("pk"))
    # A grant never opens more than the role may see (defence in depth: ``request_access`` refuses it too).
    return q & _role_limits(user)


def lead_filter(user: User) -> Q | None:
    """Records outside the user's sight that a search matching them may tell the user of — as a count, the holding
    agency and a way to request access (break glass), never a name or a reference — or None if none.

    Only general records they could be granted (within their role's limits); never a domestic-abuse or intelligence
    record, not even in the count. Only for users who may break glass (not community members)."""
    if Verb.VIEW not in allowed_actions(user) or is_community_user(user):
        return None
    return Q(sensitivity=Sensitivity.GENERAL) & _role_limits(user)


def closed_membership(model: type[models.Model]) -> str | None:
    """The lookup from a closed-membership record to its membership rows (each with ``user``, ``role`` and
    ``active``), or None for every other record (see the module's docstring)."""
    path = getattr(model, "members_path", None)
    return path if isinstance(path, str) else None


# What a member of a closed membership may do: writers view, create and change; other members view.
MEMBER_ACTIONS = frozenset({Verb.VIEW, Verb.CREATE, Verb.CHANGE})


def _membership(user: User, model: type[models.Model], *, writers: bool) -> Q | None:
    path = closed_membership(model)
    if path is None:
        return None
    attribute = "member_writer_roles" if writers else "member_reader_roles"
    roles = sorted(getattr(model, attribute, frozenset()))
    # One filter() call: the user, the active flag and the role must hold of the SAME membership row.
    members = model._base_manager.filter(
        **{f"{path}__user_id": user.pk, f"{path}__active": True, f"{path}__role__in": roles}
    )
    return Q(pk__in=members.values("pk"))


def _member_writer(user: User, model: type[models.Model]) -> Q | None:
    return _membership(user, model, writers=True)


def _member_reader(user: User, model: type[models.Model]) -> Q | None:
    return _membership(user, model, writers=False)


MEMBERSHIP_RULES: tuple[Rule, ...] = (
    Rule("scheme_member", "member of the scheme", True, _member_writer),
    Rule("scheme_adviser", "adviser to the scheme", False, _member_reader),
)
MEMBERSHIP_RULE_NAMES = frozenset(r.name for r in MEMBERSHIP_RULES)


RULES: tuple[Rule, ...] = (
    Rule("owning_agency", "owning agency", True, _owning_agency),
    Rule("party_agency", "party agency", True, _party_agency),
    Rule("referred", "referred by this user", True, _referred),
    Rule("shared_with_you", "shared with this user", False, _shared_with_you),
    Rule("partnership_wide", "partnership-wide record", False, _partnership_wide),
    Rule("soc_lead", "named serious organised crime lead", True, _soc_lead),
    Rule("access_grant", "break-glass access grant", False, _access_grant),
)
RULE_FIELD_PREFIX = "_rule_"


def rule_filters(user: User, model: type[models.Model], *, writable_only: bool = False) -> dict[str, Q]:
    """Each applicable rule's filter for this user, by rule name (built once per kind of user: ``filter_cache``).

    The filters (Q objects) are shared between requests: combine them (``|``, ``&``), never change them in place."""
    key = ("rule_filters", filter_cache.user_key(user), model._meta.label_lower, writable_only)
    return dict(filter_cache.memoised(key, lambda: _rule_filters(user, model, writable_only=writable_only)))


def _rule_filters(user: User, model: type[models.Model], *, writable_only: bool) -> dict[str, Q]:
    if closed_membership(model) is not None:
        # A closed membership: its members, and nobody else by any other rule.
        candidates: tuple[Rule, ...] = MEMBERSHIP_RULES
    elif Verb.VIEW not in allowed_actions(user):
        # No role that reads personal data (e.g. administrator only): a grant is the only way in.
        candidates = tuple(r for r in RULES if r.name == "access_grant")
    else:
        candidates = RULES
    filters: dict[str, Q] = {}
    for rule in candidates:
        if writable_only and not rule.writable:
            continue
        q = rule.build(user, model)
        if q is not None:
            filters[rule.name] = q
    return filters


def visibility_filter(user: User, model: type[models.Model], *, writable_only: bool = False) -> Q:
    """One filter: the records this user may see (or, writable_only, may act on)."""
    if not user.is_authenticated or not user.is_active or user.agency_id is None:
        return Q(pk__in=[])
    combined = Q(pk__in=[])
    for q in rule_filters(user, model, writable_only=writable_only).values():
        combined |= q
    return combined


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str = ""
    basis: str = ""
    bases: tuple[str, ...] = ()


def decide(user: User, action: Verb, matched_rules: tuple[str, ...]) -> Decision:
    """Given the rules through which the user sees a record, may they do ``action`` on it?"""
    bases = tuple(r.basis for r in (*RULES, *MEMBERSHIP_RULES) if r.name in matched_rules)
    if not matched_rules:
        return Decision(False, "You do not have access to this record.")
    basis = bases[0]
    if MEMBERSHIP_RULE_NAMES.intersection(matched_rules):
        # A closed membership: the membership decides what its members may do, not their partnership role.
        if action not in MEMBER_ACTIONS:
            return Decision(
                False,
                f"The scheme's records are for its members: nobody may {ACTION_VERBS[action]} them.",
                basis,
                bases,
            )
        if action is not Verb.VIEW and "scheme_member" not in matched_rules:
            return Decision(
                False,
                f"As an {basis} you may read its records but not {ACTION_VERBS[action]} them: its licensees decide.",
                basis,
                bases,
            )
        return Decision(True, "", basis, bases)
    if action not in allowed_actions(user):
        roles = ", ".join(user.display_roles) or "no role"
        return Decision(
            False, f"Your role ({roles}) does not allow you to {ACTION_VERBS[action]} records.", basis, bases
        )
    if action is not Verb.VIEW and not any(r.writable for r in RULES if r.name in matched_rules):
        return Decision(
            False,
            f"You can see this record through a {basis}, which lets you read it but not {ACTION_VERBS[action]} it.",
            basis,
            bases,
        )
    return Decision(True, "", basis, bases)


def requires_justification(caveat: str, sensitivity: str, matched_rules: tuple[str, ...]) -> bool:
    """A written justification is required to consult OFFICIAL-SENSITIVE, domestic-abuse or intelligence records,
    and any record seen only through a break-glass grant."""
    writable = any(r.writable for r in RULES if r.name in matched_rules)
    return (
        caveat != Caveat.OFFICIAL
        or sensitivity != Sensitivity.GENERAL
        or (not writable and "access_grant" in matched_rules)
    )


# Who may use the audit log's pages. Each reads it through the policy (``reads_whole_audit_log``,
# ``csphub.access.auditlog``): a row about a record only if they may see that record now.
AUDIT_ROLES = frozenset({Role.ADMINISTRATOR, Role.PARTNERSHIP_MANAGER, Role.INFORMATION_GOVERNANCE})
# The auditor: the partnership's information governance lead reads every row, with its snapshots.
AUDITOR_ROLES = GOVERNANCE_ROLES


def may_use_audit_log(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active and user.has_role(*AUDIT_ROLES))


def reads_whole_audit_log(user: User) -> bool:
    return bool(may_use_audit_log(user) and user.has_role(*AUDITOR_ROLES))


def may_administer(user: User) -> bool:
    """The Django admin (agencies, districts, agreements, accounts): administrators only."""
    return bool(user.is_authenticated and user.is_active and user.is_staff and user.has_role(Role.ADMINISTRATOR))


def may_review_grants(user: User) -> bool:
    return bool(
        user.is_authenticated
        and user.is_active
        and user.agency_id
        and user.has_role(*SUPERVISOR_ROLES, *GOVERNANCE_ROLES)
    )


def permissions(user: User, matched_rules: tuple[str, ...]) -> dict[str, bool]:
    """What the user may do to a record seen through these rules, for pages to offer only allowed actions."""
    return {str(action): decide(user, action, matched_rules).allowed for action in Verb}


def restricted_entries_filter(user: User, model: type[models.Model], field: str = "restricted_to") -> Q:
    """Entries inside a record the user may already see (e.g. a case's timeline) that were restricted further:
    unrestricted entries, entries restricted to the user's agency, and the user's own entries."""
    through, source, target = _through(model, field)
    any_restriction = Exists(through._default_manager.filter(**{source: OuterRef("pk")}))
    q = ~Q(any_restriction) | Q(author_id=user.pk)
    if user.agency_id is not None:
        q |= Q(Exists(through._default_manager.filter(**{source: OuterRef("pk"), target: user.agency_id})))
    return q


def may_refer(user: User) -> bool:
    """Voluntary and business members make referrals to the partnership (they open no cases themselves)."""
    return bool(user.is_authenticated and is_community_user(user) and Verb.CREATE in allowed_actions(user))


def may_triage(user: User) -> bool:
    """Case officers and managers of a statutory agency triage the referrals their agency receives."""
    return bool(user.is_authenticated and not is_community_user(user) and Verb.CHANGE in allowed_actions(user))


# The pages community-sector members use: they make referrals and follow their own, sign in and out, and sit on
# the meetings and action groups their agency is a member of (each meeting page shows them only what they may see).
# The case-officer interface (registers, cases, actions and deadlines, access requests, the audit log) is not theirs.
# The analytics area (``insights``) shows non-personal aggregate figures, open to every member, them included.
# Voluntary-sector members of the cuckooing panel read the vulnerability records shared with them there.
# Night-time economy partners from the community sector (Street Pastors, taxi marshals) log their shifts and read
# the shared NTE summary (``nte``; each shift is still decided record by record). The town-centre partnership (a
# business member) writes its Purple Flag evidence pack's narrative with the council (``purpleflag``).
# Pubwatch members (licensees, business members) keep their scheme's ban register (``pubwatch``: members only).
COMMUNITY_NAMESPACES = frozenset(
    {"referrals", "accounts", "meetings", "cuckooing", "insights", "nte", "pubwatch", "purpleflag"}
)
# The home page sends them to their referrals; the partnership's structure and its ISAs (no personal data) say who
# their referrals go to and under what agreement.
# The justification gate opens the sensitive records shared with them (a cuckooing panel's vulnerability records).
# The counts of county lines and organised crime groups by district (no names) are open to every member.
COMMUNITY_PAGES = frozenset(
    {"web:home", "web:partnership", "web:agency", "web:agreement", "access:justify", "intelligence:counts"}
)
COMMUNITY_REFUSAL = "Volunteers and business members make referrals to the partnership: this page is for case officers."


def page_refusal(user: User, view_name: str, namespace: str) -> str:
    """Why this user may not use this page at all, whatever record it shows ("" if they may).

    Asked for every page (``csphub.access.middleware``) before its view runs."""
    if not user.is_authenticated or not is_community_user(user):
        return ""
    if namespace.split(":", 1)[0] in COMMUNITY_NAMESPACES or view_name in COMMUNITY_PAGES:
        return ""
    return COMMUNITY_REFUSAL


def may_create_pubwatch_scheme(user: User) -> bool:
    """Setting up a new Pubwatch scheme, naming its coordinator: partnership managers (and a coordinator setting up
    their own). Creating one gives no access to it: a scheme is a closed membership, seen by its members only."""
    return bool(user.is_authenticated and user.is_active and user.has_role(Role.PARTNERSHIP_MANAGER))


def may_see_statistics(user: User) -> bool:
    """Partnership-wide aggregate figures (no personal data): managers and analysts."""
    return bool(user.is_authenticated and user.is_active and user.has_role(Role.PARTNERSHIP_MANAGER, Role.ANALYST))


# --- The analytics area (csphub.insights): figures, dashboards, what the analytics store holds, uploads.
# Figures are non-personal aggregates: every member sees them. Partner data that could identify someone (one
# incident at a home address) is shown with small-number suppression (csphub.analytics.suppression, threshold
# CSPHUB_SUPPRESSION_THRESHOLD), except to the roles below, who work with the partner data itself.
PARTNER_DETAIL_ROLES = frozenset({Role.PARTNERSHIP_MANAGER, Role.ANALYST})
# Loading police.uk months or partner files into the analytics store.
CRIME_DATA_UPLOAD_ROLES = frozenset({Role.PARTNERSHIP_MANAGER, Role.ANALYST})


def may_see_insights(user: User) -> bool:
    """The analytics area's figures: every signed-in member of an agency."""
    return bool(user.is_authenticated and user.is_active and user.agency_id is not None)


def sees_small_partner_counts(user: User) -> bool:
    """Whether partner figures are shown to this user without small-number suppression."""
    return bool(may_see_insights(user) and user.has_role(*PARTNER_DETAIL_ROLES))


def may_upload_crime_data(user: User) -> bool:
    """Upload police.uk months or partner CSV files into the analytics store: analysts and partnership managers."""
    return bool(may_see_insights(user) and not is_community_user(user) and user.has_role(*CRIME_DATA_UPLOAD_ROLES))


def may_use_intelligence(user: User) -> bool:
    """Intelligence (county lines, organised crime groups, the picture as at a date, what lies behind a cuckooing
    panel rank): the police, within the intelligence role limits (managers, panel chairs), and named
    serious-organised-crime leads. What each page then shows is still decided record by record (``visible_to``)."""
    if not user.is_authenticated or not user.is_active or is_community_user(user):
        return False
    if Verb.VIEW not in allowed_actions(user):
        return False
    if Role.SOC_LEAD in user.roles:
        return True
    agency = user.agency
    allowed = SENSITIVITY_ROLES[Sensitivity.INTELLIGENCE] or frozenset()
    return bool(agency is not None and agency.sector == Sector.POLICE and user.roles.intersection(allowed))


def may_designate_soc_leads(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active and user.agency_id and user.has_role(*SOC_LEAD_DESIGNATORS))


def may_see_intelligence_counts(user: User) -> bool:
    """Counts of county lines and organised crime groups by district, with no names: every member of the
    partnership (the board included)."""
    return bool(user.is_authenticated and user.is_active and user.agency_id is not None)


def may_keep_cuckooing_register(user: User) -> bool:
    """Adding people and premises to the cuckooing register (and bringing them to the panel): statutory partners'
    roles that create records. Voluntary-sector panel members read what is shared with them, and refer."""
    return bool(user.is_authenticated and not is_community_user(user) and Verb.CREATE in allowed_actions(user))


# --- The night-time economy (csphub.nte). Whether the user's agency is an NTE partner is the nte app's to say (it
# holds the partner list); these decide what that lets the user do. Each shift, sweep and incident is still decided
# record by record (``visible_to``): an agency sees only its own logs.
def may_log_nte_shifts(user: User, *, nte_partner: bool) -> bool:
    """Log shifts and incidents, and record weapon finds: users of an NTE partner agency whose role creates records
    (case officers, managers, voluntary-sector members)."""
    return bool(user.is_authenticated and user.is_active and nte_partner and Verb.CREATE in allowed_actions(user))


def may_see_nte_summary(user: User, *, nte_partner: bool) -> bool:
    """The shared NTE summary (counts by night, category and area; weapon finds by place and month; no personal
    data): every user of an NTE partner agency, and the partnership's managers and analysts."""
    if not (user.is_authenticated and user.is_active and user.agency_id is not None):
        return False
    return nte_partner or user.has_role(*PARTNER_DETAIL_ROLES)


def may_designate_nte_areas(user: User) -> bool:
    """Record dispersal and PSPO areas (the police authorise dispersal, the council makes PSPOs): statutory
    agencies' users whose role creates records."""
    return bool(user.is_authenticated and not is_community_user(user) and Verb.CREATE in allowed_actions(user))
