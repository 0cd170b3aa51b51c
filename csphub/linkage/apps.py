from django.apps import AppConfig


class LinkageConfig(AppConfig):
    name = "csphub.linkage"
    label = "linkage"
    verbose_name = "Register merger"

    def ready(self) -> None:
        from csphub.linkage import door
        from csphub.registers import duplicates

        duplicates.use_matcher(door.by_model)
