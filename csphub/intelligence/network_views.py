"""The network pages: the graph in the browser (Cytoscape.js) with its tables, the graph as JSON, the exports.

Only those who may use intelligence (the police within the intelligence role limits, named serious organised crime
leads) reach them; everyone else gets 404, as on a nominal, a line or a group. The records each page shows are
still filtered record by record (``visible_to``). Showing the network logs the lines and groups shown (as the
picture page does); an export logs every record in it as disclosed to the person downloading it.
"""

from __future__ import annotations

import datetime as dt
import io
import uuid as uuidlib
from typing import Any

from django import forms
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView

from csphub.access import consultation
from csphub.access.policy import allowed_actions, may_use_intelligence
from csphub.access.views_base import acting_user
from csphub.access.vocabulary import Verb
from csphub.intelligence import network
from csphub.intelligence import network_service as svc
from csphub.intelligence.forms import _date_field
from csphub.intelligence.models import CountyLine, OrganisedCrimeGroup
from csphub.partnership.models import District
from csphub.ui.dates import govuk_date
from csphub.ui.forms import GovukForm

HISTORY_DAYS = 730  # the slider's reach: two years back from today


class NetworkForm(GovukForm):
    historic_fields = frozenset({"valid", "since"})
    valid = _date_field("As at", required=False)
    known = forms.ChoiceField(
        label="Show it",
        choices=[("now", "As known now"), ("then", "As known then")],
        widget=forms.RadioSelect,
        required=False,
    )
    centre = forms.ChoiceField(label="Around", required=False, choices=())
    types = forms.MultipleChoiceField(
        label="Records", required=False, choices=list(svc.TYPES.items()), widget=forms.CheckboxSelectMultiple
    )
    districts = forms.MultipleChoiceField(
        label="Districts", required=False, choices=(), widget=forms.CheckboxSelectMultiple
    )
    since = _date_field("New links since", required=False)
    path_from = forms.CharField(label="Shortest path from", required=False, widget=forms.Select)
    path_to = forms.CharField(label="To", required=False, widget=forms.Select)

    def __init__(self, *args: Any, centres: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["centre"].choices = [("", "The whole picture"), *centres]  # type: ignore[attr-defined]
        names = list(District.objects.order_by("name").values_list("name", flat=True))
        self.fields["districts"].choices = [(n, n) for n in names]  # type: ignore[attr-defined]


def _uuid(value: str) -> str:
    try:
        return str(uuidlib.UUID(value))
    except (ValueError, AttributeError):
        return ""


class NetworkMixin(LoginRequiredMixin):
    """Intelligence users only; the others get 404 (the page does not exist for them)."""

    request: HttpRequest
    action = Verb.VIEW

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.user.is_authenticated and not may_use_intelligence(acting_user(request)):
            raise Http404("No such page")
        return super().dispatch(request, *args, **kwargs)

    def centres(self) -> list[tuple[str, str]]:
        user = acting_user(self.request)
        lines = [(str(u), f"{n} line") for u, n in CountyLine.objects.visible_to(user).values_list("uuid", "name")]
        groups = [(str(u), n) for u, n in OrganisedCrimeGroup.objects.visible_to(user).values_list("uuid", "name")]
        return [*sorted(groups, key=lambda c: c[1]), *sorted(lines, key=lambda c: c[1])]

    def form(self) -> NetworkForm:
        return NetworkForm(self.request.GET or None, centres=self.centres())

    def network(self, form: NetworkForm) -> svc.NetworkView:
        today = timezone.localdate()
        data: dict[str, Any] = form.cleaned_data if form.is_bound and form.is_valid() else {}
        valid = data.get("valid") or today
        since = data.get("since") or valid - dt.timedelta(days=28)
        a, b = _uuid(data.get("path_from") or ""), _uuid(data.get("path_to") or "")
        return svc.build_network(
            acting_user(self.request),
            valid=valid,
            as_known=data.get("known") or "now",
            centre=data.get("centre") or "",
            types=data.get("types") or (),
            districts=data.get("districts") or (),
            since=since,
            path=(a, b) if a and b else None,
            action=self.action,
        )

    def log_shown(self, view: svc.NetworkView, form: NetworkForm) -> None:
        shown = [r for r in view.governed() if isinstance(r, CountyLine | OrganisedCrimeGroup)]
        consultation.record_results(
            shown, "the network as at a date", {"valid": view.valid.isoformat(), "query": self.request.GET.urlencode()}
        )


def tables(view: svc.NetworkView) -> list[dict[str, Any]]:
    """The text alternative to the drawing: each table's caption, heads and rows of cells ``{text, href}``, as the
    template and the JSON (for the date slider) show them."""
    r = view.result
    types = {n.id: svc.TYPES[n.type] for n in view.nodes}

    def cell(node: str) -> dict[str, str]:
        return {"text": view.label(node), "href": view.url(node)}

    def text(value: object) -> dict[str, str]:
        return {"text": str(value)}

    sampled = f" (estimated from {r.betweenness_k} sampled records, seeded)" if r.betweenness_sampled else ""
    out = [
        {
            "name": "ranking",
            "caption": "Who connects the network",
            "note": "Ranked by betweenness (the share of shortest paths between others through the record)"
            + sampled
            + ", then by the number of links.",
            "heads": ["Record", "Type", "Links", "Betweenness", "Community"],
            "rows": [
                [cell(c.node), text(types[c.node]), text(c.degree), text(f"{c.betweenness:.3f}"), text(c.community + 1)]
                for c in r.ranking
            ],
            "empty": "No records.",
        },
        {
            "name": "communities",
            "caption": "Communities",
            "note": "Records more linked to each other than to the rest (modularity), the most central first.",
            "heads": ["Community", "Records", "Who"],
            "rows": [
                [
                    text(c.index + 1),
                    text(len(c.members)),
                    text("; ".join(view.label(m) for m in c.members[:8]) + (" …" if len(c.members) > 8 else "")),
                ]
                for c in r.communities
            ],
            "empty": "No communities.",
        },
        {
            "name": "bridges",
            "caption": "Bridges between districts",
            "note": "Records linking records of different districts.",
            "heads": ["Record", "Type", "Districts it links"],
            "rows": [[cell(b.node), text(types[b.node]), text(", ".join(b.districts))] for b in r.bridges],
            "empty": "No record links different districts.",
        },
        {
            "name": "new_links",
            "caption": f"New links since {govuk_date(r.since)}" if r.since else "New links",
            "note": "Links in this network that began on or after that date.",
            "heads": ["From", "Link", "To", "Began"],
            "rows": [
                [
                    cell(e.source),
                    text(svc.edge_label(e)),
                    cell(e.target),
                    text(govuk_date(e.valid_from) if e.valid_from else ""),
                ]
                for e in r.new_links
            ],
            "empty": "No new links.",
        },
    ]
    if view.path_asked:
        path = view.path
        out.append(
            {
                "name": "path",
                "caption": "Shortest path",
                "note": "The shortest chain of links between the two people, on that date.",
                "heads": ["Step", "Record", "Type", "Linked to the next by"],
                "rows": [
                    [
                        text(i + 1),
                        cell(n),
                        text(types.get(n, "")),
                        text(svc.edge_label(path.edges[i]) if i < len(path.edges) else ""),
                    ]
                    for i, n in enumerate(path.nodes)
                ]
                if path is not None
                else [],
                "empty": "They are not linked on that date.",
            }
        )
    return out


class NetworkView(NetworkMixin, TemplateView):
    template_name = "intelligence/network.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        form = self.form()
        view = self.network(form)
        self.log_shown(view, form)
        shown = tables(view)
        people = sorted((n for n in view.nodes if n.type == "person"), key=lambda n: n.label)
        choices = [("", "Choose a person"), *((n.id, n.label) for n in people)]
        form.fields["path_from"].widget.choices = choices
        form.fields["path_to"].widget.choices = choices
        today = timezone.localdate()
        # The slider sends the date as an ISO date under the field's name: drop the date boxes, which would win.
        query = self.request.GET.copy()
        for key in [k for k in query if k == "valid" or k.startswith("valid_")]:
            query.pop(key)
        user = acting_user(self.request)
        return {
            **super().get_context_data(**kwargs),
            "form": form,
            "network": view,
            "summary": svc.summary(view),
            "tables": shown,
            "graph": svc.as_json(view) | {"tables": shown},
            "slider_min": (today - dt.timedelta(days=HISTORY_DAYS)).isoformat(),
            "slider_start": today - dt.timedelta(days=HISTORY_DAYS),
            "slider_max": today.isoformat(),
            "slider_days": HISTORY_DAYS,
            "slider_value": HISTORY_DAYS - (today - view.valid).days,
            "json_url": reverse("intelligence:network-json"),
            "query": query.urlencode(),
            "full_query": self.request.GET.urlencode(),
            "can_export": Verb.EXPORT in allowed_actions(user),
            "types": svc.TYPES,
        }


class NetworkJsonView(NetworkMixin, View):
    """The graph as JSON (Cytoscape.js elements, the ranking and the tables' rows) for the page's date slider."""

    def get(self, request: HttpRequest) -> JsonResponse:
        form = self.form()
        view = self.network(form)
        self.log_shown(view, form)
        return JsonResponse(svc.as_json(view) | {"tables": tables(view)})


class _ExportView(NetworkMixin, View):
    action = Verb.EXPORT
    what = ""

    def get(self, request: HttpRequest) -> HttpResponse:
        user = acting_user(request)
        if Verb.EXPORT not in allowed_actions(user):
            raise PermissionDenied("Your role does not allow you to export the network.")
        form = self.form()
        view = self.network(form)
        response = self.write(view)
        stamp = f"{view.valid:%Y%m%d}"
        response["Content-Disposition"] = f'attachment; filename="network-{stamp}{self.suffix}"'
        consultation.record_export(
            view.governed(),
            self.what,
            {"valid": view.valid.isoformat(), "known": view.as_known, "query": request.GET.urlencode()},
        )
        return response

    suffix = ""

    def write(self, view: svc.NetworkView) -> HttpResponse:
        raise NotImplementedError


class GraphmlExportView(_ExportView):
    what = "a network export (GraphML)"
    suffix = ".graphml"

    def write(self, view: svc.NetworkView) -> HttpResponse:
        buffer = io.BytesIO()
        network.graphml(view.graph, buffer, view.result)
        return HttpResponse(buffer.getvalue(), content_type="application/graphml+xml; charset=utf-8")


class EntitiesExportView(_ExportView):
    what = "a network export (i2 entities)"
    suffix = "-entities.csv"

    def write(self, view: svc.NetworkView) -> HttpResponse:
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        network.i2_entities_csv(view.nodes, response)
        return response


class LinksExportView(_ExportView):
    what = "a network export (i2 links)"
    suffix = "-links.csv"

    def write(self, view: svc.NetworkView) -> HttpResponse:
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        network.i2_links_csv(view.edges, response)
        return response
