from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "csphub.meetings"
    label = "meetings"
    verbose_name = "Meetings and action groups"

    def ready(self) -> None:
        from csphub.cases import action_sources
        from csphub.cuckooing import outcomes
        from csphub.meetings import links, queries
        from csphub.ui.record_links import use_record_links

        # The agency action list (csphub.cases, below this app) lists meeting actions too, through its registry.
        action_sources.register(queries.meeting_action_items)
        # A cuckooing record's page (csphub.cuckooing, below this app) shows what meetings decided and agreed on it.
        outcomes.register(queries.panel_outcomes)
        # People, places, cases, referrals and cuckooing records offer "Refer to a meeting" on their pages (the UI
        # kit's registry).
        use_record_links(links.refer_links)
