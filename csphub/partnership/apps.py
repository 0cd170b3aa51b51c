from django.apps import AppConfig


class PartnershipConfig(AppConfig):
    name = "csphub.partnership"
    label = "partnership"
    verbose_name = "The partnership"
