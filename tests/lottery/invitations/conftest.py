from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from lottery.invitations import services
from lottery.models import InvitationRound


def csv_file(text: str | bytes, name: str = "addresses.csv") -> SimpleUploadedFile:
    data = text.encode() if isinstance(text, str) else text
    return SimpleUploadedFile(name, data, content_type="text/csv")


def make_round(
    assembly: Any, by: Any, text: str | bytes, *, region_column: str = "", capture: Any
) -> InvitationRound:
    round = InvitationRound(
        assembly=assembly, name="Spring letters", address_file=csv_file(text), region_column=region_column
    )
    with capture(execute=True):
        services.invitation_round_upload(round=round, by=by)
    round.refresh_from_db()
    return round


def address_csv(n: int, regions: tuple[str, ...] = ("north", "south")) -> str:
    lines = ["Address1,Town,Postcode,Region"]
    lines += [
        f"{i} High Street,Town {i % 7},AB{i % 90} 1CD,{regions[i % len(regions)]}" for i in range(1, n + 1)
    ]
    return "\n".join(lines) + "\n"


@pytest.fixture
def round_factory(assembly: Any, organiser: Any, django_capture_on_commit_callbacks: Any) -> Any:
    def make(text: str | bytes, region_column: str = "") -> InvitationRound:
        return make_round(
            assembly, organiser, text, region_column=region_column, capture=django_capture_on_commit_callbacks
        )

    return make
