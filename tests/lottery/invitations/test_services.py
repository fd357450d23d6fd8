"""Import, draw and letters through the services (tasks run inline)."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db.models import Count

from assemblies.models import AuditEvent
from jobs.models import Job, JobStatus
from jobs.services import JobSuperseded, job_restart
from lottery.invitations import addresses as pure
from lottery.invitations import services
from lottery.invitations.services import address_import
from lottery.models import CODE_ALPHABET, CODE_LENGTH, Address, Invitation, LetterBatch

from .conftest import address_csv, csv_file


def test_import_keeps_good_rows_and_reports_bad_ones(round_factory: Any) -> None:
    round = round_factory("address1,postcode\n1 High St,AB1\n,AB2\n3 High St,AB3\n")
    assert round.import_status == JobStatus.DONE
    assert (round.rows_read, round.rows_imported, round.rows_rejected) == (3, 2, 1)
    assert round.import_errors == [[3, "The address line 1 is empty."]]
    assert list(Address.objects.filter(round=round).values_list("line_number", flat=True)) == [2, 4]
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"lottery.addresses_uploaded", "lottery.addresses_imported"} <= actions


def test_import_of_non_utf8_rows(round_factory: Any) -> None:
    round = round_factory("address1\n1 High St\nCaf\xe9 Street\n".encode("latin-1"))
    assert round.rows_imported == 1
    assert round.import_errors[0][0] == 3 and "UTF-8" in round.import_errors[0][1]


def test_import_again_does_not_duplicate(round_factory: Any, django_capture_on_commit_callbacks: Any) -> None:
    round = round_factory(address_csv(30))
    # A crashed worker: running, silent for long.
    Job.objects.filter(pk=round.import_job_id).update(status=JobStatus.RUNNING, heartbeat_at=None)
    services.invitation_round_import_run(round_id=round.pk)
    round.refresh_from_db()
    assert round.rows_imported == 30 and Address.objects.filter(round=round).count() == 30
    assert round.import_job.status == JobStatus.DONE


def test_a_running_import_is_not_started_twice(round_factory: Any) -> None:
    from django.utils import timezone

    round = round_factory(address_csv(10))
    # A live worker is on it.
    Job.objects.filter(pk=round.import_job_id).update(status=JobStatus.RUNNING, heartbeat_at=timezone.now())
    services.invitation_round_import_run(round_id=round.pk)
    assert Address.objects.filter(round=round).count() == 10  # untouched


def test_a_superseded_import_never_inserts_after_a_newer_run_started(
    round_factory: Any, organiser: Any, django_capture_on_commit_callbacks: Any
) -> None:
    round = round_factory(address_csv(10))
    job = round.import_job
    job_restart(job)
    claimed = address_import._claim_import(round.pk)
    assert claimed is not None
    _, old_token = claimed
    # The old worker went silent; the organiser starts the import again and a new run claims the job.
    Job.objects.filter(pk=job.pk).update(heartbeat_at=None)
    with django_capture_on_commit_callbacks(execute=False):
        services.invitation_round_import_restart(round=round, by=organiser)
    new = address_import._claim_import(round.pk)
    assert new is not None and new[1] != old_token
    rows = [(round.assembly_id, round.pk, 99, "late row", "", "", "", "")]
    reader = pure.AddressReader(io.StringIO("address1\n"))
    with pytest.raises(JobSuperseded):
        address_import._write_batch(round, job.pk, old_token, rows, reader, 1, 10)
    assert not Address.objects.filter(round=round).exists()  # the new run started afresh: nothing late


def test_a_stale_import_is_published_again_with_its_round(round_factory: Any) -> None:
    from datetime import timedelta
    from unittest import mock

    from django.utils import timezone

    from jobs.tasks import requeue_stale_jobs

    round = round_factory(address_csv(5))
    Job.objects.filter(pk=round.import_job_id).update(
        status=JobStatus.RUNNING, heartbeat_at=timezone.now() - timedelta(hours=1)
    )
    with mock.patch("jobs.tasks.current_app.send_task") as send:
        assert requeue_stale_jobs() == 1
    send.assert_called_once_with("lottery.invitations.tasks.import_addresses", args=[round.pk])


def test_a_broker_error_at_upload_leaves_the_import_queued(
    assembly: Any, organiser: Any, django_capture_on_commit_callbacks: Any, monkeypatch: Any
) -> None:
    from lottery.invitations.tasks import import_addresses
    from lottery.models import InvitationRound

    def broker_down(*args: Any, **kwargs: Any) -> None:
        raise ConnectionError("broker down")

    monkeypatch.setattr(import_addresses, "delay", broker_down)
    round = InvitationRound(assembly=assembly, name="x", address_file=csv_file(address_csv(3)))
    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_round_upload(round=round, by=organiser)
    round.refresh_from_db()
    # Saved and waiting: the beat job publishes it again.
    assert round.import_job.status == JobStatus.QUEUED and round.import_job.target_id == round.pk


def test_too_long_fields_and_wrong_width_reported(round_factory: Any) -> None:
    round = round_factory(f"address1,town\n{'x' * 201},T\nok,T,extra\nok,T\n")
    assert round.rows_imported == 1
    assert [e[0] for e in round.import_errors] == [2, 3]
    assert "longer than 200" in round.import_errors[0][1]


def test_large_file_is_streamed_in_batches(round_factory: Any, monkeypatch: Any) -> None:
    monkeypatch.setattr(address_import, "IMPORT_BATCH_ROWS", 1000)
    round = round_factory(address_csv(5500))
    job = round.import_job
    assert round.rows_imported == 5500 and job.done == job.total > 0 and job.percent == 100
    assert job.details == {"rows_read": 5500, "rows_imported": 5500, "rows_rejected": 0}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "The file is empty."),
        ("street,zip\n1 High St,AB1\n", "no address column"),
        ("address1\n", "no addresses below"),
    ],
)
def test_upload_refuses_bad_files_in_plain_words(
    assembly: Any, organiser: Any, content: str, message: str
) -> None:
    from lottery.models import InvitationRound

    round = InvitationRound(assembly=assembly, name="x", address_file=csv_file(content))
    with pytest.raises(ValidationError, match=message):
        services.invitation_round_upload(round=round, by=organiser)
    assert not InvitationRound.objects.exists()


def test_draw_is_reproducible_and_codes_are_unique(round_factory: Any, organiser: Any) -> None:
    round = round_factory(address_csv(200))
    assert services.invitation_round_draw(round=round, size=50, seed="abc", by=organiser) == 50
    drawn = list(Invitation.objects.filter(round=round).values_list("address__line_number", flat=True))
    assert round.draw_seed == "abc" and round.draw_size == 50
    assert list(Invitation.objects.filter(round=round).values_list("sequence", flat=True)) == list(
        range(1, 51)
    )
    codes = list(Invitation.objects.values_list("code", flat=True))
    assert len(set(codes)) == 50
    assert all(len(c) == CODE_LENGTH and set(c) <= set(CODE_ALPHABET) for c in codes)
    # The same seed over the same file picks the same lines.
    again = round_factory(address_csv(200))
    services.invitation_round_draw(round=again, size=50, seed="abc", by=organiser)
    assert (
        list(Invitation.objects.filter(round=again).values_list("address__line_number", flat=True)) == drawn
    )


def test_draw_without_seed_records_one(round_factory: Any, organiser: Any) -> None:
    round = round_factory(address_csv(20))
    services.invitation_round_draw(round=round, size=5, by=organiser)
    assert len(round.draw_seed) == 32


def test_second_draw_refused(round_factory: Any, organiser: Any) -> None:
    round = round_factory(address_csv(20))
    services.invitation_round_draw(round=round, size=5, by=organiser)
    with pytest.raises(ValidationError, match="drawn only once"):
        services.invitation_round_draw(round=round, size=5, by=organiser)
    assert Invitation.objects.count() == 5


def test_draw_larger_than_the_file_refused(round_factory: Any, organiser: Any) -> None:
    round = round_factory(address_csv(20))
    with pytest.raises(ValidationError, match="only 20"):
        services.invitation_round_draw(round=round, size=21, by=organiser)
    assert Invitation.objects.count() == 0


def test_draw_per_region(round_factory: Any, organiser: Any) -> None:
    round = round_factory(address_csv(100, regions=("north", "south", "east")), region_column="Region")
    services.invitation_round_draw(round=round, per_region={"north": 4, "south": "2"}, seed="x", by=organiser)
    counts = dict(
        Invitation.objects.filter(round=round).values_list("address__region").annotate(n=Count("id"))
    )
    assert counts == {"north": 4, "south": 2}
    other = round_factory(address_csv(100), region_column="Region")
    with pytest.raises(ValidationError, match="not in the file: “west”"):
        services.invitation_round_draw(round=other, per_region={"west": 1}, by=organiser)


def draw_and_letters(round_factory: Any, organiser: Any, capture: Any, n: int, chunk: int) -> Any:
    round = round_factory(
        "address1,town,postcode\n"
        + "".join(f"{i} High St,Town,AB{i}\n" for i in range(1, n))
        + '=HYPERLINK("http://evil"),Town,AB\n'
    )
    services.invitation_round_draw(round=round, size=n, seed="s", by=organiser)
    with capture(execute=True):
        services.invitation_round_letters_start(round=round, by=organiser, chunk_size=chunk)
    round.refresh_from_db()
    return round


def test_letters_pdfs_and_print_csv(
    round_factory: Any, organiser: Any, django_capture_on_commit_callbacks: Any
) -> None:
    round = draw_and_letters(round_factory, organiser, django_capture_on_commit_callbacks, n=5, chunk=3)
    assert round.letters_job.status == JobStatus.DONE and (
        round.letters_job.done,
        round.letters_job.total,
    ) == (5, 5)
    batches = list(LetterBatch.objects.filter(round=round).order_by("number"))
    assert [b.pages for b in batches] == [3, 2]
    with batches[0].pdf.open("rb") as f:
        assert f.read(5) == b"%PDF-"
    assert all(len(b.sha256) == 64 for b in batches)
    rows = list(csv.reader(io.StringIO("".join(services.csv_lines(services.print_house_rows(round))))))
    assert rows[0][:2] == ["letter_number", "code"]
    assert rows[-1][2] == '\'=HYPERLINK("http://evil")'
    assert [r[0] for r in rows[1:]] == ["1", "2", "3", "4", "5"]
    buf = io.BytesIO()
    assert services.write_letters_zip(round, buf) == 2


def test_letter_has_code_and_qr(assembly: Any, monkeypatch: Any, settings: Any) -> None:
    import base64

    from PIL import Image

    from lottery.invitations import letters as module

    settings.SITE_URL = "https://plenary.example.org"
    uri = module.qr_data_uri("https://plenary.example.org/register/?code=ACDEFGHJ")
    assert uri.startswith("data:image/png;base64,")
    image = Image.open(io.BytesIO(base64.b64decode(uri.split(",", 1)[1])))
    side = image.size[0]
    assert image.size == (side, side) and (side - 4 - 17) % 4 == 0  # a QR version with a 2-module border
    seen: list[str] = []
    real_render = module.render_document
    monkeypatch.setattr(module, "render_document", lambda html: seen.append(html) or real_render(html))
    out = io.BytesIO()
    pages = module.render_letters(
        assembly=assembly,
        letters=[
            module.Letter(1, "ACDEFGHJ", ["1 High St"]),
            module.Letter(2, "KMNPQRTU", ["2 <b>Low</b> St"]),
        ],
        target=out,
    )
    assert pages == 2 and out.getvalue().startswith(b"%PDF")
    html = seen[0]
    assert html.count('class="letter__qr" src="data:image/png;base64,') == 2
    assert "ACDEFGHJ" in html and "https://plenary.example.org/register/" in html
    assert assembly.remit in html and "&lt;b&gt;Low" in html  # addresses are escaped


def test_letter_language_follows_the_assembly(assembly: Any) -> None:
    from lottery.invitations.letters import letter_language

    assembly.languages = ["fr", "en"]
    assert letter_language(assembly) == "fr"


@pytest.mark.requires_postgres
def test_import_uses_copy_on_postgres(round_factory: Any) -> None:
    round = round_factory(address_csv(12_345))
    assert round.rows_imported == 12_345
    assert Address.objects.filter(round=round).count() == 12_345
