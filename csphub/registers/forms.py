from __future__ import annotations

from typing import Any

from django import forms

from csphub.access.vocabulary import Caveat, Sensitivity
from csphub.registers.identifiers import Scheme
from csphub.registers.models import (
    AliasKind,
    FlagType,
    PhoneRelation,
    PlaceKind,
    PlaceRelation,
    Sex,
    VehicleRelation,
)
from csphub.ui.forms import GovukDateField, GovukForm, PartialDateField


class PersonSearchForm(GovukForm):
    name = forms.CharField(
        label="Name", required=False, max_length=200, help_text="For example, John Smith or SMITH, John"
    )
    date_of_birth = PartialDateField(
        label="Date of birth",
        required=False,
        help_text="Leave the day, or the day and month, blank if you do not know them",
    )
    postcode = forms.CharField(
        label="Postcode",
        required=False,
        max_length=10,
        help_text="A full postcode, or its start (NN16 or NN16 0)",
        widget=forms.TextInput(attrs={"data-width": "10", "autocomplete": "off"}),
    )
    address = forms.CharField(label="Address", required=False, max_length=200)
    identifier = forms.CharField(
        label="Reference from a partner system",
        required=False,
        max_length=40,
        help_text="NHS number, PNC ID, council or housing reference…",
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not any(data.get(k) for k in ("name", "date_of_birth", "postcode", "address", "identifier")):
            raise forms.ValidationError("Enter a name, date of birth, postcode, address or reference to search")
        return data


class PersonForm(GovukForm):
    given_name = forms.CharField(label="Given name", required=False, max_length=100)
    middle_names = forms.CharField(label="Middle names", required=False, max_length=100)
    family_name = forms.CharField(
        label="Family name", max_length=100, error_messages={"required": "Enter the family name"}
    )
    date_of_birth = PartialDateField(
        label="Date of birth",
        required=False,
        help_text="For example, 27 3 1990. Leave the day or month blank if not known",
    )
    sex = forms.ChoiceField(label="Sex", choices=Sex.choices, initial=Sex.NOT_KNOWN, widget=forms.RadioSelect)
    description = forms.CharField(
        label="Description",
        required=False,
        max_length=300,
        help_text="Distinguishing features, language spoken, communication needs",
    )
    caveat = forms.ChoiceField(label="Handling caveat", choices=Caveat.choices, initial=Caveat.OFFICIAL)
    sensitivity = forms.ChoiceField(
        label="Sensitivity",
        choices=Sensitivity.choices,
        initial=Sensitivity.GENERAL,
        help_text="Domestic-abuse and intelligence records are seen only by case officers, panel chairs and managers",
    )
    # Set by the checkbox shown with likely existing records (duplicate prevention at the door).
    confirmed_new = forms.BooleanField(required=False, widget=forms.HiddenInput)


class AliasForm(GovukForm):
    kind = forms.ChoiceField(label="Kind of name", choices=AliasKind.choices, widget=forms.RadioSelect)
    given_name = forms.CharField(label="Given name", required=False, max_length=100)
    family_name = forms.CharField(label="Family name", required=False, max_length=100)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not (data.get("given_name") or "").strip() and not (data.get("family_name") or "").strip():
            raise forms.ValidationError("Enter a given name or a family name")
        return data


class IdentifierForm(GovukForm):
    scheme = forms.ChoiceField(
        label="System",
        choices=[("", "Choose a system"), *Scheme.choices],
        error_messages={"required": "Choose the system the reference comes from"},
    )
    value = forms.CharField(label="Reference", max_length=40, error_messages={"required": "Enter the reference"})


class FlagForm(GovukForm):
    flag = forms.ChoiceField(
        label="Vulnerability or warning",
        choices=[("", "Choose one"), *FlagType.choices],
        error_messages={"required": "Choose a vulnerability or warning"},
    )
    note = forms.CharField(label="Note", required=False, max_length=300)


class PlaceForm(GovukForm):
    """A place. Its location is never typed: the postcode's centre (OS Code-Point Open) is used, or the point where the
    user put the map's pin (``latitude``/``longitude``, hidden fields the pin fills; ``templates/maps/map.html``)."""

    name = forms.CharField(
        label="Name",
        required=False,
        max_length=200,
        help_text="For a business or public space, e.g. a restaurant or a park",
    )
    kind = forms.ChoiceField(label="Kind of place", choices=PlaceKind.choices)
    address = forms.CharField(
        label="Address",
        max_length=300,
        help_text="Number, street and town on one line",
        error_messages={"required": "Enter the address"},
    )
    postcode = forms.CharField(
        label="Postcode",
        required=False,
        max_length=10,
        help_text="The map is centred on it. Without a pin, the place is located at the postcode's centre",
        widget=forms.TextInput(attrs={"data-width": "10", "autocomplete": "postal-code"}),
    )
    uprn = forms.CharField(
        label="UPRN",
        required=False,
        max_length=12,
        help_text="Unique Property Reference Number, if known",
        widget=forms.TextInput(attrs={"data-width": "20", "inputmode": "numeric"}),
    )
    latitude = forms.FloatField(required=False, widget=forms.HiddenInput, min_value=-90, max_value=90)
    longitude = forms.FloatField(required=False, widget=forms.HiddenInput, min_value=-180, max_value=180)
    partnership_wide = forms.BooleanField(
        label="Partnership-wide place",
        required=False,
        help_text="A public or business location every member may see. Never for a person's home",
    )
    # Set by the checkbox shown with likely existing places (duplicate prevention at the door).
    confirmed_new = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (data.get("latitude") is None) != (data.get("longitude") is None):
            raise forms.ValidationError("The map pin was not placed properly: place it again, or remove it")
        return data


class PlaceLinkForm(GovukForm):
    historic_fields = frozenset({"valid_from", "valid_to"})
    relation = forms.ChoiceField(label="Relationship", choices=PlaceRelation.choices, widget=forms.RadioSelect)
    place = forms.CharField(
        label="Place reference",
        required=False,
        max_length=40,
        help_text="An existing place's reference, like L-7302206E, shown on its page; or enter an address below",
        widget=forms.TextInput(attrs={"data-width": "10"}),
    )
    address = forms.CharField(label="Address", required=False, max_length=300)
    postcode = forms.CharField(
        label="Postcode", required=False, max_length=10, widget=forms.TextInput(attrs={"data-width": "10"})
    )
    valid_from = GovukDateField(
        label="From",
        required=False,
        help_text="For example, 27 3 2025",
    )
    valid_to = GovukDateField(label="To", required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("place") and not (data.get("address") or "").strip():
            raise forms.ValidationError("Enter a place reference or an address")
        return data


class PhoneLinkForm(GovukForm):
    number = forms.CharField(
        label="Phone number",
        max_length=20,
        error_messages={"required": "Enter the number"},
        widget=forms.TextInput(attrs={"type": "tel", "data-width": "20"}),
    )
    relation = forms.ChoiceField(
        label="Relationship",
        choices=PhoneRelation.choices,
        widget=forms.RadioSelect,
        initial=PhoneRelation.USES,
    )


class VehicleLinkForm(GovukForm):
    registration = forms.CharField(
        label="Registration",
        max_length=10,
        error_messages={"required": "Enter the registration"},
        widget=forms.TextInput(attrs={"data-width": "10"}),
    )
    make = forms.CharField(label="Make", required=False, max_length=50)
    model = forms.CharField(label="Model", required=False, max_length=50)
    colour = forms.CharField(label="Colour", required=False, max_length=30)
    relation = forms.ChoiceField(
        label="Relationship",
        choices=VehicleRelation.choices,
        widget=forms.RadioSelect,
        initial=VehicleRelation.DRIVES,
    )


class PlaceSearchForm(GovukForm):
    postcode = forms.CharField(
        label="Postcode", required=False, max_length=10, widget=forms.TextInput(attrs={"data-width": "10"})
    )
    address = forms.CharField(label="Address or name", required=False, max_length=200)
    district = forms.ChoiceField(label="District", required=False, choices=[])

    def __init__(self, *args: Any, districts: list[tuple[str, str]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["district"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "All districts"), *(districts or [])]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not any(data.get(k) for k in ("postcode", "address", "district")):
            raise forms.ValidationError("Enter a postcode, an address or choose a district")
        return data


class ConfirmEraseForm(GovukForm):
    confirm = forms.BooleanField(
        label="I confirm this person's record is to be erased",
        required=True,
        error_messages={"required": "Confirm the erasure"},
    )
