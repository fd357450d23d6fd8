"""Stage 2 writes, one module per workflow: ``registration`` (with a code),
``pool_import``, ``export`` (a respondent's own data), ``erasure`` (at their
request, and everyone not selected once the panel is final) and ``quotas``
(recruitment settings, proposed seats).

Every service that takes ``by`` authorises it (``assemblies.actors``): public
flows and the beat job pass SYSTEM. Personal data never reaches logs or audit
events: respondents appear there by pseudonym and counts only.
"""

from __future__ import annotations

from .erasure import UNSELECTED_STATUSES, ErasureReport, erase_unselected, respondent_erase
from .export import RespondentExport, respondent_export
from .pool_import import ImportReport, RowError, pool_import
from .pool_import_jobs import (
    pool_import_confirm,
    pool_import_files_expire,
    pool_import_run,
    pool_import_start,
)
from .quotas import category_propose_seats, prefer_not_to_say_feature, recruitment_settings
from .registration import CodeAlreadyUsed, RegistrationClosed, respondent_register

__all__ = [
    "UNSELECTED_STATUSES",
    "CodeAlreadyUsed",
    "ErasureReport",
    "ImportReport",
    "RegistrationClosed",
    "RespondentExport",
    "RowError",
    "category_propose_seats",
    "erase_unselected",
    "pool_import",
    "pool_import_confirm",
    "pool_import_files_expire",
    "pool_import_run",
    "pool_import_start",
    "prefer_not_to_say_feature",
    "recruitment_settings",
    "respondent_erase",
    "respondent_export",
    "respondent_register",
]
