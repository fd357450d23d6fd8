"""Who may do what in recruitment and selection (predicates from assemblies.rules)."""

from __future__ import annotations

import rules

from assemblies.rules import is_organiser, is_owner, is_superuser, is_viewer

# Seeing names and demographic answers of respondents: special-category data.
# The same predicate as assemblies.see_demographics: owners and organisers only.
rules.add_perm("lottery.see_respondents", is_superuser | is_organiser)
# Invitation rounds, letters, registration settings, quotas.
rules.add_perm("lottery.manage_recruitment", is_superuser | is_organiser)
# Start selection runs, publish commitments, draw, replace.
rules.add_perm("lottery.run_selection", is_superuser | is_organiser)
# Aggregates (pool counts per feature, feasibility, run results without names).
rules.add_perm("lottery.view_recruitment", is_superuser | is_viewer)
# Close replacements (starts the retention clock for erasure).
rules.add_perm("lottery.finalise_panel", is_superuser | is_owner | is_organiser)
