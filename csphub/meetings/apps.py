from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "csphub.meetings"
    label = "meetings"
    verbose_name = "Meetings and action groups"

    def ready(self) -> None:
        from csphub.cases import action_sources
        from csphub.meetings import queries

        # The agency action list (csphub.cases, below this app) lists meeting actions too, through its registry.
        action_sources.register(queries.meeting_action_items)
