from django.apps import AppConfig


class CuckooingConfig(AppConfig):
    name = "csphub.cuckooing"
    label = "cuckooing"
    verbose_name = "Cuckooing register and panel"
