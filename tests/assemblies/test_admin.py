from __future__ import annotations

from typing import Any

from django.urls import reverse

from assemblies.audit import audit_record
from assemblies.models import AuditEvent, Member, Stage
from tests.factories import AssemblyFactory, MemberFactory


def test_admin_index_lists_only_own_assemblies(
    organiser_client: Any, assembly: Any, other_assembly: Any
) -> None:
    response = organiser_client.get("/admin/")

    body = response.content.decode()
    assert response.status_code == 200
    assert assembly.title in body
    assert other_assembly.title not in body
    assert reverse("admin:assemblies_assembly_dashboard", args=[assembly.pk]) in body


def test_dashboard_shows_stage_counts_and_next_steps(organiser_client: Any, assembly: Any) -> None:
    MemberFactory.create_batch(3, assembly=assembly)

    response = organiser_client.get(reverse("admin:assemblies_assembly_dashboard", args=[assembly.pk]))

    body = response.content.decode()
    assert response.status_code == 200
    assert "Deliberating" in body
    # The deliberation app offers the sessions screens, so the next step names them.
    assert "Next steps" in body and "Plan the sessions and their agenda" in body
    assert "<dd>4</dd>" in body  # the persona member and three more, confirmed
    assert "Move to “Deciding”" in body


def test_dashboard_button_moves_the_stage(organiser_client: Any, assembly: Any) -> None:
    url = reverse("admin:assemblies_assembly_transition", args=[assembly.pk])

    response = organiser_client.post(url, {"to": Stage.DECIDING, "confirmed": "yes"}, follow=True)

    assembly.refresh_from_db()
    assert assembly.stage == Stage.DECIDING
    assert "The assembly is now at the stage “Deciding”." in response.content.decode()


def test_dashboard_refuses_a_forbidden_move_in_plain_words(organiser_client: Any, assembly: Any) -> None:
    url = reverse("admin:assemblies_assembly_transition", args=[assembly.pk])

    response = organiser_client.post(url, {"to": Stage.CLOSED}, follow=True)

    assembly.refresh_from_db()
    assert assembly.stage == Stage.DELIBERATING
    assert "An assembly cannot go from Deliberating to Closed." in response.content.decode()


def test_member_changelist_is_scoped_and_query_count_is_pinned(
    organiser_client: Any, assembly: Any, other_assembly: Any, django_assert_max_num_queries: Any
) -> None:
    MemberFactory.create_batch(20, assembly=assembly)
    MemberFactory(assembly=other_assembly, display_name="Beta Secret Person")

    with django_assert_max_num_queries(12):
        response = organiser_client.get("/admin/assemblies/member/")

    body = response.content.decode()
    assert "21 members" in body
    assert "Beta Secret Person" not in body


def test_adding_a_member_by_email_creates_the_account(organiser_client: Any, assembly: Any) -> None:
    response = organiser_client.post(
        "/admin/assemblies/member/add/",
        {
            "assembly": assembly.pk,
            "email": " New.Person@Example.org ",
            "display_name": "New Person",
            "role": "member",
            "status": "invited",
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    member = Member.objects.get(display_name="New Person")
    assert member.user.email == "new.person@example.org"
    assert AuditEvent.objects.filter(action="admin.added", object_id=str(member.pk)).exists()


def test_member_cannot_be_added_to_another_tenants_assembly(
    organiser_client: Any, other_assembly: Any
) -> None:
    response = organiser_client.post(
        "/admin/assemblies/member/add/",
        {
            "assembly": other_assembly.pk,
            "email": "x@example.org",
            "display_name": "Sneaky",
            "role": "member",
            "status": "invited",
        },
    )

    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Member.objects.filter(display_name="Sneaky").exists()


def test_editing_an_assembly_is_audited_with_field_names_only(organiser_client: Any, assembly: Any) -> None:
    url = reverse("admin:assemblies_assembly_change", args=[assembly.pk])
    data = {
        "organisation": assembly.organisation_id,
        "title": "Renamed Assembly",
        "slug": assembly.slug,
        "remit": assembly.remit,
        "description": "",
        "kind": "core",
        "parent": "",
        "languages": ["en"],
        "starts_on": "2026-03-01",
        "ends_on": "2026-06-30",
        "is_public": "on",
        "data_licence": "cc-by-4.0",
    }

    response = organiser_client.post(url, data)

    assert response.status_code == 302, response.content.decode()[:3000]
    event = AuditEvent.objects.get(action="admin.changed", assembly=assembly)
    assert "Title" in event.data["fields"]


def test_audit_log_escapes_what_it_shows(organiser_client: Any, assembly: Any, organiser: Any) -> None:
    audit_record(
        action="test.xss",
        by=organiser,
        assembly=assembly,
        object_repr="<script>alert(1)</script>",
        data={"note": "<img src=x onerror=alert(2)>"},
    )

    body = organiser_client.get("/admin/assemblies/auditevent/").content.decode()

    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert "<img src=x" not in body


def test_community_assembly_parent_choices_are_own_core_assemblies(
    organiser_client: Any, tenant: Any, other_assembly: Any
) -> None:
    AssemblyFactory(organisation=tenant.organisation, title="Own Core")

    body = organiser_client.get("/admin/assemblies/assembly/add/").content.decode()

    assert "Own Core" in body
    assert other_assembly.title not in body
