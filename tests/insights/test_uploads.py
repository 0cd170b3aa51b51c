"""Uploading police.uk months and partner files: all files loaded or none, the CLI's file:line errors, progress."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from csphub.audit.models import AuditEntry
from csphub.insights import uploads
from csphub.insights.models import CrimeUpload, UploadStatus
from tests.analytics.conftest import NORTHANTS_MONTHS, snapshot
from tests.factories import World, verified_client


@pytest.fixture
def store(tmp_path: Path, settings: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    settings.DATA_DIR = tmp_path / "store"
    settings.VAR_DIR = tmp_path / "var"
    monkeypatch.setattr(uploads, "RUN_IN_THREAD", False)  # the ingest runs within the request: its end is known
    yield settings.DATA_DIR


def _file(path: Path, name: str | None = None, text: str | None = None) -> SimpleUploadedFile:
    content = text.encode() if text is not None else path.read_bytes()
    return SimpleUploadedFile(name or path.name, content, content_type="text/csv")


def test_it_loads_police_uk_months_and_shows_what_it_loaded(world: World, store: Path) -> None:
    client = verified_client(world["police_analyst"])
    response = client.post(
        "/insights/data/upload/", {"kind": "police", "files": [_file(NORTHANTS_MONTHS[0]), _file(NORTHANTS_MONTHS[1])]}
    )
    upload = CrimeUpload.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/insights/data/upload/{upload.uuid}/"
    assert upload.status == UploadStatus.DONE and upload.percent == 100
    assert [r["source"] for r in upload.result] == [p.name for p in NORTHANTS_MONTHS[:2]]
    assert upload.result[0]["rows"] == 5773
    assert {f.month for f in uploads.analytics().holdings().files} == {"2025-01", "2025-02"}
    progress = client.get(f"/insights/data/upload/{upload.uuid}/progress.json").json()
    assert progress == {
        "status": "done",
        "status_label": "Loaded",
        "step": "Loaded",
        "percent": 100,
        "finished": True,
        "error": "",
    }
    page = client.get(f"/insights/data/upload/{upload.uuid}/").content.decode()
    assert "2025-01-northamptonshire-street.csv" in page and ">5773<" in page
    assert not uploads.upload_dir(upload).exists()


def test_it_logs_who_uploaded_which_files(world: World, store: Path) -> None:
    analyst = world["police_analyst"]
    verified_client(analyst).post("/insights/data/upload/", {"kind": "police", "files": [_file(NORTHANTS_MONTHS[0])]})
    upload = CrimeUpload.objects.get()
    entries = AuditEntry.objects.filter(record_type="insights.crimeupload")
    assert [(e.actor_username, e.record_id) for e in entries] == [(analyst.username, str(upload.uuid))]


def test_a_bad_file_loads_nothing_and_names_its_line(world: World, store: Path) -> None:
    client = verified_client(world["police_manager"])
    client.post("/insights/data/upload/", {"kind": "police", "files": [_file(NORTHANTS_MONTHS[0])]})
    before = snapshot(store)
    lines = NORTHANTS_MONTHS[2].read_text(encoding="utf-8").splitlines(keepends=True)
    broken = "".join(lines[:6]) + lines[6].replace("-0.", "-0.x", 1) + "".join(lines[7:40])
    client.post(
        "/insights/data/upload/",
        {"kind": "police", "files": [_file(NORTHANTS_MONTHS[1]), _file(NORTHANTS_MONTHS[2], text=broken)]},
    )
    failed = CrimeUpload.objects.latest("created_at")
    assert failed.status == UploadStatus.FAILED
    assert failed.error.startswith("2025-03-northamptonshire-street.csv, line 7: ")
    assert "is not a number" in failed.error
    assert snapshot(store) == before  # the good file of the same upload was not loaded either
    page = client.get(f"/insights/data/upload/{failed.uuid}/").content.decode()
    assert "2025-03-northamptonshire-street.csv, line 7" in page and "Nothing was changed" in page


def test_it_loads_partner_files_and_gives_their_errors(world: World, store: Path) -> None:
    client = verified_client(world["police_analyst"])
    good = "occurred_at,category,source_agency,postcode\n2025-03-01,Noise nuisance,NNC,NN16 8BA\n"
    bad = "occurred_at,category,source_agency,postcode\n2025-03-01,Noise nuisance,NNC,NN16 8BA\n31/02/x,Noise,NNC,\n"
    client.post("/insights/data/upload/", {"kind": "partner", "files": [_file(Path("asb.csv"), text=good)]})
    assert CrimeUpload.objects.get().status == UploadStatus.DONE
    client.post("/insights/data/upload/", {"kind": "partner", "files": [_file(Path("asb-bad.csv"), text=bad)]})
    failed = CrimeUpload.objects.latest("created_at")
    assert failed.error.startswith("asb-bad.csv, line 3: occurred_at '31/02/x' is not a date")


def test_it_refuses_a_file_of_the_wrong_kind_before_saving_anything(world: World, store: Path) -> None:
    client = verified_client(world["police_analyst"])
    response = client.post("/insights/data/upload/", {"kind": "partner", "files": [_file(Path("a.zip"), text="PK")]})
    assert response.status_code == 400 and "a.zip is not a .csv file" in response.content.decode()
    assert not CrimeUpload.objects.exists()


def test_only_analysts_and_managers_upload_and_each_sees_only_their_own(world: World, store: Path) -> None:
    response = verified_client(world["police_officer"]).post(
        "/insights/data/upload/", {"kind": "police", "files": [_file(NORTHANTS_MONTHS[0])]}
    )
    assert response.status_code == 403 and not CrimeUpload.objects.exists()
    verified_client(world["police_analyst"]).post(
        "/insights/data/upload/", {"kind": "police", "files": [_file(NORTHANTS_MONTHS[0])]}
    )
    upload = CrimeUpload.objects.get()
    other = verified_client(world["council_manager"])
    assert other.get(f"/insights/data/upload/{upload.uuid}/").status_code == 404
    assert other.get(f"/insights/data/upload/{upload.uuid}/progress.json").status_code == 404


def test_the_progress_row_follows_the_ingest_steps(world: World, store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[tuple[str, int, int]] = []
    real = uploads._progress

    def spy(pk: int) -> Any:
        listener = real(pk)

        def record(step: str, done: int, total: int) -> None:
            listener(step, done, total)
            row = CrimeUpload.objects.get(pk=pk)
            seen.append((row.step, row.done, row.total))

        return record

    monkeypatch.setattr(uploads, "_progress", spy)
    verified_client(world["police_analyst"]).post(
        "/insights/data/upload/", {"kind": "police", "files": [_file(NORTHANTS_MONTHS[0])]}
    )
    assert seen == [("street: read and located", 1, 3), ("street: checked and written", 2, 3), ("stored", 3, 3)]
