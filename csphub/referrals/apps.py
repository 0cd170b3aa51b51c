from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "csphub.referrals"
    label = "referrals"
    verbose_name = "Referrals"
