"""Reports: the organisers' writes (check, then do; an audit event each).

Rendering makes the next version in each of the assembly's languages, as
drafts, each rendered by its own job (``reports.services``). Publishing is a
separate choice; only a rendered version can be published, and only once the
assembly's recommendations are public.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from assemblies.actors import Actor, acting_user, authorise
from assemblies.audit import audit_record
from assemblies.models import Assembly
from jobs.services import delay_on_commit, job_create
from reports import services as documents
from reports.models import Document, DocumentKind

from ..public.selectors import is_published
from ..rules import MANAGE_RECOMMENDATIONS

KINDS = (DocumentKind.FINAL, DocumentKind.PROGRESS)


def report_languages(assembly: Assembly) -> list[str]:
    """The assembly's languages (its first is the original), else the site's."""
    from django.conf import settings

    known = {code for code, _name in settings.LANGUAGES}
    languages = [code for code in (assembly.languages or []) if code in known]
    return languages or [settings.LANGUAGE_CODE.split("-")[0]]


@transaction.atomic
def report_render(
    *, assembly: Assembly, kind: str, by: Actor, as_of: dt.date | None = None
) -> list[Document]:
    """Queue the next version of a report in each language of the assembly."""
    authorise(by, MANAGE_RECOMMENDATIONS, assembly, _("You may not make this assembly's reports."))
    if kind not in KINDS:
        raise ValidationError(_("Choose the final report or a progress report."))
    if kind == DocumentKind.PROGRESS and as_of is None:
        raise ValidationError(_("Give the date the progress report describes."))
    if kind == DocumentKind.PROGRESS and as_of is not None and as_of > timezone.localdate():
        # A status on a day still to come would be invented, and published as fact.
        raise ValidationError(_("A progress report describes a day that has come: choose today or earlier."))
    began = assembly.starts_on
    if kind == DocumentKind.PROGRESS and as_of is not None and began and as_of < began:
        # Before the assembly began there was nothing to report on.
        raise ValidationError(
            _("A progress report describes a day since the assembly began: choose %(date)s or later.")
            % {"date": date_format(began, "j F Y")}
        )
    from .tasks import RENDER_JOB, render_report

    made = []
    for language in report_languages(assembly):
        document = documents.document_create(
            assembly=assembly, kind=kind, language=language, as_of=as_of, created_by=acting_user(by)
        )
        document.job = job_create(
            assembly_id=assembly.pk,
            kind=RENDER_JOB,
            target_id=document.pk,
            created_by=acting_user(by),
            total=documents.STEPS,
        )
        document.save(update_fields=["job"])
        delay_on_commit(render_report, document.pk)
        made.append(document)
    audit_record(
        action="recommendations.report_rendered",
        by=by,
        assembly=assembly,
        obj=made[0],
        data={"kind": kind, "versions": {d.language: d.version for d in made}},
    )
    return made


@transaction.atomic
def report_publish(*, document: Document, by: Actor) -> Document:
    assembly = Assembly.objects.get(pk=document.assembly_id)
    authorise(by, MANAGE_RECOMMENDATIONS, assembly, _("You may not publish this assembly's reports."))
    if not is_published(assembly):
        raise ValidationError(_("Publish the assembly's recommendations first: then its reports can follow."))
    published = documents.document_publish(document=document)
    audit_record(
        action="recommendations.report_published",
        by=by,
        assembly=assembly,
        obj=published,
        data={"name": published.name, "version": published.version},
    )
    return published


@transaction.atomic
def report_withdraw(*, document: Document, by: Actor) -> Document:
    assembly = Assembly.objects.get(pk=document.assembly_id)
    authorise(by, MANAGE_RECOMMENDATIONS, assembly, _("You may not withdraw this assembly's reports."))
    withdrawn = documents.document_withdraw(document=document)
    audit_record(
        action="recommendations.report_withdrawn",
        by=by,
        assembly=assembly,
        obj=withdrawn,
        data={"name": withdrawn.name, "version": withdrawn.version},
    )
    return withdrawn
