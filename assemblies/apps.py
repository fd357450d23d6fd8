from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssembliesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "assemblies"
    verbose_name = _("Assemblies")

    def ready(self) -> None:
        # assemblies registers its own parts the same way every other app does.
        from .plugin import register

        register()
