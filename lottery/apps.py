from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LotteryConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "lottery"
    verbose_name = _("Recruitment and selection")

    def ready(self) -> None:
        # The audit log lives in assemblies, which must not import lottery:
        # lottery adds the names of its own actions.
        from assemblies.models import AUDIT_ACTION_LABELS

        from .audit_labels import AUDIT_ACTION_LABELS as LOTTERY_LABELS

        AUDIT_ACTION_LABELS.update(LOTTERY_LABELS)

        # Recruitment figures on each assembly's dashboard.
        from assemblies import dashboard

        from .dashboard import recruitment_section

        dashboard.register(recruitment_section)
