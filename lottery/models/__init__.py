"""Recruitment and selection: invitation rounds, respondents, quotas, draws.

Every row reaches its Assembly in one hop (``assembly``). Respondent rows hold
special-category personal data (demographic answers): they are read only
through ``lottery.selectors`` by people with ``assemblies.see_personal_data``,
and erased once the panel is final (``lottery.services.erase_unselected``).
"""

from .imports import PoolImport
from .invitations import (
    CODE_ALPHABET,
    CODE_LENGTH,
    Address,
    Invitation,
    InvitationRound,
    JobStatus,
    LetterBatch,
    new_pseudonym,
    new_registration_code,
)
from .pool import (
    PREFER_NOT_TO_SAY,
    Answer,
    Category,
    Feature,
    RecruitmentSettings,
    Respondent,
    RespondentSource,
    RespondentStatus,
)
from .selection import DrawStatus, RunKind, SelectionRun

__all__ = [
    "CODE_ALPHABET",
    "CODE_LENGTH",
    "PREFER_NOT_TO_SAY",
    "Address",
    "Answer",
    "Category",
    "DrawStatus",
    "Feature",
    "Invitation",
    "InvitationRound",
    "JobStatus",
    "LetterBatch",
    "PoolImport",
    "RecruitmentSettings",
    "Respondent",
    "RespondentSource",
    "RespondentStatus",
    "RunKind",
    "SelectionRun",
    "new_pseudonym",
    "new_registration_code",
]
