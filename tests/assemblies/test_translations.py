"""Issue 9, item 20 (part): an assembly's title, question and description in
the reader's language where the organisers translated them, else the original."""

from __future__ import annotations

from typing import Any

import pytest

from assemblies.models import Assembly

pytestmark = pytest.mark.django_db

FRENCH = {
    "title_translations": {"fr": "Assemblée sur les transports"},
    "remit_translations": {"fr": "Comment se déplacer demain ?"},
    "description_translations": {"fr": "Cinquante habitants tirés au sort."},
}


def translate(assembly: Assembly) -> Assembly:
    Assembly.objects.filter(pk=assembly.pk).update(languages=["en", "fr"], **FRENCH)
    assembly.refresh_from_db()
    return assembly


def test_public_pages_in_french_show_the_translations(client: Any, assembly: Assembly) -> None:
    translate(assembly)
    client.post("/i18n/setlang/", {"language": "fr", "next": "/"})
    home = client.get("/").content.decode()
    detail = client.get(f"/assemblies/{assembly.slug}/").content.decode()
    assert "Assemblée sur les transports" in home and "Comment se déplacer demain ?" in home
    assert "Assemblée sur les transports" in detail and "Cinquante habitants tirés au sort." in detail
    assert assembly.title not in detail


def test_english_readers_and_untranslated_texts_get_the_original(client: Any, assembly: Assembly) -> None:
    Assembly.objects.filter(pk=assembly.pk).update(title_translations={"fr": "Assemblée"})
    detail = client.get(f"/assemblies/{assembly.slug}/").content.decode()
    assert assembly.title in detail and "Assemblée" not in detail
    client.post("/i18n/setlang/", {"language": "fr", "next": "/"})
    detail = client.get(f"/assemblies/{assembly.slug}/").content.decode()
    assert assembly.remit in detail  # no French question: the original, never a blank


def test_portal_in_french(member_client: Any, assembly: Assembly) -> None:
    translate(assembly)
    member_client.post("/i18n/setlang/", {"language": "fr", "next": "/"})
    page = member_client.get(f"/portal/{assembly.slug}/").content.decode()
    assert "Assemblée sur les transports" in page and "Comment se déplacer demain ?" in page


def _admin_data(assembly: Assembly, **extra: str) -> dict[str, Any]:
    return {
        "organisation": assembly.organisation_id,
        "title": assembly.title,
        "slug": assembly.slug,
        "remit": assembly.remit,
        "description": "",
        "kind": assembly.kind,
        "languages": ["en", "fr"],
        "is_public": "on",
        "data_licence": assembly.data_licence,
        **extra,
    }


def test_organisers_type_translations_in_plain_boxes(organiser_client: Any, assembly: Assembly) -> None:
    url = f"/admin/assemblies/assembly/{assembly.pk}/change/"
    form = organiser_client.get(url).content.decode()
    assert 'name="title__fr"' in form and 'name="remit__fr"' in form and 'name="contact_email"' in form
    response = organiser_client.post(
        url,
        _admin_data(
            assembly,
            title__fr="  Assemblée sur les transports ",
            remit__fr="Comment se déplacer demain ?",
            contact_email="democracy@riverside.example",
        ),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assembly.refresh_from_db()
    assert assembly.title_translations == {"fr": "Assemblée sur les transports"}
    assert assembly.remit_translations == {"fr": "Comment se déplacer demain ?"}
    assert assembly.description_translations == {}
    assert assembly.contact_email == "democracy@riverside.example"
    # Shown back in the boxes, not as JSON.
    assert "Assemblée sur les transports" in organiser_client.get(url).content.decode()


def test_a_box_of_spaces_is_refused_plainly(organiser_client: Any, assembly: Assembly) -> None:
    url = f"/admin/assemblies/assembly/{assembly.pk}/change/"
    response = organiser_client.post(url, _admin_data(assembly, title__fr="   "))
    assert response.status_code == 200
    assert "The French text is only spaces" in response.content.decode()
