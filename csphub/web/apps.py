from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "csphub.web"
    label = "web"
    verbose_name = "Web interface"
