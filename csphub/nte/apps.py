from django.apps import AppConfig


class NteConfig(AppConfig):
    name = "csphub.nte"
    label = "nte"
    verbose_name = "Night-time economy"
