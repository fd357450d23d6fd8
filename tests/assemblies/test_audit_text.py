"""Audit details read as words, never as Python reprs (issue 9, item 19)."""

from __future__ import annotations

from assemblies.models import AuditEvent


def _details(action: str, data: dict) -> str:
    return AuditEvent(action=action, data=data).details_text


def test_nested_details_are_words_not_python_reprs() -> None:
    text = _details(
        "invitations.drawn",
        {"size": 40, "per_region": {"coast": 10, "rural": 10}, "seed": "northshire-2026", "dry": False},
    )
    assert text == "dry: no; per region: coast 10, rural 10; seed: northshire-2026; size: 40"
    for python in ("{", "}", "[", "]", "'", "False", "None"):
        assert python not in text


def test_long_lists_are_shortened_and_numbers_grouped() -> None:
    pseudonyms = [f"P-{i:04d}" for i in range(30)]
    text = _details("selection.drawn", {"selected": pseudonyms, "rows_imported": 1500, "note": None})
    assert text == (
        "note: —; rows imported: 1,500; selected: P-0000, P-0001, P-0002, P-0003, P-0004 and 25 more"
    )


def test_stage_moves_and_changed_fields_keep_their_wording() -> None:
    assert _details("assembly.stage_changed", {"from": "recruiting", "to": "selecting"}) == (
        "Recruiting → Selecting"
    )
    assert _details("admin.changed", {"fields": ["title", "remit"]}) == "title, remit"
