"""Progress reports' part of advocacy.plugin: the columns every progress
report gets from the tracker."""

from __future__ import annotations


def register() -> None:
    from .rows import register as register_rows

    register_rows()
