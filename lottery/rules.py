"""Who may do what in recruitment and selection (predicates from assemblies.rules).

Names and demographic answers of respondents are ``assemblies.rules.SEE_PERSONAL_DATA``,
the one permission for personal data across apps.
"""

from __future__ import annotations

import rules

from assemblies.rules import is_organiser, is_owner, is_superuser, is_viewer

# Aggregates (pool counts per feature, feasibility, run results without names).
VIEW_RECRUITMENT = "lottery.view_recruitment"
# Invitation rounds, letters, registration settings, quotas.
MANAGE_RECRUITMENT = "lottery.manage_recruitment"
# Start selection runs, publish commitments, draw, replace.
RUN_SELECTION = "lottery.run_selection"
# Close replacements (starts the retention clock for erasure).
FINALISE_PANEL = "lottery.finalise_panel"

rules.add_perm(VIEW_RECRUITMENT, is_superuser | is_viewer)
rules.add_perm(MANAGE_RECRUITMENT, is_superuser | is_organiser)
rules.add_perm(RUN_SELECTION, is_superuser | is_organiser)
rules.add_perm(FINALISE_PANEL, is_superuser | is_owner | is_organiser)
