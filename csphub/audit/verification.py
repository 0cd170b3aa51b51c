"""Verify the stored audit log against its hash chain."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from csphub.audit.chain import HASHED_FIELDS, VerifyResult, verify
from csphub.audit.log import head
from csphub.audit.models import AuditEntry


def _rows(progress: Callable[[int], None] | None) -> Iterator[dict[str, Any]]:
    fields = (*HASHED_FIELDS, "hash")
    for n, row in enumerate(AuditEntry.objects.order_by("seq").values(*fields).iterator(chunk_size=5000), 1):
        if progress is not None and n % 50_000 == 0:
            progress(n)
        yield row


def verify_log(progress: Callable[[int], None] | None = None) -> VerifyResult:
    head_seq, head_hash = head()
    return verify(_rows(progress), head_seq, head_hash)
