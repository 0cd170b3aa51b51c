"""The home app's forms: e-mail notification preferences."""

from __future__ import annotations

from django import forms

from csphub.ui.forms import GovukFormMixin
from csphub.web.models import NotificationPreference


class NotificationPreferenceForm(GovukFormMixin, forms.ModelForm):
    class Meta:
        model = NotificationPreference
        fields = ["deadlines", "assignments"]
