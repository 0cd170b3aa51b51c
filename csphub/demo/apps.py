from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "csphub.demo"
    label = "demo"
    verbose_name = "Demo partnership"
