from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssembliesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "assemblies"
    verbose_name = _("Assemblies")

    def ready(self) -> None:
        # assemblies registers its own parts the same way every other app does.
        from .field_labels import make_labels_translatable
        from .plugin import register

        register()
        # Every app's models are loaded by now: the labels Django made up for
        # our fields ("created at", "joined at") become translatable.
        make_labels_translatable()
