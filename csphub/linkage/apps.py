from django.apps import AppConfig


class LinkageConfig(AppConfig):
    name = "csphub.linkage"
    label = "linkage"
    verbose_name = "Register merger"
