from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template import TemplateDoesNotExist
from django.utils.translation import gettext_lazy

from notifications.models import OutboxMessage, OutboxStatus
from notifications.services import mark_bounced, queue_email, queue_prerendered_email

pytestmark = pytest.mark.django_db

STAGE_CONTEXT = {
    "assembly_title": "Alpha Climate Assembly",
    "stage_label": "Deliberating",
    "url": "https://plenary.example/portal/alpha-climate/",
}


def test_queue_email_renders_and_sends_after_commit(
    django_capture_on_commit_callbacks: Any, mailoutbox: list[Any], assembly: Any, member: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        message = queue_email(
            to="ann@example.org",
            template="stage_changed",
            context=STAGE_CONTEXT,
            assembly=assembly,
            user=member,
        )
        # Nothing leaves before the caller's transaction commits.
        assert mailoutbox == []
        assert message.status == OutboxStatus.QUEUED

    assert len(callbacks) == 1
    message.refresh_from_db()
    assert message.status == OutboxStatus.SENT
    assert message.subject == "Alpha Climate Assembly: now Deliberating"
    assert "has moved to a new stage: Deliberating" in message.body_text
    assert STAGE_CONTEXT["url"] in message.body_text
    assert '<a href="https://plenary.example/portal/alpha-climate/"' in message.body_html
    [email] = mailoutbox
    assert email.to == ["ann@example.org"]
    assert email.subject == message.subject
    assert email.extra_headers["Message-ID"] == message.message_id
    assert email.message()["Message-ID"] == message.message_id
    assert email.alternatives[0][1] == "text/html"


def test_rolled_back_transaction_sends_nothing(
    django_capture_on_commit_callbacks: Any, mailoutbox: list[Any]
) -> None:
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        queue_email(to="ann@example.org", template="stage_changed", context=STAGE_CONTEXT)
        raise RuntimeError("the request failed after queueing")

    assert callbacks == []
    assert mailoutbox == []
    assert not OutboxMessage.objects.exists()


def test_html_escapes_context_but_text_does_not(django_capture_on_commit_callbacks: Any) -> None:
    message = queue_email(
        to="ann@example.org",
        template="stage_changed",
        context={**STAGE_CONTEXT, "assembly_title": "Rivers & <Roads>"},
    )
    assert message.subject == "Rivers & <Roads>: now Deliberating"
    assert "“Rivers & <Roads>”" in message.body_text
    assert "Rivers &amp; &lt;Roads&gt;" in message.body_html


def test_renders_in_the_recipients_language(django_capture_on_commit_callbacks: Any) -> None:
    # Django's own catalogue translates "Yes"; Plenary's French catalogue is
    # made later with makemessages, so this asserts the mechanism: lazy
    # values and the layout render inside translation.override("fr").
    message = queue_email(
        to="ann@example.org",
        template="stage_changed",
        context={**STAGE_CONTEXT, "stage_label": gettext_lazy("Yes")},
        language="fr",
    )
    assert message.language == "fr"
    assert '<html lang="fr">' in message.body_html
    assert "Oui" in message.subject
    assert "Oui" in message.body_text
    # The stored context is plain JSON, as the caller's language saw it.
    message.refresh_from_db()
    assert message.context["stage_label"] == "Yes"


def test_unknown_language_falls_back_to_the_default() -> None:
    message = queue_prerendered_email(to="ann@example.org", subject="Hi", text="Hello", language="xx")
    assert message.language == "en"


def test_missing_template_fails_in_the_request() -> None:
    with pytest.raises(TemplateDoesNotExist):
        queue_email(to="ann@example.org", template="no_such_email", context={})
    assert not OutboxMessage.objects.exists()


def test_invalid_address_is_refused() -> None:
    with pytest.raises(ValidationError):
        queue_prerendered_email(to="not an address", subject="Hi", text="Hello")


def test_prerendered_email_is_sent_as_given(
    django_capture_on_commit_callbacks: Any, mailoutbox: list[Any]
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        message = queue_prerendered_email(
            to="ann@example.org",
            subject="Your login code\r\nBcc: evil@example.org",
            text="Your code is 123456",
            html="<p>Your code is <b>123456</b></p>",
            language="fr",
            template="account/email/login_code",
        )
    message.refresh_from_db()
    assert message.status == OutboxStatus.SENT
    # A newline in a subject would be a header injection.
    assert message.subject == "Your login code Bcc: evil@example.org"
    [email] = mailoutbox
    assert email.body == "Your code is 123456"
    assert email.alternatives[0][0] == "<p>Your code is <b>123456</b></p>"


def test_message_ids_are_stable_and_unique() -> None:
    first = queue_prerendered_email(to="ann@example.org", subject="a", text="a")
    second = queue_prerendered_email(to="ann@example.org", subject="b", text="b")
    assert first.message_id != second.message_id
    assert first.message_id.startswith("<") and first.message_id.endswith("@plenary.localhost>")
    first.refresh_from_db()
    assert first.message_id == OutboxMessage.objects.get(pk=first.pk).message_id


def test_mark_bounced_matches_our_id_the_providers_id_or_the_row() -> None:
    ours = queue_prerendered_email(to="a@example.org", subject="a", text="a")
    theirs = queue_prerendered_email(to="b@example.org", subject="b", text="b")
    by_row = queue_prerendered_email(to="c@example.org", subject="c", text="c")
    untouched = queue_prerendered_email(to="d@example.org", subject="d", text="d")
    OutboxMessage.objects.filter(pk=theirs.pk).update(provider_message_id="esp-42")

    assert mark_bounced(ours.message_id.strip("<>")) == 1
    assert mark_bounced("esp-42", reason="bounced: invalid") == 1
    assert mark_bounced(outbox_id=by_row.pk) == 1
    assert mark_bounced("") == 0

    statuses = dict(OutboxMessage.objects.values_list("pk", "status"))
    assert statuses[ours.pk] == statuses[theirs.pk] == statuses[by_row.pk] == OutboxStatus.BOUNCED
    assert statuses[untouched.pk] == OutboxStatus.QUEUED


def test_anymail_bounce_webhook_marks_the_row_bounced() -> None:
    from anymail.signals import AnymailTrackingEvent, tracking

    message = queue_prerendered_email(to="ann@example.org", subject="a", text="a")
    delivered = queue_prerendered_email(to="bob@example.org", subject="b", text="b")
    for event_type, target in (("bounced", message), ("delivered", delivered)):
        event = AnymailTrackingEvent(
            event_type=event_type,
            message_id="unknown-to-us",
            metadata={"outbox_id": str(target.pk)},
            recipient=target.recipient,
            reject_reason="bounced",
            description="550 5.1.1 <ann@example.org>: mailbox unknown",
        )
        tracking.send(sender=object, event=event, esp_name="Postmark")

    message.refresh_from_db()
    delivered.refresh_from_db()
    assert message.status == OutboxStatus.BOUNCED
    assert message.last_error == "Postmark bounced: bounced"
    assert "@" not in message.last_error
    assert delivered.status == OutboxStatus.QUEUED
