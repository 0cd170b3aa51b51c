"""Links a record's page offers to the apps above it ("Refer to a meeting" on a person's, a place's, a case's or a
referral's page): a registry the apps fill when they start.

The register, cases and referrals sit below the apps that act on their records (``lint-imports``): their pages
cannot name those apps' views. An app plugs a provider in (``use_record_links`` in its ``AppConfig.ready``); the
record pages ask ``{% record_links record %}`` (``csphub.ui.templatetags.govuk``), which asks every provider. A
provider answers only with what the user may do, asking the access policy itself. The kit knows no record kind.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class RecordLink:
    label: str
    url: str
    key: str  # an id for the link's element ("refer-to-meeting")


# (user, record) -> links
Provider = Callable[[Any, Any], list[RecordLink]]
_providers: list[Provider] = []


def use_record_links(provider: Provider) -> None:
    """Add ``provider``'s links to record pages (once: registering it again changes nothing)."""
    if provider not in _providers:
        _providers.append(provider)


def record_links(user: Any, record: Any) -> list[RecordLink]:
    return [link for provider in _providers for link in provider(user, record)]
