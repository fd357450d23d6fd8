"""Deliberation's permission names (the vocabulary of ``assemblies.rules``).

Organisers plan the programme; facilitators (team members with the
facilitator role) run the day from their phones in the portal: check-in,
table outputs, members' questions; members use the portal (``USE_PORTAL``).
"""

from __future__ import annotations

import rules

from assemblies.rules import is_facilitator, is_organiser, is_superuser, is_viewer

# Read the programme, table plans and attendance figures in the admin.
VIEW_PROGRAMME = "deliberation.view_programme"
# Plan sessions, agenda, speakers, evidence, table plans; send announcements.
MANAGE_PROGRAMME = "deliberation.manage_programme"
# Check members in, record table outputs, order members' questions.
FACILITATE = "deliberation.facilitate"
# Approve and pay members' expenses and stipends, export them for finance.
MANAGE_STIPENDS = "deliberation.manage_stipends"

rules.add_perm(VIEW_PROGRAMME, is_superuser | is_viewer)
rules.add_perm(MANAGE_PROGRAMME, is_superuser | is_organiser)
rules.add_perm(FACILITATE, is_superuser | is_facilitator)
rules.add_perm(MANAGE_STIPENDS, is_superuser | is_organiser)
