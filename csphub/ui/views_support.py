"""Small helpers shared by views."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError


def apply_errors(form: Any, exc: ValidationError) -> None:
    """Attach a model or service ValidationError to the form's fields (or to the form when not a field of it)."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            target = field if field in form.fields else None
            for error in errors:
                form.add_error(target, error.messages[0] if hasattr(error, "messages") else str(error))
    else:
        for message in exc.messages:
            form.add_error(None, message)
