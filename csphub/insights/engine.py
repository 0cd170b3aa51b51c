"""The analytics engine as the web app uses it: one :class:`~csphub.analytics.api.Analytics` over the store and the
reference data of the settings (``CSPHUB_DATA_DIR``, ``CSPHUB_CSP_DISTRICTS``)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from django.conf import settings

from csphub.analytics.api import Analytics
from csphub.analytics.config import AnalyticsConfig


@lru_cache(maxsize=4)
def _analytics(data_dir: Path) -> Analytics:
    return Analytics(replace(AnalyticsConfig.from_env(), data_dir=data_dir))


def analytics() -> Analytics:
    """The engine over the configured store (one per store folder: its district boundaries are read once)."""
    return _analytics(Path(settings.DATA_DIR))


@dataclass(frozen=True)
class Area:
    """A dashboard's area: one of the partnership's districts, or the whole partnership."""

    slug: str
    name: str
    codes: tuple[str, ...]

    @property
    def whole(self) -> bool:
        return len(self.codes) > 1


def _slug(name: str) -> str:
    return "-".join("".join(c if c.isalnum() else " " for c in name.lower()).split())


def areas() -> tuple[Area, ...]:
    """The whole partnership first, then each of its districts (the four old districts), by name."""
    app = analytics()
    codes = app.config.csp_districts
    names = dict(zip(app.districts.codes, app.districts.names, strict=True))
    whole = Area("partnership", "The whole partnership", tuple(codes))
    each = sorted((Area(_slug(names[c]), names[c], (c,)) for c in codes), key=lambda a: a.name)
    return (whole, *each)


def area(slug: str | None) -> Area:
    """The area of this slug; the whole partnership for none or an unknown one."""
    found = areas()
    return next((a for a in found if a.slug == slug), found[0])
