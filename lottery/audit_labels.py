"""Plain-words names of the lottery's audit actions, shown in the audit log."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

AUDIT_ACTION_LABELS = {
    "lottery.addresses_uploaded": _("Address file uploaded"),
    "lottery.addresses_import_restarted": _("Address import restarted"),
    "lottery.addresses_imported": _("Addresses imported"),
    "lottery.addresses_import_failed": _("Address import failed"),
    "lottery.addresses_drawn": _("Addresses drawn for invitations"),
    "lottery.letters_started": _("Invitation letters started"),
    "lottery.letters_done": _("Invitation letters ready"),
    "lottery.round_deleted": _("Invitation round deleted"),
    "lottery.run_started": _("Selection run started"),
    "lottery.run_computed": _("Selection run computed"),
    "lottery.commitment_published": _("Commitment published"),
    "lottery.panel_drawn": _("Panel drawn"),
    "lottery.panel_finalised": _("Panel made final"),
    "lottery.replacement_started": _("Replacement draw started"),
    "lottery.reserve_called": _("Vacant seat offered to a reserve"),
    "lottery.no_reserve_fits": _("No reserve kept the quotas for a vacant seat"),
    "lottery.respondent_confirmed": _("Selected person confirmed"),
    "lottery.respondent_declined": _("Selected person declined"),
    "lottery.respondent_withdrawn": _("Member dropped out"),
    "recruitment.unselected_erased": _("Respondents not selected erased"),
    "respondent.erased": _("Respondent erased"),
    "respondent.exported": _("Respondent's data exported"),
    "respondent.pool_imported": _("Pool imported"),
    "respondent.registered": _("Respondent registered"),
}
