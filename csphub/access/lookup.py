"""Fetching a governed record of any type by its UUID, through the access policy."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from django.http import Http404

from csphub.access import consultation
from csphub.access.models import Governed
from csphub.access.services import governed_models
from csphub.access.vocabulary import Verb

if TYPE_CHECKING:
    from csphub.partnership.models import User


def visible_model_for(user: User, record_uuid: uuid.UUID | str) -> type[Governed]:
    """The type of the record with this UUID if the user may see it; Http404 otherwise."""
    for model in governed_models().values():
        if model.objects.visible_to(user, Verb.VIEW).filter(uuid=record_uuid).exists():
            return model
    raise Http404("No such record")


def fetch_record(user: User, action: Verb, record_uuid: uuid.UUID | str) -> Governed:
    model = visible_model_for(user, record_uuid)
    return consultation.open_record(model.objects.all(), user, action, uuid=record_uuid)


def peek_record(user: User, record_uuid: uuid.UUID | str) -> Governed:
    """The record, if visible, without writing a consultation (for pages that show only its reference)."""
    model = visible_model_for(user, record_uuid)
    return model.objects.visible_to(user, Verb.VIEW).get(uuid=record_uuid)
