"""The five Purple Flag standards the Association of Town & City Management (ATCM) assesses a town centre at night
against: four themes inside a policy envelope. The descriptions are ours (paraphrased), the standards theirs.

Each standard lists the evidence csphub generates for it (``csphub.purpleflag.evidence``): the keys of the
sections the pack's page and PDF show under it, beside the partnership's own narrative.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Standard:
    slug: str
    title: str
    summary: str
    evidence: tuple[str, ...]


STANDARDS: tuple[Standard, ...] = (
    Standard(
        "policy-envelope",
        "Policy Envelope",
        "The framework the other four stand in: a shared vision and strategy for the centre after dark, a "
        "partnership that runs it, the policies behind it (licensing, planning, transport, community safety) and "
        "the evidence the partners collect and act on.",
        ("partners", "actions"),
    ),
    Standard(
        "wellbeing",
        "Wellbeing",
        "Welcoming and safe: crime and disorder kept low, vulnerable people looked after, good management of "
        "venues and the public realm, and the services that help people in trouble.",
        ("police_trend", "partner_trend", "weapons"),
    ),
    Standard(
        "movement",
        "Movement",
        "A secure pattern of arrival, circulation and departure: getting into, around and home from the centre "
        "safely, with transport, taxi marshalling and patrols through the night.",
        ("hours", "coverage"),
    ),
    Standard(
        "appeal",
        "Appeal",
        "A vibrant choice and a rich mix of entertainment, food, culture and activity for a broad range of ages "
        "and interests, not only late-night drinking.",
        ("venues",),
    ),
    Standard(
        "place",
        "Place",
        "A stimulating destination and a vital place: the centre's layout, lighting, public spaces and their "
        "management, and where trouble concentrates.",
        ("map", "places"),
    ),
)

SLUGS = tuple(s.slug for s in STANDARDS)


def standard(slug: str) -> Standard:
    for s in STANDARDS:
        if s.slug == slug:
            return s
    raise KeyError(slug)
