"""Advocacy admin: each part registers its own here."""
