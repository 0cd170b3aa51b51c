"""A hotspot map as a PNG (matplotlib, no display needed): Gi* classes per cell, the district lines drawn
over, with a legend, a scale bar, a north arrow and the data's attribution.

Cells are coloured by Gi* class: significant hot spots (after the false discovery rate correction) in reds by
the strength of z, significant cold spots in blues, the rest of the study area in light grey. Hotspots that
cross a district boundary are outlined in black; the district lines are drawn in dark grey and labelled.

The axes are British National Grid metres, so the scale bar is exact and grid north is up (within a degree of
true north in England).
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import BinaryIO

import matplotlib

matplotlib.use("Agg")  # before pyplot: render to files, never to a screen

import matplotlib.pyplot as plt
import numpy as np
import shapely
from matplotlib.patches import Patch, Rectangle

from .geo import Districts
from .hotspots import HotspotResult
from .output import ATTRIBUTION

# (lower bound of |z|, colour) for significant cells: about p < 0.001, 0.01 and the rest.
_HOT = ((3.29, "#b2182b"), (2.58, "#ef8a62"), (0.0, "#fddbc7"))
_COLD = ((3.29, "#2166ac"), (2.58, "#67a9cf"), (0.0, "#d1e5f0"))
_BACKGROUND = "#eeeeee"


def _rgba(colour: str) -> np.ndarray:
    return np.array(matplotlib.colors.to_rgba(colour))


def _image(result: HotspotResult) -> np.ndarray:
    grid = result.grid
    image = np.zeros((*grid.shape, 4))
    image[grid.mask] = _rgba(_BACKGROUND)
    z = np.nan_to_num(result.z)
    for classes, side in ((_HOT, z > 0), (_COLD, z < 0)):
        assigned = np.zeros(grid.shape, dtype=bool)
        for bound, colour in classes:
            chosen = result.significant & side & (np.abs(z) >= bound) & ~assigned
            image[chosen] = _rgba(colour)
            assigned |= chosen
    return image


def _nice_length(span: float) -> float:
    """A round length (1, 2 or 5 x 10^k metres) about a fifth of ``span``, for the scale bar."""
    target = span / 5
    power = 10 ** math.floor(math.log10(target))
    return max(f * power for f in (1, 2, 5) if f * power <= target)


def _scale_bar(ax: plt.Axes, extent: tuple[float, float, float, float]) -> None:
    x0, x1, y0, y1 = extent
    length = _nice_length(x1 - x0)
    left, base = x1 - (x1 - x0) * 0.05 - length, y0 + (y1 - y0) * 0.04
    height = (y1 - y0) * 0.008
    for k in range(4):  # alternate black and white quarters
        ax.add_patch(
            Rectangle(
                (left + k * length / 4, base),
                length / 4,
                height,
                facecolor="black" if k % 2 == 0 else "white",
                edgecolor="black",
                linewidth=0.6,
                zorder=6,
            )
        )
    label = f"{length / 1000:g} km" if length >= 1000 else f"{length:g} m"
    ax.text(left + length / 2, base + height * 1.8, label, ha="center", va="bottom", fontsize=7, zorder=6)


def _north_arrow(ax: plt.Axes) -> None:
    ax.annotate(
        "N",
        xy=(0.95, 0.95),
        xytext=(0.95, 0.86),
        xycoords="axes fraction",
        ha="center",
        va="center",
        fontsize=10,
        fontweight="bold",
        arrowprops={"facecolor": "black", "width": 4, "headwidth": 11, "headlength": 10},
        zorder=6,
    )


def render_hotspot_map(
    result: HotspotResult, districts: Districts, area_codes: tuple[str, ...], out: Path | BinaryIO, title: str
) -> None:
    grid = result.grid
    extent = (grid.x0, grid.x0 + grid.nx * grid.cell, grid.y0, grid.y0 + grid.ny * grid.cell)
    fig, ax = plt.subplots(figsize=(8.5, 9.5), dpi=150)
    try:
        ax.imshow(_image(result), origin="lower", extent=extent, interpolation="nearest", zorder=1)
        if result.cross_boundary.any():
            xc, yc = grid.centres()
            ax.contour(
                xc,
                yc,
                result.cross_boundary.astype(float),
                levels=[0.5],
                colors="black",
                linewidths=1.4,
                zorder=3,
            )
        for code, name, polygon in zip(districts.codes, districts.names, districts.bng, strict=True):
            boundary = shapely.boundary(polygon)
            lines = shapely.get_parts(boundary)
            for line in lines:
                coords = np.asarray(line.coords)
                ax.plot(coords[:, 0], coords[:, 1], color="#333333", linewidth=1.0, zorder=4)
            if code in area_codes:
                label_at = polygon.representative_point()
                ax.annotate(
                    name,
                    (label_at.x, label_at.y),
                    ha="center",
                    fontsize=8,
                    color="#111111",
                    zorder=5,
                    bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": "none", "alpha": 0.7},
                )
        ax.set_xlim(extent[0], extent[1])
        ax.set_ylim(extent[2], extent[3])
        ax.set_aspect("equal")
        ax.set_xlabel("Easting (m, British National Grid)")
        ax.set_ylabel("Northing (m, British National Grid)")
        ax.ticklabel_format(style="plain", useOffset=False)
        ax.tick_params(labelsize=7)
        s = result.settings
        ax.set_title(f"{title}\nGetis-Ord Gi*, {s.cell:g} m cells, {s.band:g} m band, FDR {s.alpha:g}", fontsize=10)
        legend = [
            Patch(color=_HOT[0][1], label="hot spot, |z| ≥ 3.29"),
            Patch(color=_HOT[1][1], label="hot spot, |z| ≥ 2.58"),
            Patch(color=_HOT[2][1], label="hot spot"),
            Patch(color=_COLD[2][1], label="cold spot"),
            Patch(color=_BACKGROUND, label="not significant"),
            Patch(facecolor="none", edgecolor="black", label="hotspot crossing a district line"),
            Patch(facecolor="none", edgecolor="#333333", label="district boundary (pre-2021)"),
        ]
        ax.legend(handles=legend, loc="lower left", fontsize=7, framealpha=0.9)
        _scale_bar(ax, extent)
        _north_arrow(ax)
        fig.text(0.01, 0.005, ATTRIBUTION, fontsize=5, wrap=True, va="bottom")
        fig.tight_layout(rect=(0, 0.03, 1, 1))
        fig.savefig(out, format="png")
    finally:
        plt.close(fig)
