from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assemblies.actors import SYSTEM
from assemblies.models import AuditEvent, Role
from lottery.models import Feature, Respondent
from lottery.registration import services
from tests.factories import TeamMembershipFactory, UserFactory

from .conftest import make_invitation

pytestmark = pytest.mark.django_db


def register(assembly: Any, recruiting: Any, n: int = 1, **contact: Any) -> Respondent:
    data = {
        "first_name": "Ada",
        "last_name": "Lovelace",
        "email": f"person{n}@example.org",
        "consent": True,
        "answers": {recruiting["gender"].pk: "female", recruiting["age"].pk: "30-59"},
        **contact,
    }
    return services.respondent_register(
        invitation=make_invitation(assembly, n), data=data, language="en", by=SYSTEM
    )


def user_with_role(tenant: Any, role: str) -> Any:
    user = UserFactory(username=f"{role}@example.org")
    TeamMembershipFactory(team=tenant.team, user=user, role=role, assembly=tenant.assembly)
    return user


@pytest.mark.parametrize("role", [Role.FACILITATOR, Role.VIEWER])
def test_facilitators_and_viewers_cannot_see_respondents(
    client: Any, tenant: Any, recruiting: Any, role: str
) -> None:
    respondent = register(tenant.assembly, recruiting)
    client.force_login(user_with_role(tenant, role))
    for url in (
        "/admin/lottery/respondent/",
        f"/admin/lottery/respondent/{respondent.pk}/change/",
        f"/admin/lottery/respondent/{respondent.pk}/export/json/",
        f"/admin/lottery/respondent/{respondent.pk}/erase/",
        "/admin/lottery/respondent/import/",
    ):
        assert client.get(url).status_code == 404, url


