"""Uploading police.uk months or partner CSV files in the browser.

The files are saved in a private folder (``$CSPHUB_VAR_DIR/uploads/<uuid>/``, under their own names so that errors
name them as the analyst knows them), then a worker thread runs the engine's ingest on them, writing its progress
(each step of ``csphub.common.progress.Steps``) to the upload's row, which the page polls. The engine's ingest is
atomic: every file is checked before any month is renamed into the store, so a bad file leaves the store as it
was, and the upload shows the file:line error the CLI gives. The folder is removed when the ingest ends.
"""

from __future__ import annotations

import logging
import re
import shutil
import threading
from collections.abc import Iterable
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import connection
from django.utils import timezone

from csphub.analytics.errors import AnalyticsError
from csphub.analytics.ingest import IngestSettings
from csphub.analytics.store import EventFilter
from csphub.common.progress import StepListener

from .engine import analytics
from .models import CrimeUpload, UploadKind, UploadStatus

if TYPE_CHECKING:
    from csphub.partnership.models import User

log = logging.getLogger(__name__)

#: whether the ingest runs in a thread of its own (tests run it in the request, to assert on its end)
RUN_IN_THREAD = True


class UploadRefused(ValueError):
    pass


def _safe_name(name: str) -> str:
    base = Path(name).name
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "-", base).strip(".-")
    return cleaned or "upload"


def upload_dir(upload: CrimeUpload) -> Path:
    return Path(settings.VAR_DIR) / "uploads" / str(upload.uuid)


ALLOWED = {UploadKind.POLICE: (".csv", ".zip"), UploadKind.PARTNER: (".csv",)}


def receive(user: User, kind: str, files: Iterable[UploadedFile]) -> CrimeUpload:
    """Save the uploaded files and start loading them; refused (``UploadRefused``) before anything is saved when a
    file is of the wrong kind or too large."""
    chosen = list(files)
    if kind not in ALLOWED:
        raise UploadRefused("Choose what the files are: police.uk monthly files or partner CSV files.")
    if not chosen:
        raise UploadRefused("Choose one or more files to upload.")
    limit = settings.CSPHUB_CRIME_UPLOAD_MAX_MB * 1024 * 1024
    names = []
    for f in chosen:
        name = _safe_name(f.name or "")
        if not name.lower().endswith(ALLOWED[UploadKind(kind)]):
            raise UploadRefused(f"{name} is not a {' or '.join(ALLOWED[UploadKind(kind)])} file.")
        if f.size is not None and f.size > limit:
            raise UploadRefused(f"{name} is larger than {settings.CSPHUB_CRIME_UPLOAD_MAX_MB} MB.")
        names.append(name)
    if len(set(names)) != len(names):
        raise UploadRefused("Two files have the same name.")
    upload = CrimeUpload.objects.create(kind=kind, files=names, uploaded_by=user, step="Received")
    folder = upload_dir(upload)
    folder.mkdir(parents=True, exist_ok=True)
    for f, name in zip(chosen, names, strict=True):
        with (folder / name).open("wb") as out:
            for chunk in f.chunks():
                out.write(chunk)
    if RUN_IN_THREAD:
        threading.Thread(target=_run_in_thread, args=(upload.pk,), name=f"upload-{upload.uuid}", daemon=True).start()
    else:
        run(upload.pk)
    return upload


def _run_in_thread(pk: int) -> None:
    try:
        run(pk)
    finally:
        connection.close()


def _progress(pk: int) -> StepListener:
    def listener(step: str, done: int, total: int) -> None:
        CrimeUpload.objects.filter(pk=pk).update(step=step, done=done, total=total)

    return listener


def run(pk: int) -> None:
    """Load one upload's files into the store with the engine's ingest (all or nothing), recording the outcome."""
    upload = CrimeUpload.objects.get(pk=pk)
    folder = upload_dir(upload)
    CrimeUpload.objects.filter(pk=pk).update(status=UploadStatus.RUNNING, step="Checking the files")
    paths = [folder / name for name in upload.files]
    app = analytics()
    try:
        if upload.kind == UploadKind.POLICE:
            result = app.ingest(paths, IngestSettings(listener=_progress(pk)))
            rows = [asdict(f) for f in result.files]
        else:
            CrimeUpload.objects.filter(pk=pk).update(done=1, total=2)
            partner = app.ingest_partner(paths)
            rows = [
                {
                    "source": f.source,
                    "rows": f.rows,
                    "unlocated": f.unlocated,
                    "unknown_postcodes": f.unknown_postcodes,
                    "agency_months": [f"{a} {m}" for a, m in f.agency_months],
                }
                for f in partner.files
            ]
        for row in rows:
            row["source"] = _shown(str(row["source"]), folder)
        CrimeUpload.objects.filter(pk=pk).update(step="Preparing the dashboards")
        # The engine's table of the partnership's events is made again after a change of the store: made now, in
        # this process, the next dashboard it serves does not wait for it.
        app.counts(["month"], EventFilter(districts=app.config.csp_districts, source="all"))
        CrimeUpload.objects.filter(pk=pk).update(
            status=UploadStatus.DONE, step="Loaded", result=rows, finished_at=timezone.now()
        )
        log.info("upload %s: %d file(s) loaded", upload.uuid, len(rows))
    except AnalyticsError as exc:
        CrimeUpload.objects.filter(pk=pk).update(
            status=UploadStatus.FAILED, step="Not loaded", error=_shown(str(exc), folder), finished_at=timezone.now()
        )
    except Exception:
        log.exception("upload %s failed", upload.uuid)
        CrimeUpload.objects.filter(pk=pk).update(
            status=UploadStatus.FAILED,
            step="Not loaded",
            error="The files could not be loaded because of a fault in csphub; nothing was changed. "
            "The fault is in the server's log.",
            finished_at=timezone.now(),
        )
        raise
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _shown(text: str, folder: Path) -> str:
    """Paths inside the upload's folder, as the analyst named the files."""
    return text.replace(f"{folder}/", "").replace(str(folder), "")
