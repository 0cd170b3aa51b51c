"""The PNG hotspot map: drawn without a display, with its legend, scale bar, north arrow and attribution."""

from __future__ import annotations

import io

import matplotlib.pyplot as plt
import pytest
from matplotlib.text import Text

from csphub.analytics import mapping
from csphub.analytics.api import Analytics
from csphub.analytics.hotspots import HotspotSettings
from csphub.analytics.output import ATTRIBUTION
from csphub.analytics.store import EventFilter, MonthRange


@pytest.mark.parametrize(
    ("span", "length"), [(40_000.0, 5_000.0), (9_000.0, 1_000.0), (2_600.0, 500.0), (120_000.0, 20_000.0)]
)
def test_the_scale_bar_is_a_round_length_near_a_fifth_of_the_map(span: float, length: float) -> None:
    assert mapping._nice_length(span) == length


def test_it_draws_the_legend_scale_north_arrow_and_attribution(
    shipped: Analytics, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = shipped.hotspots(HotspotSettings(), EventFilter(months=MonthRange.parse("2025-01:2025-03")))
    texts: list[str] = []
    saved = plt.Figure.savefig

    def spy(fig: plt.Figure, *args: object, **kwargs: object) -> None:
        texts.extend(t.get_text() for t in fig.findobj(Text))
        saved(fig, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(plt.Figure, "savefig", spy)
    out = io.BytesIO()
    mapping.render_hotspot_map(result, shipped.districts, shipped.config.csp_districts, out, "Hotspots")
    assert out.getvalue()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "N" in texts  # the north arrow
    assert any(t.endswith(" km") for t in texts)  # the scale bar's label
    assert ATTRIBUTION in texts
    assert "hot spot, |z| ≥ 3.29" in texts  # the legend
