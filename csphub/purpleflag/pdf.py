"""The pack as PDF (WeasyPrint, as the meetings' papers are printed), with its charts drawn by vl-convert from the very
specs the page draws, and the map as the page shows it."""

from __future__ import annotations

import base64
from typing import TYPE_CHECKING, Any

from django.template.loader import render_to_string
from django.utils import timezone

from csphub.insights.charts import Chart, cell_text, render

from .evidence import Evidence, build
from .models import EvidencePack
from .services import threshold_for
from .standards import STANDARDS

if TYPE_CHECKING:
    from csphub.partnership.models import User


def _data_uri(svg: bytes) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")


def panel(chart: Chart, threshold: int | None, image: str = "") -> dict[str, Any]:
    """A chart with its spec's element id, its table view's cells and (the PDF) its drawing."""
    return {
        "chart": chart,
        "image": image,
        "spec_id": f"chart-spec-{chart.slug}",
        "table": [[(cell_text(c, row.get(c.key), threshold), c.numeric) for c in chart.columns] for row in chart.rows],
    }


def context(pack: EvidencePack, evidence: Evidence, images: dict[str, str] | None = None) -> dict[str, Any]:
    narratives = {n.standard: n for n in pack.narratives.all()}
    return {
        "pack": pack,
        "evidence": evidence,
        "standards": [
            {
                "standard": s,
                "narrative": narratives.get(s.slug),
                "sections": [
                    {
                        "section": section,
                        "panels": [
                            panel(c, evidence.threshold, (images or {}).get(c.slug, "")) for c in section.charts
                        ],
                    }
                    for section in evidence.for_standard(s.slug)
                ],
            }
            for s in STANDARDS
        ],
        "threshold": evidence.threshold,
        "any_chart": bool(evidence.charts),
    }


def render_pdf(pack: EvidencePack, reader: User | None, base_url: str = "/") -> bytes:
    from weasyprint import HTML

    evidence = build(pack, threshold_for(reader))
    images = {c.slug: _data_uri(render(c, "svg")) for c in evidence.charts if c.rows}
    html = render_to_string(
        "purpleflag/pack_pdf.html",
        {
            **context(pack, evidence, images),
            "reader": reader,
            "printed_at": timezone.localtime(),
        },
    )
    return bytes(HTML(string=html, base_url=base_url).write_pdf())


def page_images(pdf: bytes, scale: float = 1.5) -> list[bytes]:
    """Each page of the PDF as a PNG (pypdfium2: PDFium, pinned from PyPI)."""
    import io

    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf)
    images = []
    try:
        for index in range(len(document)):
            page = document[index]
            bitmap = page.render(scale=scale)
            out = io.BytesIO()
            bitmap.to_pil().save(out, format="PNG", optimize=True)
            images.append(out.getvalue())
            page.close()
    finally:
        document.close()
    return images
