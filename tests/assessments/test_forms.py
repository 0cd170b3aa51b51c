"""The assessment form: GOV.UK radios, one question each, every one to be answered (issue 19, findings 1 and 2)."""

from __future__ import annotations

from csphub.assessments import engine
from csphub.assessments.forms import AssessmentForm


def test_finding_2_the_dash_form_refuses_unanswered_questions() -> None:
    dash = engine.load_shipped("dash")
    form = AssessmentForm({}, question_set=dash, people=[])
    assert not form.is_valid()
    assert set(form.errors) == {f"q_{q.id}" for q in dash.questions}
    first = dash.questions[0]
    assert form.errors[f"q_{first.id}"] == [f"Select yes, no or not known for “{first.text}”"]
    answered = AssessmentForm({f"q_{q.id}": "not_known" for q in dash.questions}, question_set=dash, people=[])
    assert answered.is_valid(), answered.errors
    assert set(answered.answers().values()) == {"not_known"}


def test_finding_1_the_answers_render_as_govuk_radios() -> None:
    dash = engine.load_shipped("dash")
    form = AssessmentForm({f"q_{dash.questions[0].id}": "yes"}, question_set=dash, people=[])
    html = form[f"q_{dash.questions[0].id}"].as_field_group()
    assert 'class="govuk-radios govuk-radios--small" data-module="govuk-radios"' in html
    assert html.count('class="govuk-radios__item"') == 3
    assert html.count('class="govuk-label govuk-radios__label"') == 3
    assert 'type="radio"' in html and "checkbox" not in html
    assert 'class="govuk-radios__input"' in html and "checked" in html


def test_it_renders_multiple_choices_as_govuk_checkboxes() -> None:
    from django import forms

    from csphub.ui.forms import GovukForm

    class Pick(GovukForm):
        days = forms.MultipleChoiceField(
            choices=[("mon", "Monday"), ("tue", "Tuesday")], widget=forms.CheckboxSelectMultiple
        )

    html = Pick({"days": ["tue"]})["days"].as_field_group()
    assert 'class="govuk-checkboxes govuk-checkboxes--small" data-module="govuk-checkboxes"' in html
    assert html.count('class="govuk-checkboxes__item"') == 2 and html.count('type="checkbox"') == 2
    assert "radio" not in html
