"""Timeline documents: a size limit and allowed types (by extension and by their first bytes)."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from csphub.cases.models import Case
from tests.cases.factories import make_case
from tests.factories import World, verified_client

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


def _post(world: World, case: Case, upload: SimpleUploadedFile) -> tuple[int, str]:
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    response = verified_client(world["police_officer"]).post(
        f"/cases/{case.reference}/timeline/new/",
        {
            "kind": "note",
            "title": "A letter",
            "occurred_on": yesterday.isoformat(),
            "document": upload,
        },
    )
    return response.status_code, response.content.decode()


def test_finding_9_an_upload_over_the_size_limit_is_refused(world: World, settings: object) -> None:
    settings.CSPHUB_UPLOAD_MAX_MB = 1  # type: ignore[attr-defined]
    case = make_case(world["police_officer"])
    big = SimpleUploadedFile("letter.pdf", PDF + b"0" * (1024 * 1024 + 1), content_type="application/pdf")
    status, body = _post(world, case, big)
    assert status != 302
    assert "The selected file must be smaller than 1MB" in body
    assert not case.timeline.exclude(document="").exists()


def test_finding_9_an_html_upload_is_refused(world: World) -> None:
    case = make_case(world["police_officer"])
    page = SimpleUploadedFile("page.html", b"<html><script>alert(1)</script></html>", content_type="text/html")
    status, body = _post(world, case, page)
    assert status != 302
    assert "The selected file must be a PDF" in body
    assert not case.timeline.exclude(document="").exists()


def test_it_refuses_a_file_whose_content_does_not_match_its_extension(world: World) -> None:
    case = make_case(world["police_officer"])
    disguised = SimpleUploadedFile("letter.pdf", b"<html><script>alert(1)</script></html>")
    status, body = _post(world, case, disguised)
    assert status != 302
    assert "The selected file is not a real PDF" in body


def test_it_accepts_a_pdf_within_the_limit(world: World) -> None:
    case = make_case(world["police_officer"])
    status, body = _post(world, case, SimpleUploadedFile("letter.pdf", PDF, content_type="application/pdf"))
    assert status == 302, body[body.find("govuk-error-summary") :][:800]
    assert case.timeline.exclude(document="").count() == 1
