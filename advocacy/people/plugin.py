"""What the people part registers (called from advocacy.plugin)."""

from __future__ import annotations

from collections.abc import Callable

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from advocacy.power.plugin import AFTER_THE_REPORT, after_the_report
from advocacy.rules import VIEW_ADVOCACY
from assemblies.figures import Tally, tally
from assemblies.models import Assembly, Member
from assemblies.registry import DashboardLink, Figure, PortalLink, Section, registry
from assemblies.rules import SEE_PERSONAL_DATA

AUDIT_ACTION_LABELS = {
    "advocacy.spokesperson_opted_in": _("Member offered to speak for the assembly"),
    "advocacy.spokesperson_changed": _("Spokesperson's choices changed"),
    "advocacy.spokesperson_trained": _("Spokesperson's training recorded"),
    "advocacy.media_request_sent": _("Media request sent"),
    "advocacy.media_request_answered": _("Media request answered"),
    "advocacy.affiliate_added": _("Affiliate added"),
    "advocacy.affiliate_changed": _("Affiliate changed"),
    "advocacy.affiliate_signed": _("Commitment signed online (to confirm)"),
    "advocacy.affiliate_confirmed": _("Commitment confirmed"),
    "advocacy.affiliate_reported": _("Affiliate reported what they did"),
    "advocacy.affiliate_reminded": _("Affiliate reminded to report"),
    "advocacy.media_item_added": _("Media item added"),
    "advocacy.media_item_changed": _("Media item changed"),
}


def public_people_section(assembly: Assembly) -> Section | None:
    """ "Who carries it forward" on the public assembly page, after the report."""
    from advocacy.models import Affiliate, AffiliateStatus, MediaItem

    if not assembly.is_publicly_visible or assembly.stage not in AFTER_THE_REPORT:
        return None
    n_affiliates, n_news = tally(
        Tally(Affiliate, {"assembly": assembly.pk, "status": AffiliateStatus.CONFIRMED.value}),
        Tally(MediaItem, {"assembly": assembly.pk, "is_public": True}),
    )
    return Section(
        "carry-forward",
        _("Who carries the recommendations forward"),
        [Figure(_("Affiliates"), n_affiliates), Figure(_("In the news"), n_news)],
        [
            (
                _("Affiliates and their commitments"),
                reverse("advocacy:affiliates", kwargs={"slug": assembly.slug}),
            ),
            (_("Sign a commitment"), reverse("advocacy:affiliate_sign", kwargs={"slug": assembly.slug})),
            (_("In the news"), reverse("advocacy:news", kwargs={"slug": assembly.slug})),
        ],
    )


def pending_requests_section(assembly: Assembly, member: Member) -> Section | None:
    from . import selectors

    pending = selectors.pending_count(member)
    if not pending:
        return None
    return Section(
        "media-requests",
        _("Requests waiting for your answer"),
        [Figure(_("Media requests and invitations"), pending)],
        [(_("Answer them"), reverse("portal:advocacy_spokesperson", args=[assembly.slug]))],
    )


def _changelist(name: str, path: str) -> Callable[[Assembly], str]:
    # ``path`` must be a list_filter of that admin, or Django answers ?e=1 unfiltered.
    def url(assembly: Assembly) -> str:
        return reverse(name) + f"?{path}__id__exact={assembly.pk}"

    return url


CHANGELISTS = [
    (_("Affiliates"), "admin:advocacy_affiliate_changelist", 73, VIEW_ADVOCACY, "assembly"),
    (_("Media coverage"), "admin:advocacy_mediaitem_changelist", 74, VIEW_ADVOCACY, "assembly"),
    (
        _("Spokespeople and training"),
        "admin:advocacy_spokesperson_changelist",
        75,
        SEE_PERSONAL_DATA,
        "member__assembly",
    ),
]
# One function per list, made once (registering twice must stay a no-op).
CHANGELIST_URLS = {name: _changelist(name, path) for _label, name, _order, _perm, path in CHANGELISTS}


def register() -> None:
    from .screens import ROUTES

    registry.admin_screens("advocacy/mediarequest/", ROUTES)
    registry.audit_labels(AUDIT_ACTION_LABELS)
    registry.public_section(public_people_section)
    registry.portal_section(pending_requests_section)
    registry.dashboard_link(
        DashboardLink(
            _("Media requests to spokespeople"),
            lambda a: reverse("admin:advocacy_mediarequest_send", args=[a.pk]),
            SEE_PERSONAL_DATA,
            order=72,
        )
    )
    for label, name, order, permission, _path in CHANGELISTS:
        registry.dashboard_link(DashboardLink(label, CHANGELIST_URLS[name], permission, order=order))
    registry.portal_link(
        PortalLink(
            _("Speak for the assembly"),
            lambda a: reverse("portal:advocacy_spokesperson", args=[a.slug]),
            visible=after_the_report,
            order=71,
        )
    )
