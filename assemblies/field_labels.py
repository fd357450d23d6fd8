"""Model field labels Django makes up, made translatable without a migration.

Most fields of our apps declare no ``verbose_name``, so Django labels them with
the field's name ("created at", "assembly", "joined at"), a plain English
string that admin column headers and form labels show on French pages too.

Giving each field ``verbose_name=_(...)`` would take an AlterField migration
per field. Instead, once every model is loaded, :func:`make_labels_translatable`
wraps each such label in ``gettext_lazy``. Only ``field.verbose_name`` changes:
``field._verbose_name``, which migrations deconstruct, stays as it was, so no
migration is needed.

``LABELS`` lists the labels as literals so that ``makemessages`` extracts them.
A test fails when a field of our apps has a label missing from it.
"""

from __future__ import annotations

from django.apps import apps
from django.db.models import Field
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy, gettext_noop

#: The apps whose field labels are ours to translate.
OUR_APPS = frozenset(
    {
        "accounts",
        "assemblies",
        "notifications",
        "lottery",
        "deliberation",
        "recommendations",
        "advocacy",
        "reports",
        "jobs",
    }
)

#: Every label Django makes up for a field of our apps (or that a field gives
#: untranslated), sorted, for makemessages.
LABELS = (
    gettext_noop("SHA-256"),
    gettext_noop("address"),
    gettext_noop("affiliate"),
    gettext_noop("amendment"),
    gettext_noop("announcement"),
    gettext_noop("answered at"),
    gettext_noop("approved at"),
    gettext_noop("assembly"),
    gettext_noop("assisted"),
    gettext_noop("author"),
    gettext_noop("ballot"),
    gettext_noop("base version"),
    gettext_noop("bundle"),
    gettext_noop("by"),
    gettext_noop("calendar token"),
    gettext_noop("category"),
    gettext_noop("change"),
    gettext_noop("choice"),
    gettext_noop("circulated at"),
    gettext_noop("claim token"),
    gettext_noop("client key"),
    gettext_noop("closed at"),
    gettext_noop("commitment"),
    gettext_noop("committed at"),
    gettext_noop("complete"),
    gettext_noop("computed at"),
    gettext_noop("confirm code"),
    gettext_noop("confirm token"),
    gettext_noop("confirmed at"),
    gettext_noop("content type"),
    gettext_noop("created at"),
    gettext_noop("created by"),
    gettext_noop("day reminder sent at"),
    gettext_noop("decided at"),
    gettext_noop("decided by"),
    gettext_noop("delivery"),
    gettext_noop("details"),
    gettext_noop("digested at"),
    gettext_noop("document"),
    gettext_noop("done"),
    gettext_noop("drawn at"),
    gettext_noop("effective on"),
    gettext_noop("evidence"),
    gettext_noop("evidence url"),
    gettext_noop("feature"),
    gettext_noop("field"),
    gettext_noop("file"),
    gettext_noop("file name"),
    gettext_noop("first invitation"),
    gettext_noop("from amendment"),
    gettext_noop("handled by"),
    gettext_noop("heartbeat at"),
    gettext_noop("held rounds"),
    gettext_noop("hidden at"),
    gettext_noop("hidden by"),
    gettext_noop("id"),
    gettext_noop("impact"),
    gettext_noop("import errors"),
    gettext_noop("import job"),
    gettext_noop("institution"),
    gettext_noop("invitation"),
    gettext_noop("job"),
    gettext_noop("joined at"),
    gettext_noop("kind"),
    gettext_noop("language"),
    gettext_noop("last invitation"),
    gettext_noop("legacy min probability"),
    gettext_noop("letters job"),
    gettext_noop("member"),
    gettext_noop("member a"),
    gettext_noop("member b"),
    gettext_noop("message"),
    gettext_noop("met mean"),
    gettext_noop("milestone"),
    gettext_noop("min probability"),
    gettext_noop("minutes"),
    gettext_noop("new"),
    gettext_noop("note"),
    gettext_noop("number"),
    gettext_noop("object id"),
    gettext_noop("old"),
    gettext_noop("original"),
    gettext_noop("out of band"),
    gettext_noop("pages"),
    gettext_noop("panel index"),
    gettext_noop("paragraph"),
    gettext_noop("pdf"),
    gettext_noop("pending"),
    gettext_noop("plan"),
    gettext_noop("points"),
    gettext_noop("pseudonym"),
    gettext_noop("published at"),
    gettext_noop("rationale"),
    gettext_noop("receipt type"),
    gettext_noop("recipients"),
    gettext_noop("recommendation"),
    gettext_noop("recommendations"),
    gettext_noop("recorded at"),
    gettext_noop("recorded by"),
    gettext_noop("repeated pairs"),
    gettext_noop("replaces"),
    gettext_noop("report"),
    gettext_noop("report token"),
    gettext_noop("request"),
    gettext_noop("request key"),
    gettext_noop("requested by"),
    gettext_noop("reserve position"),
    gettext_noop("reserves"),
    gettext_noop("respondent"),
    gettext_noop("response"),
    gettext_noop("results"),
    gettext_noop("round"),
    gettext_noop("rows imported"),
    gettext_noop("rows read"),
    gettext_noop("rows rejected"),
    gettext_noop("score"),
    gettext_noop("secret"),
    gettext_noop("selected"),
    gettext_noop("sent at"),
    gettext_noop("sent by"),
    gettext_noop("sequence"),
    gettext_noop("session"),
    gettext_noop("sha256"),
    gettext_noop("size"),
    gettext_noop("source"),
    gettext_noop("spokesperson"),
    gettext_noop("stage changed at"),
    gettext_noop("stakeholder"),
    gettext_noop("state"),
    gettext_noop("status"),
    gettext_noop("table"),
    gettext_noop("table output ids"),
    gettext_noop("target id"),
    gettext_noop("text"),
    gettext_noop("title"),
    gettext_noop("token"),
    gettext_noop("topics"),
    gettext_noop("total"),
    gettext_noop("unselected erased at"),
    gettext_noop("unsubscribed at"),
    gettext_noop("updated at"),
    gettext_noop("updated by"),
    gettext_noop("version"),
    gettext_noop("voter"),
    gettext_noop("week"),
    gettext_noop("week reminder sent at"),
    gettext_noop("withdrawn at"),
)


def make_labels_translatable() -> int:
    """Wrap the untranslated label of every field of our apps in gettext_lazy.

    Called from ``AssembliesConfig.ready()``, when every app's models are
    loaded. Returns how many fields it changed (none on a second call).
    """
    changed = 0
    for model in apps.get_models():
        if model._meta.app_label not in OUR_APPS:
            continue
        for field in model._meta.get_fields():
            if not isinstance(field, Field) or not field.concrete or field.auto_created:
                continue
            label = field.verbose_name
            if isinstance(label, Promise) or not label:
                continue
            field.verbose_name = gettext_lazy(label)
            changed += 1
    return changed
