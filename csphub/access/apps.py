from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "csphub.access"
    label = "access"
    verbose_name = "Lawful access"
