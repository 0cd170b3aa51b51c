from django.apps import AppConfig


class NteConfig(AppConfig):
    name = "csphub.nte"
    label = "nte"
    verbose_name = "Night-time economy"

    def ready(self) -> None:
        from csphub.insights import overlays

        # The analytics map (csphub.insights, below this app) draws the dispersal and PSPO areas, through its registry.
        overlays.register(
            overlays.Overlay(
                key="designations",
                label="Dispersal and PSPO areas",
                url_name="nte:designations-geojson",
                details=("kind_label", "period", "status"),
            )
        )
