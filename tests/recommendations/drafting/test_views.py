"""The drafting pages as each persona sees them."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from recommendations.drafting import services
from recommendations.models import AmendmentState, Comment
from tests.factories import make_draft

pytestmark = pytest.mark.django_db


def url(name: str, d: Any, *args: Any) -> str:
    return reverse(f"portal:recommendations_{name}", args=[d.assembly.slug, d.draft.number, *args])


def test_members_and_organisers_read_the_drafts(client: Any, drafting: Any) -> None:
    for persona in (drafting.reader, drafting.organiser, drafting.facilitator):
        client.force_login(persona)
        listing = client.get(reverse("portal:recommendations_drafts", args=[drafting.assembly.slug]))
        assert listing.status_code == 200 and "Build more homes" in listing.content.decode()
        page = client.get(url("draft", drafting))
        assert page.status_code == 200
        assert "Second paragraph." in page.content.decode()


def test_the_portal_page_links_to_the_recommendations(client: Any, drafting: Any) -> None:
    client.force_login(drafting.reader)
    page = client.get(reverse("portal:assembly", args=[drafting.assembly.slug])).content.decode()
    assert reverse("portal:recommendations_drafts", args=[drafting.assembly.slug]) in page


def test_the_team_finds_the_drafts_from_their_portal_home(client: Any, drafting: Any) -> None:
    client.force_login(drafting.facilitator)
    page = client.get(reverse("portal:home")).content.decode()
    assert reverse("portal:recommendations_drafts", args=[drafting.assembly.slug]) in page


def test_another_assemblys_people_get_404_everywhere(
    client: Any, drafting: Any, other_member: Any, other_organiser: Any
) -> None:
    comment = services.comment_add(recommendation=drafting.draft, text="Hi", paragraph=1, by=drafting.reader)
    amendment = services.amendment_propose(
        recommendation=drafting.draft, paragraph=1, proposed="Changed.", explanation="", by=drafting.reader
    )
    urls = [
        reverse("portal:recommendations_drafts", args=[drafting.assembly.slug]),
        url("draft", drafting),
        url("edit", drafting),
        url("history", drafting),
        url("comment", drafting),
        url("comment_hide", drafting, comment.pk),
        url("amend", drafting) + "?paragraph=1",
        url("amendment", drafting, amendment.pk),
        url("amendment_support", drafting, amendment.pk),
        url("amendment_accept", drafting, amendment.pk),
    ]
    for persona in (other_member, other_organiser):
        client.force_login(persona)
        for address in urls:
            assert client.get(address).status_code == 404, address
            assert client.post(address, {"text": "x", "reason": "x"}).status_code == 404, address
    assert Comment.objects.count() == 1


def test_a_draft_page_renders_safe_markdown(client: Any, drafting: Any) -> None:
    draft = make_draft(drafting.assembly, title="Unsafe", text="Hi <script>alert(1)</script>\n\n**Bold**")
    client.force_login(drafting.reader)
    page = client.get(reverse("portal:recommendations_draft", args=[drafting.assembly.slug, draft.number]))
    body = page.content.decode()
    assert "<script>alert" not in body and "&lt;script&gt;" in body and "<strong>Bold</strong>" in body


def test_only_the_working_group_sees_and_uses_the_editor(client: Any, drafting: Any) -> None:
    client.force_login(drafting.reader)
    assert "Edit the draft" not in client.get(url("draft", drafting)).content.decode()
    assert client.get(url("edit", drafting)).status_code == 403
    client.force_login(drafting.writer)
    assert "Edit the draft" in client.get(url("draft", drafting)).content.decode()
    response = client.post(
        url("edit", drafting), {"title": "Build more homes", "text": "All new.", "base_version": 1}
    )
    assert response.status_code == 302
    drafting.draft.refresh_from_db()
    assert drafting.draft.text == "All new." and drafting.draft.version == 2


def test_the_second_editor_is_told_of_the_conflict_and_keeps_their_text(client: Any, drafting: Any) -> None:
    services.recommendation_save(
        recommendation=drafting.draft, data={"text": "Wendy rewrote it."}, base_version=1, by=drafting.writer
    )
    client.force_login(drafting.writer2)
    response = client.post(
        url("edit", drafting), {"title": "Build more homes", "text": "Walter's own words.", "base_version": 1}
    )
    body = response.content.decode()
    assert response.status_code == 409
    assert "Someone else saved this draft while you were editing" in body
    assert "Walter&#x27;s own words.</textarea>" in body  # kept in the form
    assert "Wendy has since saved version 2" in body and "<ins>" in body  # the other version, as a diff
    assert "wendy@example.org" not in body
    assert 'name="base_version" value="2"' in body
    drafting.draft.refresh_from_db()
    assert drafting.draft.text == "Wendy rewrote it."
    # Saving again from the form replaces it knowingly.
    client.post(
        url("edit", drafting), {"title": "Build more homes", "text": "Walter's own words.", "base_version": 2}
    )
    drafting.draft.refresh_from_db()
    assert drafting.draft.text == "Walter's own words." and drafting.draft.version == 3


def test_history_shows_every_version_and_a_word_diff(client: Any, drafting: Any) -> None:
    services.recommendation_save(
        recommendation=drafting.draft,
        data={"text": "First paragraph.\n\nSecond paragraph, longer.\n\nThird paragraph."},
        base_version=1,
        by=drafting.writer,
    )
    client.force_login(drafting.reader)
    body = client.get(url("history", drafting) + "?from=1&to=2").content.decode()
    assert "Version 1" in body and "Version 2" in body
    # Only the inserted ", longer" is marked: the word and its full stop stay as they were.
    assert 'paragraph<ins><span class="visually-hidden">added: </span>, longer</ins>.' in body
    assert "<del>" not in body and "1 word added, 0 words removed." in body
    assert client.get(url("history", drafting) + "?from=x&to=99").status_code == 200


def test_a_member_comments_on_a_paragraph_and_a_facilitator_hides_one(client: Any, drafting: Any) -> None:
    client.force_login(drafting.reader)
    form = client.get(url("comment", drafting) + "?paragraph=2").content.decode()
    assert "Comment on paragraph 2" in form and "Second paragraph." in form
    response = client.post(url("comment", drafting), {"paragraph": "2", "text": "Rude words here"})
    comment = Comment.objects.get()
    assert response.status_code == 302 and comment.paragraph == 2
    assert client.post(url("comment", drafting), {"paragraph": "", "text": ""}).status_code == 200
    assert client.get(url("comment_hide", drafting, comment.pk)).status_code == 403

    client.force_login(drafting.facilitator)
    assert client.post(url("comment_hide", drafting, comment.pk), {"reason": ""}).status_code == 200
    client.post(url("comment_hide", drafting, comment.pk), {"reason": "Please stay polite"})

    client.force_login(drafting.reader2)
    body = client.get(url("draft", drafting)).content.decode()
    assert "Rude words here" not in body
    assert "Hidden by the facilitators: Please stay polite" in body


def test_amendment_journey_through_the_pages(client: Any, drafting: Any) -> None:
    client.force_login(drafting.reader)
    assert client.get(url("amend", drafting)).status_code == 302  # no paragraph chosen
    form = client.get(url("amend", drafting) + "?paragraph=3").content.decode()
    assert "Third paragraph.</textarea>" in form
    client.post(
        url("amend", drafting) + "?paragraph=3",
        {"proposed": "Third paragraph, better.", "explanation": "Clearer"},
    )
    amendment = drafting.draft.amendments.get()
    client.force_login(drafting.reader2)
    client.post(url("amendment_support", drafting, amendment.pk))
    client.post(url("amendment_support", drafting, amendment.pk))  # twice: told, not counted
    page = client.get(url("amendment", drafting, amendment.pk)).content.decode()
    assert "1 member supports it." in page and "You are one of them." in page
    assert client.post(url("amendment_accept", drafting, amendment.pk)).status_code == 302
    amendment.refresh_from_db()
    assert amendment.state == AmendmentState.PROPOSED  # a reader cannot accept
    assert client.get(url("amendment_accept", drafting, amendment.pk)).status_code == 405

    client.force_login(drafting.writer)
    client.post(url("amendment_accept", drafting, amendment.pk))
    amendment.refresh_from_db()
    drafting.draft.refresh_from_db()
    assert amendment.state == AmendmentState.ACCEPTED
    assert drafting.draft.text.endswith("Third paragraph, better.")
    history = client.get(url("history", drafting)).content.decode()
    assert "Amendment by Alpha Member" in history and ", better</ins>." in history


def _count(client: Any, address: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(address).status_code == 200
    return len(captured)


def test_query_counts_do_not_grow_with_drafts_or_comments(client: Any, drafting: Any) -> None:
    client.force_login(drafting.reader)
    listing = reverse("portal:recommendations_drafts", args=[drafting.assembly.slug])
    services.comment_add(recommendation=drafting.draft, text="c", paragraph=1, by=drafting.reader)
    services.amendment_propose(
        recommendation=drafting.draft, paragraph=1, proposed="x", explanation="", by=drafting.reader
    )
    few_list, few_page = _count(client, listing), _count(client, url("draft", drafting))
    for n in range(5):
        make_draft(drafting.assembly, title=f"More {n}")
        services.comment_add(
            recommendation=drafting.draft, text=f"c{n}", paragraph=n % 3 + 1, by=drafting.reader2
        )
        services.comment_add(recommendation=drafting.draft, text=f"w{n}", paragraph=None, by=drafting.reader)
        services.amendment_propose(
            recommendation=drafting.draft, paragraph=2, proposed=f"y{n}", explanation="", by=drafting.reader2
        )
    assert _count(client, listing) == few_list <= 8
    assert _count(client, url("draft", drafting)) == few_page <= 14


def _output(assembly: Any, points: str) -> Any:
    from deliberation.models import PlanTable, TableOutput, TablePlan
    from tests.factories import SessionFactory

    plan = TablePlan.objects.create(session=SessionFactory(assembly=assembly, title="Weekend 2"), rounds=2)
    table = PlanTable.objects.create(plan=plan, number=3)
    return TableOutput.objects.create(plan=plan, round=1, table=table, key_points=points)


def test_the_draft_shows_its_evidence_and_its_own_assemblys_table_outputs(
    client: Any, drafting: Any, other_assembly: Any
) -> None:
    from tests.factories import EvidenceFactory

    ours = _output(drafting.assembly, "Families need bigger homes.")
    theirs = _output(other_assembly, "A secret of the other assembly.")
    drafting.draft.table_output_ids = [ours.pk, theirs.pk, "junk"]
    drafting.draft.save()
    drafting.draft.evidence.add(EvidenceFactory(assembly=drafting.assembly, title="Waiting lists, 2015-2025"))
    client.force_login(drafting.reader)
    body = client.get(url("draft", drafting)).content.decode()
    assert "Families need bigger homes." in body and "Weekend 2 · table 3, round 1" in body
    assert "A secret of the other assembly." not in body
    assert "Waiting lists, 2015-2025" in body


def test_a_decided_recommendation_no_longer_changes(client: Any, drafting: Any) -> None:
    Recommendation = type(drafting.draft)
    Recommendation.objects.filter(pk=drafting.draft.pk).update(status="adopted")
    drafting.draft.refresh_from_db()
    client.force_login(drafting.writer)
    body = client.get(url("draft", drafting)).content.decode()
    assert "Edit the draft" not in body and "Propose a change" not in body
    response = client.post(url("edit", drafting), {"title": "T", "text": "New", "base_version": 1})
    assert "no longer a draft (adopted)" in response.content.decode()
    client.force_login(drafting.reader)
    response = client.post(url("amend", drafting) + "?paragraph=1", {"proposed": "Other."})
    assert "no longer a draft" in response.content.decode()
    assert not drafting.draft.amendments.exists()


def test_a_member_previews_the_difference_before_proposing(client: Any, drafting: Any) -> None:
    client.force_login(drafting.reader)
    response = client.post(
        url("amend", drafting) + "?paragraph=1", {"proposed": "First paragraph, changed.", "preview": "1"}
    )
    body = response.content.decode()
    assert response.status_code == 200 and "Your change" in body and ", changed</ins>." in body
    assert not drafting.draft.amendments.exists()


def test_an_amendment_whose_paragraph_changed_is_flagged_and_refused(client: Any, drafting: Any) -> None:
    amendment = services.amendment_propose(
        recommendation=drafting.draft,
        paragraph=2,
        proposed="Two, amended.",
        explanation="",
        by=drafting.reader,
    )
    services.recommendation_save(
        recommendation=drafting.draft,
        data={"text": "First paragraph.\n\nSecond, reworded.\n\nThird paragraph."},
        base_version=1,
        by=drafting.writer,
    )
    client.force_login(drafting.writer)
    page = client.get(url("amendment", drafting, amendment.pk)).content.decode()
    assert "The paragraph has changed since this amendment was proposed" in page
    response = client.post(url("amendment_accept", drafting, amendment.pk), follow=True)
    assert (
        "Paragraph 2 has changed since this amendment was proposed (on version 1)"
        in response.content.decode()
    )
    amendment.refresh_from_db()
    assert amendment.state == AmendmentState.PROPOSED


def test_an_amendment_being_voted_on_is_open_on_the_list_and_on_the_draft(client: Any, drafting: Any) -> None:
    amendment = services.amendment_propose(
        recommendation=drafting.draft,
        paragraph=2,
        proposed="Second paragraph, changed.",
        explanation="Clearer",
        by=drafting.reader,
    )
    services.amendment_to_vote(amendment=amendment, by=drafting.writer)
    client.force_login(drafting.reader)
    listing = client.get(
        reverse("portal:recommendations_drafts", args=[drafting.assembly.slug])
    ).content.decode()
    assert "1 open amendment" in listing and "0 open amendments" not in listing
    page = client.get(url("draft", drafting)).content.decode()
    assert "1 open amendment" in page and "No open amendment" not in page
    assert "decided or withdrawn amendment" not in page
