from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    """Long work (imports, letters, selection runs, reports, table plans, bulk
    email): one row per job with its status, progress and claim, polled by the
    page. A low layer: any app may use it, it imports none of them."""

    name = "jobs"
    verbose_name = _("Background jobs")
    default_auto_field = "django.db.models.BigAutoField"
