"""Ended bans are erased after the retention period (``CSPHUB_PUBWATCH_RETENTION_DAYS``) by the re-runnable
``csphub pubwatch expire``: the record, its reviews and photo go; only a count per scheme, year and outcome stays."""

from __future__ import annotations

import datetime as dt
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from csphub.audit.models import AuditEntry
from csphub.pubwatch import services
from csphub.pubwatch.models import Ban, BanReview, BanStatus, ErasedBans
from tests.factories import World
from tests.pubwatch.factories import SchemeWorld, in_force, make_scheme


@pytest.fixture
def sw(world: World) -> SchemeWorld:
    return make_scheme(world)


def _ended(sw: SchemeWorld, name: str, days_ago: int, *, photo: bool = False) -> Ban:
    """A ban revoked at review, its end moved ``days_ago`` into the past (a photo file left behind, if asked)."""
    ban = in_force(sw, name=name, photo=photo)
    services.review(ban, sw.licensee, reviewed_on=timezone.localdate(), outcome="revoke", note=f"{name}: sorry")
    Ban.objects.filter(pk=ban.pk).update(ended_on=timezone.localdate() - dt.timedelta(days=days_ago))
    return Ban.objects.get(pk=ban.pk)


@override_settings(CSPHUB_PUBWATCH_RETENTION_DAYS=30)
def test_it_erases_bans_ended_past_retention_and_keeps_a_count(world: World, sw: SchemeWorld) -> None:
    old = _ended(sw, "Old Oliver", 31)
    recent = _ended(sw, "Recent Rita", 29)
    current = in_force(sw, name="Current Carl")
    out = io.StringIO()
    call_command("pubwatch", "expire", stdout=out)
    assert "erased 1 ban ended more than 30 days ago" in out.getvalue()
    assert not Ban.objects.filter(pk=old.pk).exists()
    assert not BanReview.objects.filter(note__contains="Old Oliver").exists()
    assert Ban.objects.filter(pk__in=[recent.pk, current.pk]).count() == 2
    assert old.ended_on is not None
    count = ErasedBans.objects.get(scheme=sw.scheme)
    assert (count.ended_year, count.outcome, count.count) == (old.ended_on.year, BanStatus.REVOKED, 1)
    assert AuditEntry.objects.filter(summary="Erased Pubwatch ban").exists()  # the framework logged it
    # Re-runnable: nothing more to erase, the count unchanged.
    assert services.erase_ended() == 0
    assert ErasedBans.objects.get(scheme=sw.scheme).count == 1


@override_settings(CSPHUB_PUBWATCH_RETENTION_DAYS=1)
def test_it_deletes_a_photo_left_on_an_erased_ban(world: World, sw: SchemeWorld) -> None:
    ban = in_force(sw, name="Photo Phil", photo=True)
    path = Path(settings.CSPHUB_PUBWATCH_PHOTO_DIR) / ban.photo.name
    # An ended ban still holding its photo (an earlier failure), ended long ago.
    Ban.objects.filter(pk=ban.pk).update(status=BanStatus.LAPSED, ended_on=timezone.localdate() - dt.timedelta(days=5))
    services.expire()
    assert not Ban.objects.filter(pk=ban.pk).exists() and not path.exists()
    assert ErasedBans.objects.get(scheme=sw.scheme, outcome=BanStatus.LAPSED).count == 1


@pytest.mark.parametrize("value", ["0", "a year"])
def test_it_fails_loudly_on_a_bad_retention_period(value: str) -> None:
    env = {**os.environ, "CSPHUB_ENVIRONMENT": "test", "CSPHUB_PUBWATCH_RETENTION_DAYS": value}
    result = subprocess.run(
        [sys.executable, "-c", "import csphub.settings"], env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode != 0
    assert "CSPHUB_PUBWATCH_RETENTION_DAYS" in result.stderr
