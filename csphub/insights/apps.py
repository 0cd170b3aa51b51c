from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "csphub.insights"
    label = "insights"
    verbose_name = "Insights: maps, trends and dashboards"
