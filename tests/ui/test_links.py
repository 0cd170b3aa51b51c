"""Links to records built from a URL reversed once: the same URLs as ``reverse()``."""

from __future__ import annotations

import uuid

import pytest
from django.urls import NoReverseMatch, reverse, set_script_prefix

from csphub.ui.links import record_url


@pytest.mark.parametrize(
    ("viewname", "key"),
    [
        ("cases:case", "NN-ASB-2026-000001"),
        ("cases:case", "NN-DA-2024-123456"),
        ("registers:person", uuid.UUID("6f1c1a8e-5d2b-4f7e-9a0b-1c2d3e4f5a6b")),
        ("registers:place", uuid.UUID("00000000-0000-4000-8000-000000000001")),
        ("registers:phone", uuid.uuid4()),
        ("registers:vehicle", uuid.uuid4()),
    ],
)
def test_it_builds_the_url_reverse_builds(viewname: str, key: str | uuid.UUID) -> None:
    assert record_url(viewname, key) == reverse(viewname, args=[key])


def test_it_follows_the_script_prefix() -> None:
    try:
        set_script_prefix("/csp/")
        assert record_url("cases:case", "NN-ASB-2026-000001") == "/csp/cases/NN-ASB-2026-000001/"
        assert record_url("cases:case", "NN-ASB-2026-000001") == reverse("cases:case", args=["NN-ASB-2026-000001"])
    finally:
        set_script_prefix("/")
    assert record_url("cases:case", "NN-ASB-2026-000001") == "/cases/NN-ASB-2026-000001/"


def test_it_leaves_keys_that_need_quoting_to_reverse() -> None:
    assert record_url("cases:case", "a b&c") == reverse("cases:case", args=["a b&c"]) == "/cases/a%20b&c/"


def test_it_refuses_a_view_that_does_not_exist() -> None:
    with pytest.raises(NoReverseMatch):
        record_url("cases:nothing", "NN-ASB-2026-000001")
