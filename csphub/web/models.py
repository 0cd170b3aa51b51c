"""Per-user e-mail notification preferences, and the notifications already sent (so ``csphub notify`` can re-run)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class NotificationPreference(models.Model):
    """What a user wants to be e-mailed about (both, until they say otherwise)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    deadlines = models.BooleanField(
        default=True,
        verbose_name="Deadlines",
        help_text="ASB powers deadlines and case review decisions due in the next 7 days, in cases you may see",
    )
    assignments = models.BooleanField(
        default=True, verbose_name="Actions assigned to me", help_text="When an action in a case is assigned to you"
    )

    def __str__(self) -> str:
        return f"Notification preferences of {self.user}"


class SentNotification(models.Model):
    """One thing a user was told about (an action, a deadline), once: the key names the thing and its due time."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=120)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="web_sentnotification_once")]

    def __str__(self) -> str:
        return f"{self.key} to {self.user}"
