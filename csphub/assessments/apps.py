from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "csphub.assessments"
    label = "assessments"
    verbose_name = "Risk assessments"
