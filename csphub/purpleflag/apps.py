from django.apps import AppConfig


class PurpleflagConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "csphub.purpleflag"
    verbose_name = "Purple Flag evidence packs"
