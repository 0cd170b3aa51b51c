from django.apps import AppConfig


class IntelligenceConfig(AppConfig):
    name = "csphub.intelligence"
    label = "intelligence"
    verbose_name = "Serious organised crime intelligence"
