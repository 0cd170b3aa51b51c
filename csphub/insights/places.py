"""The cases' places on the map, through the access policy.

A place is drawn when the viewer may see it (``Place.objects.visible_to``) and it is linked to a case the viewer
may see (``Case.objects.visible_to``). A place whose record needs a written justification to consult
(OFFICIAL-SENSITIVE, domestic abuse, intelligence, seen through break glass) is not drawn: a pin would show where a
victim lives without the justification its page asks for; it is counted, to be opened from its case. Places the
viewer may not see are only counted, never named or placed. Each place drawn is logged as consulted (the
framework's ``record_results``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from csphub.access import consultation
from csphub.access.policy import requires_justification
from csphub.access.vocabulary import Verb
from csphub.cases.models import Case, CasePlace
from csphub.registers.models import Place

if TYPE_CHECKING:
    from csphub.partnership.models import User


def case_places_layer(user: User) -> dict[str, Any]:
    visible_cases = Case.objects.visible_to(user, Verb.VIEW).values("pk")
    links = CasePlace.objects.filter(case__in=visible_cases)
    cases_per_place: dict[int, set[int]] = {}
    for place_id, case_id in links.values_list("place_id", "case_id"):
        cases_per_place.setdefault(place_id, set()).add(case_id)
    total = CasePlace.objects.values("place").distinct().count()
    shown = list(
        Place.objects.visible_to(user, Verb.VIEW)
        .filter(pk__in=list(cases_per_place))
        .with_rules(user)
        .order_by("address", "pk")
    )
    drawn: list[Place] = []
    sensitive = unlocated = 0
    for place in shown:
        if requires_justification(place.caveat, place.sensitivity, place.matched_rules()):
            sensitive += 1
        elif place.latitude is None or place.longitude is None:
            unlocated += 1
        else:
            drawn.append(place)
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [round(p.longitude or 0, 6), round(p.latitude or 0, 6)]},
            "properties": {
                "layer": "case_place",
                "reference": p.reference,
                "label": p.name or p.address,
                "kind": p.get_kind_display(),
                "cases": len(cases_per_place[p.pk]),
                "url": p.get_absolute_url(),
            },
        }
        for p in drawn
    ]
    if drawn:
        consultation.record_results(drawn, "the insights map", {"page": "insights map", "layer": "case places"})
    return {
        "type": "FeatureCollection",
        "features": features,
        "shown": len(drawn),
        "needs_justification": sensitive,
        "unlocated": unlocated,
        "hidden": total - len(shown),
    }
