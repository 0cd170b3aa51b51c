from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "csphub.accounts"
    label = "accounts"
    verbose_name = "Sign-in and second factor"

    def ready(self) -> None:
        from csphub.accounts import signals

        signals.connect()