def test_other_tenant_gets_404(client: Any, tenant: Any, other_organiser: Any, recruiting: Any) -> None:
    respondent = register(tenant.assembly, recruiting)
    client.force_login(other_organiser)
    assert "person1@example.org" not in client.get("/admin/lottery/respondent/").content.decode()
    for url in (
        f"/admin/lottery/respondent/{respondent.pk}/change/",
        f"/admin/lottery/respondent/{respondent.pk}/export/csv/",
        f"/admin/lottery/respondent/{respondent.pk}/erase/",
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/admin/lottery/respondent/{respondent.pk}/erase/").status_code == 404
    assert Respondent.objects.filter(pk=respondent.pk).exists()


def test_organiser_sees_and_searches(organiser_client: Any, assembly: Any, recruiting: Any) -> None:
    register(assembly, recruiting, 1)
    register(assembly, recruiting, 2, first_name="Grace")
    page = organiser_client.get("/admin/lottery/respondent/?q=Grace")
    assert page.status_code == 200
    html = page.content.decode()
    assert "person2@example.org" in html and "person1@example.org" not in html
    assert "Female" not in html  # no demographic answers in the list


def test_export_has_the_persons_data_with_safe_cells(
    organiser_client: Any, assembly: Any, recruiting: Any
) -> None:
    respondent = register(assembly, recruiting, first_name="=HYPERLINK(1)", access_needs="@wheelchair")
    as_json = organiser_client.get(f"/admin/lottery/respondent/{respondent.pk}/export/json/")
    data = json.loads(as_json.content)
    assert data["person"]["first_name"] == "=HYPERLINK(1)"
    assert {"question": "Gender", "answer": "Female"} in data["answers"]
    as_csv = organiser_client.get(f"/admin/lottery/respondent/{respondent.pk}/export/csv/")
    rows = dict(csv.reader(io.StringIO(as_csv.content.decode("utf-8-sig"))))
    assert rows["first_name"] == "'=HYPERLINK(1)"
    assert rows["access_needs"] == "'@wheelchair"
    assert rows["email"] == "person1@example.org"
    assert rows["answer: Age"] == "30-59".title()
    assert AuditEvent.objects.filter(action="respondent.exported").count() == 2


def test_erase_now_with_confirmation(organiser_client: Any, assembly: Any, recruiting: Any) -> None:
    respondent = register(assembly, recruiting)
    confirm = organiser_client.get(f"/admin/lottery/respondent/{respondent.pk}/erase/")
    assert confirm.status_code == 200 and "cannot be undone" in confirm.content.decode()
    assert Respondent.objects.filter(pk=respondent.pk).exists()
    done = organiser_client.post(f"/admin/lottery/respondent/{respondent.pk}/erase/")
    assert done.status_code == 302
    assert not Respondent.objects.filter(pk=respondent.pk).exists()
    event = AuditEvent.objects.get(action="respondent.erased")
    assert event.object_repr == f"Respondent {respondent.pseudonym}"


def test_import_screen_preview(
    organiser_client: Any, assembly: Any, recruiting: Any, django_capture_on_commit_callbacks: Any
) -> None:
    csv_text = (
        "first_name,last_name,email,gender,age\nAda,Lovelace,ada@example.org,female,30-59\nBad,Row,,x,y\n"
    )
    with django_capture_on_commit_callbacks(execute=True):  # the job runs inline
        response = organiser_client.post(
            "/admin/lottery/respondent/import/",
            {
                "assembly": assembly.pk,
                "file": SimpleUploadedFile("pool.csv", csv_text.encode()),
                "dry_run": "on",
            },
        )
    assert response.status_code == 302
    html = organiser_client.get(response["Location"]).content.decode()
    assert "Preview: nothing was saved" in html
    assert "missing email" in html and "unknown answer" in html
    assert "Import this valid row" in html
    assert not Respondent.objects.exists()


def test_category_admin_proposes_seats(organiser_client: Any, assembly: Any, recruiting: Any) -> None:
    shares = {"female": "51", "male": "48", "non-binary": "1"}
    for value, share in shares.items():
        Feature.objects.filter(value=value).update(population_share=share)
    response = organiser_client.post(f"/admin/lottery/category/{recruiting['gender'].pk}/propose-seats/")
    assert response.status_code == 302
    seats = {
        f.value: (f.min_seats, f.max_seats) for f in Feature.objects.filter(category=recruiting["gender"])
    }
    assert seats == {"female": (4, 6), "male": (4, 6), "non-binary": (0, 1)}
    page = organiser_client.get(f"/admin/lottery/category/{recruiting['gender'].pk}/change/")
    assert page.status_code == 200 and "Propose seats from shares" in page.content.decode()


def test_category_admin_saves_inline_features(organiser_client: Any, assembly: Any) -> None:
    response = organiser_client.post(
        "/admin/lottery/category/add/",
        {
            "assembly": assembly.pk, "name": "region", "label": "Where do you live?", "order": 0,
            "allow_prefer_not_to_say": "on",
            "features-TOTAL_FORMS": 1, "features-INITIAL_FORMS": 0,
            "features-0-value": "north", "features-0-label": "North", "features-0-order": 0,
            "features-0-min_seats": 0, "features-0-max_seats": 3,
        },
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:3000]
    values = set(
        Feature.objects.filter(category__name="region", assembly=assembly).values_list("value", flat=True)
    )
    assert values == {"north", "prefer-not-to-say"}


def test_dashboard_shows_recruitment_figures(organiser_client: Any, assembly: Any, recruiting: Any) -> None:
    from .conftest import make_invitation

    for n in (1, 2, 3, 4):
        make_invitation(assembly, n)
    data = {
        "first_name": "Ada",
        "last_name": "Lovelace",
        "email": "ada@example.org",
        "consent": True,
        "answers": {recruiting["gender"].pk: "female", recruiting["age"].pk: "30-59"},
    }
    invitation = assembly.invitations.order_by("sequence").first()
    services.respondent_register(invitation=invitation, data=data, language="en", by=SYSTEM)
    url = reverse("admin:assemblies_assembly_dashboard", args=[assembly.pk])
    page = organiser_client.get(url).content.decode()
    assert 'id="recruitment-h"' in page
    assert "<dt>Letters sent</dt><dd>4</dd>" in page
    assert "<dt>Registered</dt><dd>1</dd>" in page and "<dt>Waiting to be drawn</dt><dd>1</dd>" in page
    assert "25.00\u00a0%" in page


def test_dashboard_without_recruitment_has_no_recruitment_figures(
    organiser_client: Any, assembly: Any
) -> None:
    page = organiser_client.get(
        reverse("admin:assemblies_assembly_dashboard", args=[assembly.pk])
    ).content.decode()
    assert 'id="recruitment-h"' not in page
