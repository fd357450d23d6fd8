"""Advocacy's permission names (the vocabulary of ``assemblies.rules``)."""

from __future__ import annotations

import rules

from assemblies.rules import is_member, is_organiser, is_superuser, is_viewer

# Read the tracker, stakeholders, tactics and media in the admin (internal notes included).
VIEW_ADVOCACY = "advocacy.view_advocacy"
# Record responses and milestones, import the tracker, manage stakeholders, tactics, affiliates, media.
MANAGE_ADVOCACY = "advocacy.manage_advocacy"
# Members: rate responses, act as spokespeople, answer media requests.
CARRY_FORWARD = "advocacy.carry_forward"

rules.add_perm(VIEW_ADVOCACY, is_superuser | is_viewer)
rules.add_perm(MANAGE_ADVOCACY, is_superuser | is_organiser)
rules.add_perm(CARRY_FORWARD, is_member)
