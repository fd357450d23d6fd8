from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    """Documents: the one PDF pipeline (a renderer whose fetcher reaches only our
    static files), shared by every app that makes a PDF, and the stored,
    versioned documents (reports) that assemblies publish."""

    name = "reports"
    verbose_name = _("Reports")
    default_auto_field = "django.db.models.BigAutoField"
