"""What responses, implementation and the public tracker put into the
registry: organiser screens, the dashboard section and link, the public
section, the members' portal link, the API endpoint, audit labels, and the
recommendation pages' and API's extensions."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from assemblies.models import Assembly, Member
from assemblies.registry import ApiEndpoint, DashboardLink, PortalLink, registry

from ..rules import VIEW_ADVOCACY


def _responses_visible(assembly: Assembly, member: Member) -> bool:
    from .selectors import PUBLIC_STAGES

    return assembly.stage in PUBLIC_STAGES


def register() -> None:
    from recommendations.public import extensions

    from . import public
    from .api import TrackerViewSet
    from .screens import ROUTES

    registry.admin_screens("advocacy/response/", ROUTES)
    from .services import on_stage_change

    registry.stage_hook(on_stage_change)
    registry.dashboard_section(public.dashboard_section)
    registry.public_section(public.public_section)
    registry.dashboard_link(
        DashboardLink(
            _("Responses and implementation"),
            lambda a: reverse("admin:advocacy_response_assembly", args=[a.pk]),
            VIEW_ADVOCACY,
            order=70,
        )
    )
    registry.portal_link(
        PortalLink(
            _("Rate the institutions' responses"),
            lambda a: reverse("portal:advocacy_responses", args=[a.slug]),
            _responses_visible,
            order=80,
        )
    )
    registry.api(ApiEndpoint("tracker", TrackerViewSet, "tracker"))
    registry.audit_labels(
        {
            "advocacy.response_recorded": _("Response recorded"),
            "advocacy.milestone_added": _("Milestone added"),
            "advocacy.tracking_updated": _("Tracker updated"),
            "advocacy.impact_tagged": _("Impact tagged"),
            "advocacy.response_rated": _("Response rated"),
            "advocacy.institution_link_sent": _("Link sent to an institution"),
            "advocacy.institution_submitted": _("Institution entered its response"),
            "advocacy.institution_entry_discarded": _("Institution's entry discarded"),
            "advocacy.responses_awaited": _("Responses awaited"),
            "advocacy.follow_requested": _("Asked to follow"),
            "advocacy.follow_confirmed": _("Follow confirmed"),
            "advocacy.unfollowed": _("Stopped following"),
        }
    )
    extensions.add_row_fields(public.row_fields)
    extensions.add_detail_section(public.detail_section)
    extensions.add_detail_related(*public.DETAIL_RELATED)
