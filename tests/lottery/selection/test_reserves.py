"""Issue 9, item 17: a vacant seat goes to the first reserve (in reserve order)
who keeps every quota; a reserve who would break one is skipped, and says why;
only when no reserve fits does a replacement draw fill the seat."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from assemblies.actors import SYSTEM
from assemblies.models import AuditEvent
from lottery.models import Answer, DrawStatus, Feature, Respondent, RespondentStatus, SelectionRun
from lottery.selection import services
from notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db


def _tight_quotas(assembly: Any) -> None:
    """Every quota exactly as the drawn panel is: after one person leaves, only
    someone with their very answers keeps every quota."""
    seats = Counter(
        Answer.objects.filter(assembly=assembly, respondent__status=RespondentStatus.SELECTED).values_list(
            "feature_id", flat=True
        )
    )
    for feature in Feature.objects.filter(assembly=assembly):
        feature.min_seats = feature.max_seats = seats[feature.pk]
        feature.save(update_fields=["min_seats", "max_seats"])


def _answer_like(respondent: Respondent, model: Respondent) -> None:
    for answer in model.answers.all():
        Answer.objects.filter(respondent=respondent, category=answer.category).update(feature=answer.feature)


def _answer_unlike(respondent: Respondent, model: Respondent) -> Feature:
    """Give ``respondent`` ``model``'s answers except for gender; return the
    gender they get instead (which the tight quotas cannot take)."""
    _answer_like(respondent, model)
    theirs = model.answers.select_related("feature", "category").get(category__name="gender").feature
    other = Feature.objects.filter(category=theirs.category).exclude(pk=theirs.pk).order_by("pk").first()
    Answer.objects.filter(respondent=respondent, category=theirs.category).update(feature=other)
    return other


def _reserves(assembly: Any) -> list[Respondent]:
    return list(
        Respondent.objects.filter(assembly=assembly, status=RespondentStatus.RESERVE).order_by(
            "reserve_position"
        )
    )


def _selected(assembly: Any) -> Respondent:
    return Respondent.objects.filter(assembly=assembly, status=RespondentStatus.SELECTED).order_by("pk")[0]


def test_a_decline_goes_to_the_first_reserve_who_keeps_every_quota_and_skips_one_who_would_not(
    drawn_run: SelectionRun, assembly: Any, organiser_client: Any, client: Any
) -> None:
    _tight_quotas(assembly)
    leaving = _selected(assembly)
    first, second, *_rest = _reserves(assembly)
    wrong = _answer_unlike(first, leaving)
    _answer_like(second, leaving)

    services.respondent_decline(token=leaving.confirm_token, by=SYSTEM)

    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == RespondentStatus.RESERVE and first.reserve_position == 1
    assert second.status == RespondentStatus.SELECTED and second.confirm_token
    assert second.reserve_position is None
    assert OutboxMessage.objects.filter(recipient=second.email, template="selected").count() == 1
    assert not SelectionRun.objects.filter(kind="replacement").exists()
    event = AuditEvent.objects.get(action="lottery.reserve_called")
    assert event.data["replaces"] == leaving.pseudonym and event.data["reserve"] == second.pseudonym
    assert event.data["position"] == 2
    assert [s["reserve"] for s in event.data["skipped"]] == [first.pseudonym]
    # The organisers' screen and the public page say what happened, and why no. 1 was passed over.
    wrong.refresh_from_db()
    reason = f"Gender: {wrong.label} would have {wrong.max_seats + 1} seats (at most {wrong.max_seats})"
    page = organiser_client.get(
        reverse("admin:lottery_selectionrun_assembly", args=[assembly.pk])
    ).content.decode()
    assert f"Offered to reserve no. 2 ({second.pseudonym})" in page and reason in page
    public = client.get(reverse("lottery:selection_public", args=[assembly.slug])).content.decode()
    assert "Reserve no. 2" in public and second.pseudonym in public and reason in public
    assert leaving.pseudonym not in public.split("Replacements")[1]  # who left is not published


def test_a_drop_out_is_offered_to_a_reserve_too(
    drawn_run: SelectionRun, assembly: Any, organiser: Any
) -> None:
    leaving = _selected(assembly)
    first = _reserves(assembly)[0]
    _answer_like(first, leaving)

    services.respondent_withdraw(respondent=leaving, by=organiser)

    first.refresh_from_db()
    assert first.status == RespondentStatus.SELECTED


def test_when_no_reserve_fits_the_seat_waits_for_a_replacement_draw(
    drawn_run: SelectionRun,
    assembly: Any,
    organiser: Any,
    client: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    _tight_quotas(assembly)
    leaving = _selected(assembly)
    for reserve in _reserves(assembly):
        _answer_unlike(reserve, leaving)

    services.respondent_decline(token=leaving.confirm_token, by=SYSTEM)

    assert Respondent.objects.filter(assembly=assembly, status=RespondentStatus.RESERVE).count() == 5
    event = AuditEvent.objects.get(action="lottery.no_reserve_fits")
    assert len(event.data["skipped"]) == 5
    with pytest.raises(ValidationError, match="No reserve keeps every quota"):
        services.reserve_call(respondent=leaving, by=organiser)
    # Someone in the pool with the leaver's answers exists (the quotas are met
    # by a panel of this pool), so the replacement draw can fill the seat.
    registered = Respondent.objects.filter(assembly=assembly, status=RespondentStatus.REGISTERED).first()
    _answer_like(registered, leaving)
    with django_capture_on_commit_callbacks(execute=True):
        run = services.replacement_start(respondent=leaving, by=organiser)
    run.refresh_from_db()
    assert run.status == DrawStatus.COMPUTED, run.error
    # The public page lists published replacement draws only: until this one's
    # commitment is published, the seat reads as not yet filled (it said "a
    # replacement draw (below)" with none below).
    url = reverse("lottery:selection_public", args=[assembly.slug])
    public = client.get(url).content.decode()
    assert "Not yet filled" in public and "A replacement draw (below)" not in public
    assert f"?run={run.pk}" not in public
    services.selection_publish_commitment(run=run, randomness_source="two dice at the meeting", by=organiser)
    public = client.get(url).content.decode()
    assert "A replacement draw (below)" in public and "Not yet filled" not in public
    assert f"?run={run.pk}" in public


def test_a_replacement_draw_is_refused_while_a_reserve_fits(
    drawn_run: SelectionRun, assembly: Any, organiser: Any
) -> None:
    leaving = _selected(assembly)
    services.respondent_withdraw(respondent=leaving, by=organiser)  # a reserve takes it
    second = _selected(assembly)
    # Finalise nothing; empty a seat without the service (as before this rule existed).
    Respondent.objects.filter(pk=second.pk).update(status=RespondentStatus.DECLINED)
    first_fit = _reserves(assembly)[0]
    _answer_like(first_fit, second)
    with pytest.raises(ValidationError, match="keeps every quota: offer them the seat"):
        services.replacement_start(respondent=second, by=organiser)
    reserve = services.reserve_call(respondent=second, by=organiser)
    assert reserve.status == RespondentStatus.SELECTED


def test_once_the_panel_is_final_nobody_is_called(
    drawn_run: SelectionRun, assembly: Any, organiser: Any
) -> None:
    services.panel_finalise(assembly=assembly, by=organiser)
    leaving = _selected(assembly)
    _answer_like(_reserves(assembly)[0], leaving)

    services.respondent_decline(token=leaving.confirm_token, by=SYSTEM)

    assert Respondent.objects.filter(assembly=assembly, status=RespondentStatus.RESERVE).count() == 5
