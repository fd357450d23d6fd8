"""Organiser admin of this part (imported by deliberation.admin)."""
