from django.apps import AppConfig


class RegistersConfig(AppConfig):
    name = "csphub.registers"
    label = "registers"
    verbose_name = "People and places"
