"""Reads of drafting that cross models (lists, pages, the digest)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from assemblies.actors import Actor
from assemblies.models import Assembly, Member
from assemblies.selectors import membership_of
from lottery.models import Respondent
from recommendations.models.drafting import (
    Amendment,
    AmendmentState,
    AmendmentSupport,
    Comment,
    Recommendation,
    Version,
    WorkingGroup,
)
from recommendations.rules import MANAGE_RECOMMENDATIONS, MODERATE, TAKE_PART, VIEW_RECOMMENDATIONS


def may_read(user: Any, assembly: Assembly) -> bool:
    """Members of the assembly and its team (organisers, facilitators, viewers)."""
    return bool(user.has_perm(TAKE_PART, assembly) or user.has_perm(VIEW_RECOMMENDATIONS, assembly))


def may_moderate(user: Any, assembly: Assembly) -> bool:
    return bool(user.has_perm(MODERATE, assembly) or user.has_perm(MANAGE_RECOMMENDATIONS, assembly))


def may_manage(user: Any, assembly: Assembly) -> bool:
    return bool(user.has_perm(MANAGE_RECOMMENDATIONS, assembly))


def is_editor(user: Actor, recommendation: Recommendation) -> bool:
    """A member of the recommendation's working group, or its facilitator."""
    group = recommendation.working_group
    if group is None or not user.is_authenticated:
        return False
    if group.facilitator_id == user.pk:
        return True
    member = membership_of(user, recommendation.assembly)
    return member is not None and group.members.filter(pk=member.pk).exists()


# An amendment is open while it is proposed or being voted on (the ballot decides it):
# the list of drafts and each draft's page count the same ones.
OPEN_AMENDMENT_STATES = (AmendmentState.PROPOSED, AmendmentState.TO_VOTE)


def is_open_amendment(amendment: Amendment) -> bool:
    return amendment.state in OPEN_AMENDMENT_STATES


def drafts(assembly: Assembly) -> QuerySet[Recommendation]:
    return (
        Recommendation.objects.filter(assembly=assembly)
        .select_related("working_group")
        .annotate(
            comment_count=Count("comments", filter=Q(comments__hidden_at__isnull=True), distinct=True),
            open_amendments=Count(
                "amendments", filter=Q(amendments__state__in=OPEN_AMENDMENT_STATES), distinct=True
            ),
        )
        .order_by("number")
    )


def draft(assembly: Assembly, number: int) -> Recommendation | None:
    return (
        Recommendation.objects.filter(assembly=assembly, number=number)
        .select_related("assembly", "working_group__facilitator", "from_amendment__recommendation")
        .prefetch_related("topics", "evidence")
        .first()
    )


def table_outputs(recommendation: Recommendation) -> list[Any]:
    """The facilitators' table outputs the draft draws on (ids kept on the draft), of its assembly only."""
    from deliberation.models import TableOutput

    ids = [i for i in recommendation.table_output_ids or [] if isinstance(i, int)]
    if not ids:
        return []
    return list(
        TableOutput.objects.filter(pk__in=ids, plan__session__assembly_id=recommendation.assembly_id)
        .select_related("table", "plan__session")
        .order_by("plan__session__starts_at", "round", "table__number")
    )


def comments(recommendation: Recommendation) -> list[Comment]:
    return list(recommendation.comments.select_related("member").order_by("created_at", "id"))


def amendments(recommendation: Recommendation, member: Member | None) -> list[Amendment]:
    qs = recommendation.amendments.select_related("author", "became").annotate(
        support_count=Count("supports", distinct=True)
    )
    if member is not None:
        qs = qs.annotate(
            supported=Exists(AmendmentSupport.objects.filter(amendment=OuterRef("pk"), member=member))
        )
    return list(qs.order_by("created_at", "id"))


def amendment(recommendation: Recommendation, pk: int, member: Member | None) -> Amendment | None:
    return next((a for a in amendments(recommendation, member) if a.pk == pk), None)


def versions(recommendation: Recommendation) -> list[Version]:
    return list(recommendation.versions.order_by("-number"))


def author_names(assembly: Assembly, user_ids: list[int | None]) -> dict[int | None, str]:
    """How members see who saved a version: the author's name in the assembly,
    or "the assembly team" for organisers and facilitators (never an email)."""
    from django.utils.translation import gettext as _

    known = dict(
        Member.objects.filter(assembly=assembly, user_id__in=[u for u in user_ids if u]).values_list(
            "user_id", "display_name"
        )
    )
    return {u: (known.get(u) or _("the assembly team")) if u else _("the assembly team") for u in user_ids}


def member_language(member: Member) -> str:
    """The language a member registered in, else the assembly's first."""
    respondent = Respondent.objects.filter(member=member).only("language").first()
    if respondent is not None and respondent.language:
        return respondent.language
    languages = member.assembly.languages or ["en"]
    return str(languages[0])


def groups_with_new_comments() -> QuerySet[WorkingGroup]:
    return WorkingGroup.objects.filter(
        recommendations__comments__digested_at__isnull=True,
        recommendations__comments__hidden_at__isnull=True,
    ).distinct()


def new_comments(group: WorkingGroup) -> QuerySet[Comment]:
    return (
        Comment.objects.filter(
            recommendation__working_group=group, digested_at__isnull=True, hidden_at__isnull=True
        )
        .select_related("recommendation", "member")
        .order_by("recommendation__number", "created_at", "id")
    )


def digest_recipients(group: WorkingGroup) -> list[dict[str, Any]]:
    """Who receives a group's digest: its active members and its facilitator."""
    people: list[dict[str, Any]] = []
    for member in group.members.active().select_related("user", "assembly"):
        if member.user.email:
            people.append(
                {"email": member.user.email, "user": member.user, "member_id": member.pk, "member": member}
            )
    facilitator = group.facilitator
    if facilitator is not None and facilitator.email and all(p["user"] != facilitator for p in people):
        people.append({"email": facilitator.email, "user": facilitator, "member_id": None, "member": None})
    return people
