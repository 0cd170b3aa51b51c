from django.apps import AppConfig


class PubwatchConfig(AppConfig):
    name = "csphub.pubwatch"
    label = "pubwatch"
    verbose_name = "Pubwatch"
