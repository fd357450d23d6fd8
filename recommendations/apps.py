from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecommendationsConfig(AppConfig):
    """Drafting and deciding: working groups, recommendations with versions,
    comments and amendments, secret ballots, and the published recommendation pages."""

    name = "recommendations"
    verbose_name = _("Recommendations")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import rules  # noqa: F401  (registers the permissions)
        from .plugin import register

        register()
