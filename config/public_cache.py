"""The public pages' cache: which pages, how their keys are made, and what
makes them stale.

A cached page is stored under a key that holds version numbers (kept in the
"public" cache: Redis when REDIS_URL is set, local memory otherwise):

    pc:page:<version>:<language>:<hash of scheme, host and path>

- the version is the site's (``pc:v:site``) for the home page, which lists
  every assembly;
- or the assembly's (``pc:v:a:<assembly id>``) for the pages under
  /assemblies/<slug>/ (the slug is mapped to the id by ``pc:slug:<slug>``).

Invalidation is by bumping a version, never by deleting pages: a bump makes
every page stored under the old number unreachable (they expire after
PLENARY_PUBLIC_CACHE_SECONDS). Any save or delete of a public-content model
below (and any audit event, which every service records) bumps the version
of its assembly and the site's, **on transaction commit**, so no request can
store what it read before the commit under the new number.

**Public content changes must bump the assembly's cache version: a model
whose rows a public page shows goes in PUBLIC_CONTENT below.** A write that
skips ``save()`` (``QuerySet.update()``, ``bulk_create``) sends no signal:
call ``bump_assembly_on_commit(assembly_id)`` after it, or rely on the audit
event the service records.

**Fragments.** What a public page derives at some cost (an assembly's
sections, the programme's agendas, a recommendation's rendered Markdown and
charts, the panel's composition, the recommendations list) is kept under the
same assembly version (``assemblies.fragments.fragment``: below the apps, so
their views can use it; the versions and the cache alias live there too), so
a page the page cache cannot serve (a signed-in visitor, a search) is still
cheap, and goes stale exactly when the pages do. Fragments are on with the
page cache, or alone with PLENARY_FRAGMENT_CACHE=1 (versions are bumped
whenever either is on).
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterable
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.db.models import Model
from django.db.models.signals import m2m_changed, post_delete, post_save

# The versions, their keys and the cache live below the apps (their views keep
# fragments under the same versions): re-exported here.
from assemblies.fragments import CACHE_ALIAS as CACHE_ALIAS
from assemblies.fragments import _new_version, fragments_enabled
from assemblies.fragments import assembly_version_key as assembly_version_key
from assemblies.fragments import cache as cache
from assemblies.fragments import versions as versions

logger = logging.getLogger(__name__)

#: URL names of the cached pages. ``None``: a site-wide page (the site
#: version); ``"slug"``: a page of the assembly named by the URL's slug.
CACHED_PAGES: dict[str, str | None] = {
    "assemblies:home": None,
    "assemblies:public-detail": "slug",
    "deliberation:programme": "slug",
    "deliberation:evidence_library": "slug",
    "recommendations:list": "slug",
    "recommendations:detail": "slug",
    "recommendations:print": "slug",
    "lottery:selection_public": "slug",
    "recommendations:reports": "slug",
}

SITE_VERSION = "pc:v:site"


def slug_key(slug: str) -> str:
    return f"pc:slug:{hashlib.md5(slug.encode(), usedforsecurity=False).hexdigest()}"


def page_key(*, versions: Iterable[Any], language: str, url: str) -> str:
    digest = hashlib.sha256(url.encode()).hexdigest()[:32]
    return "pc:page:" + ":".join(str(v) for v in versions) + f":{language}:{digest}"


def bump_now(assembly_ids: Iterable[int | None]) -> None:
    """New versions for these assemblies and for the site (the home page
    lists the assemblies)."""
    ids = {i for i in assembly_ids if i}
    version = _new_version()
    cache().set_many({SITE_VERSION: version, **{assembly_version_key(i): version for i in ids}}, timeout=None)


def bump_assembly_on_commit(*assembly_ids: int | None) -> None:
    """Bump when the current transaction commits (at once outside one). A
    failing cache is logged (robust), never the organiser's error: the
    change is saved and old copies expire after PLENARY_PUBLIC_CACHE_SECONDS."""
    ids = [i for i in assembly_ids if i]
    transaction.on_commit(lambda: bump_now(ids), robust=True)


def forget_slug(slug: str) -> None:
    try:
        cache().delete(slug_key(slug))
    except Exception:
        logger.warning("Public page cache unavailable", exc_info=True)


# --- what is public content ------------------------------------------------------


def _own(instance: Any) -> list[int | None]:
    return [instance.assembly_id]


def _via(parent: str) -> Callable[[Any], list[int | None]]:
    """The assembly of ``instance.<parent>`` (a row that holds ``assembly_id``),
    without a query when the parent is already loaded."""

    def resolve(instance: Any) -> list[int | None]:
        field = type(instance)._meta.get_field(parent)
        if field.is_cached(instance):
            related = getattr(instance, parent)
            return [getattr(related, "assembly_id", None)] if related is not None else []
        parent_id = getattr(instance, f"{parent}_id", None)
        if parent_id is None:
            return []
        model = field.related_model
        return list(model._default_manager.filter(pk=parent_id).values_list("assembly_id", flat=True))

    return resolve


def _assembly(instance: Any) -> list[int | None]:
    # A community assembly is listed on its core assembly's page.
    return [instance.pk, instance.parent_id]


def _organisation(instance: Any) -> list[int | None]:
    return list(instance.assemblies.values_list("pk", flat=True))


#: Models whose rows public pages show, each with how to find its assemblies.
#: Add a model here when a public page starts showing it.
PUBLIC_CONTENT: dict[str, Callable[[Any], list[int | None]]] = {
    "assemblies.Organisation": _organisation,
    "assemblies.Assembly": _assembly,
    "assemblies.Member": _own,  # the seated members' count
    # Every service records an audit event: the catch-all for writes that
    # skip save() (QuerySet.update) in the same transaction.
    "assemblies.AuditEvent": _own,
    "lottery.RecruitmentSettings": _own,
    "lottery.SelectionRun": _own,
    "lottery.Respondent": _own,  # the panel's composition on the selection page
    "deliberation.Session": _own,
    "deliberation.AgendaItem": _via("session"),
    "deliberation.Topic": _own,
    "deliberation.Speaker": _own,
    "deliberation.Evidence": _own,
    "recommendations.Recommendation": _own,
    "recommendations.Version": _via("recommendation"),
    "recommendations.Amendment": _via("recommendation"),
    "recommendations.Ballot": _own,
    "recommendations.MinorityStatement": _via("recommendation"),
    "recommendations.PriorityRound": _own,
    "reports.Document": _own,
    "reports.DocumentFile": _via("document"),
    # Advocacy's response and implementation status, on the recommendation's page.
    "advocacy.Institution": _own,
    "advocacy.Response": _via("recommendation"),
    "advocacy.Tracking": _via("recommendation"),
    "advocacy.Milestone": _via("recommendation"),
}


def _enabled() -> bool:
    """Versions are bumped when pages or fragments are cached."""
    return bool(getattr(settings, "PLENARY_PUBLIC_CACHE", True)) or fragments_enabled()


def _changed(sender: type[Model], instance: Any, **kwargs: Any) -> None:
    if not _enabled() or kwargs.get("raw"):
        return
    resolve = _resolvers.get(sender)
    if resolve is None:
        return
    if sender is apps.get_model("assemblies", "Assembly"):
        forget_slug(instance.slug)
        transaction.on_commit(lambda: forget_slug(instance.slug), robust=True)
    bump_assembly_on_commit(*resolve(instance))


def _m2m_changed(sender: Any, instance: Any, action: str, **kwargs: Any) -> None:
    if action in ("post_add", "post_remove", "post_clear"):
        _changed(type(instance), instance)


_resolvers: dict[type[Model], Callable[[Any], list[int | None]]] = {}


def connect() -> None:
    """Connect the receivers (from an AppConfig.ready(), so that web, worker
    and beat processes all bump). Models of apps not installed are skipped."""
    for label, resolve in PUBLIC_CONTENT.items():
        try:
            model = apps.get_model(label)
        except LookupError:
            continue
        _resolvers[model] = resolve
        post_save.connect(_changed, sender=model, dispatch_uid=f"public_cache_save_{label}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"public_cache_delete_{label}")
        for field in model._meta.local_many_to_many:
            through = field.remote_field.through
            m2m_changed.connect(
                _m2m_changed, sender=through, dispatch_uid=f"public_cache_m2m_{through._meta.label}"
            )
