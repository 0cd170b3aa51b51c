"""The audit log's keys, kept outside the database (settings ``CSPHUB_AUDIT_KEY`` and
``CSPHUB_AUDIT_CHECKPOINT_KEY``).

The chain key makes each entry's link an HMAC (``csphub.audit.chain``): someone who can write to the database but
does not hold the key cannot rewrite a tail and re-hash it so that ``csphub audit verify`` passes. The checkpoint
key signs the checkpoints written outside the database (``csphub.audit.checkpoints``); unless set on its own, it
is derived from the chain key (an HMAC of a fixed label, so the two are never the same bytes).
"""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings


def chain_key() -> bytes:
    return str(settings.CSPHUB_AUDIT_KEY).encode()


def checkpoint_key() -> bytes:
    own = getattr(settings, "CSPHUB_AUDIT_CHECKPOINT_KEY", None)
    if own:
        return str(own).encode()
    return hmac.new(chain_key(), b"csphub audit checkpoint key", hashlib.sha256).digest()


def key_id(key: bytes) -> str:
    """A fingerprint of a key, safe to show and to write down: it tells keys apart without revealing them."""
    return hmac.new(key, b"csphub audit key id", hashlib.sha256).hexdigest()[:16]
