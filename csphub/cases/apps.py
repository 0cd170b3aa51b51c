from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "csphub.cases"
    label = "cases"
    verbose_name = "Cases"

    def ready(self) -> None:
        from csphub.cases import linked
        from csphub.registers import linked as register_pages

        register_pages.use_linked_records(linked.linked_to)
