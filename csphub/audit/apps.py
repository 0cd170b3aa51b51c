from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "csphub.audit"
    label = "audit"
    verbose_name = "Audit log"

    def ready(self) -> None:
        from csphub.audit import signals

        signals.connect()
