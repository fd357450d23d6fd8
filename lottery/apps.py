from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LotteryConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "lottery"
    verbose_name = _("Recruitment and selection")

    def ready(self) -> None:
        # Screens, pages, dashboard figures, audit labels and demo: all through
        # assemblies' registry, which never imports lottery.
        from .plugin import register

        register()
