"""Recommendations' permission names (the vocabulary of ``assemblies.rules``)."""

from __future__ import annotations

import rules

from assemblies.rules import is_facilitator, is_member, is_organiser, is_superuser, is_viewer

# Read drafts, amendments, ballots and turnout in the admin.
VIEW_RECOMMENDATIONS = "recommendations.view_recommendations"
# Set up working groups, recommendations, ballots; open and close ballots; publish translations.
MANAGE_RECOMMENDATIONS = "recommendations.manage_recommendations"
# Hide a comment with a reason; record an assisted (paper) vote.
MODERATE = "recommendations.moderate"
# Members: comment, amend, support, vote (in their own assembly's portal).
TAKE_PART = "recommendations.take_part"

rules.add_perm(VIEW_RECOMMENDATIONS, is_superuser | is_viewer)
rules.add_perm(MANAGE_RECOMMENDATIONS, is_superuser | is_organiser)
rules.add_perm(MODERATE, is_superuser | is_facilitator)
rules.add_perm(TAKE_PART, is_member)
