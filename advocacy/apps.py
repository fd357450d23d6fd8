from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AdvocacyConfig(AppConfig):
    """After the report: institutions' responses, implementation, the public
    tracker, power literacy, allies, media and followers."""

    name = "advocacy"
    verbose_name = _("Advocacy and follow-up")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import rules  # noqa: F401  (registers the permissions)
        from .plugin import register

        register()
