from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from allauth.account.signals import user_logged_in

        from .signals import record_address_proved_by_code

        user_logged_in.connect(record_address_proved_by_code, dispatch_uid="accounts.address_proved_by_code")
