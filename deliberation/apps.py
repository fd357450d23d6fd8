from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeliberationConfig(AppConfig):
    """Learning and tables: sessions, agenda, evidence, table plans, attendance."""

    name = "deliberation"
    verbose_name = _("Deliberation")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import rules  # noqa: F401  (registers the permissions)
        from .plugin import register

        register()
