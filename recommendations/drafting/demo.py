"""Demo drafts for an assembly (called by the recommendations demo part).

``seed_drafts`` is idempotent: working groups are found by name and drafts by
title, so running it again changes nothing.
"""

from __future__ import annotations

from assemblies.actors import SYSTEM
from assemblies.models import Assembly, Member, MemberStatus
from recommendations.models.drafting import Amendment, AmendmentState, Level, Recommendation, WorkingGroup

from . import services
from .markdown import paragraphs

GROUPS = ["Homes people can afford", "Better rented homes", "Building and land"]

# title, addressee, level, three paragraphs, rationale; then a second version's
# change to the first paragraph, and an amendment to the second.
DRAFTS = [
    (
        "Build more social homes",
        "The council's housing committee",
        Level.LOCAL,
        [
            "The council should build 500 social homes a year for the next ten years.",
            "At least a third of them should have three bedrooms or more, for families.",
            "New homes should be built near bus and train lines, shops and schools.",
        ],
        "Waiting lists have doubled in ten years; families wait longest.",
        "The council should build at least 500 social homes a year for the next ten years.",
        "At least half of them should have three bedrooms or more, for families who wait longest.",
    ),
    (
        "A register of private landlords",
        "The regional housing authority",
        Level.REGIONAL,
        [
            "Every private landlord should register each home they let.",
            "The register should show whether the home meets the safety standards.",
            "Tenants should be able to search it before they sign a lease.",
        ],
        "Tenants cannot check a landlord's record today.",
        "Every private landlord should register each home they let, free of charge.",
        "The register should show whether the home meets the safety and energy standards.",
    ),
    (
        "Empty homes back into use",
        "The council and national government",
        Level.NATIONAL,
        [
            "Homes left empty for more than a year should pay a higher council tax.",
            "The money should fund grants to repair empty homes for rent.",
            "The council should publish how many homes are empty in each ward.",
        ],
        "Hundreds of homes stand empty while people wait for one.",
        "Homes left empty for more than a year should pay double council tax.",
        "The money should fund grants to repair empty homes for people on the waiting list.",
    ),
    (
        "Warm homes for everyone",
        "National government",
        Level.NATIONAL,
        [
            "Every rented home should reach energy rating C by 2030.",
            "Landlords should get low-interest loans for insulation and heat pumps.",
            "Rents should not rise because of these works for three years.",
        ],
        "Cold homes make people ill and cost them more.",
        "Every rented home should reach energy rating C by 2030 at the latest.",
        "Landlords should get interest-free loans for insulation and heat pumps.",
    ),
    (
        "Fair rents for private tenants",
        "National government",
        Level.NATIONAL,
        [
            "Rent rises should be limited to once a year, and never above inflation.",
            "Tenants should get three months' notice of any rise.",
            "An independent body should hear tenants' appeals.",
        ],
        "Rents rose twice as fast as wages in five years.",
        "Rent rises should be limited to once a year, and never above inflation plus one point.",
        "Tenants should get at least three months' written notice of any rise.",
    ),
    (
        "End no-fault evictions",
        "National government",
        Level.NATIONAL,
        [
            "Landlords should need a stated reason to end a tenancy.",
            "The reasons should be listed in law.",
            "Tenants evicted to sell or move in should get two months' rent back.",
        ],
        "A no-fault notice is the main cause of homelessness in the region.",
        "Landlords should need a stated and proven reason to end a tenancy.",
        "The reasons should be listed in law and checked by the court.",
    ),
    (
        "Homes for young people",
        "The council's housing committee",
        Level.LOCAL,
        [
            "A fifth of new social homes should go to people under 30.",
            "The council should support shared homes run by housing cooperatives.",
            "Young people leaving care should have priority.",
        ],
        "Young people leave the area because they cannot find a home.",
        "A fifth of new social homes should go to people under 30 who live or work here.",
        "The council should support and lend land to shared homes run by housing cooperatives.",
    ),
    (
        "Land for homes, not for speculation",
        "The regional housing authority",
        Level.REGIONAL,
        [
            "Public land should be sold only for homes, and mostly for social homes.",
            "Land with planning permission left unbuilt for three years should lose it.",
            "The region should buy land at its value without the permission.",
        ],
        "Land prices make every home more expensive.",
        "Public land should be leased only for homes, and mostly for social homes.",
        "Land with planning permission left unbuilt for three years should lose the permission.",
    ),
    (
        "Accessible homes",
        "National government",
        Level.NATIONAL,
        [
            "Every new home should be built so that a wheelchair user can visit.",
            "One new home in ten should be fully wheelchair accessible.",
            "Grants for adapting homes should be paid within three months.",
        ],
        "Disabled people wait years for a home that fits.",
        "Every new home should be built so that a wheelchair user can visit and stay.",
        "One new home in ten should be fully wheelchair accessible from the start.",
    ),
    (
        "Community-led housing",
        "The council's housing committee",
        Level.LOCAL,
        [
            "The council should set up a fund for community land trusts.",
            "Each ward should have a site offered to community groups first.",
            "Council staff should help groups with plans and permissions.",
        ],
        "Homes built by their community stay affordable for good.",
        "The council should set up a fund of at least two million pounds for community land trusts.",
        "Each ward should have at least one site offered to community groups first.",
    ),
    (
        "Safer homes",
        "The regional housing authority",
        Level.REGIONAL,
        [
            "Every rented home should be inspected every five years.",
            "Inspections should check damp, mould, fire safety and electrics.",
            "Results should be published on the landlord register.",
        ],
        "Damp and mould made one child in ten ill in the region last year.",
        "Every rented home should be inspected every five years, and after each complaint.",
        "Inspections should check damp, mould, fire safety, gas and electrics.",
    ),
    (
        "A say for tenants",
        "The council and housing associations",
        Level.LOCAL,
        [
            "Every housing association should have tenants on its board.",
            "Tenants should vote on large works before they start.",
            "Complaints should be answered within twenty working days.",
        ],
        "Tenants are rarely asked about the homes they live in.",
        "Every housing association should have at least two tenants on its board.",
        "Tenants should vote on large works and their cost before they start.",
    ),
]


def _members(assembly: Assembly) -> list[Member]:
    return list(
        Member.objects.active()
        .filter(assembly=assembly, status=MemberStatus.CONFIRMED)
        .select_related("user")
        .order_by("id")[:24]
    )


def seed_drafts(assembly: Assembly, *, count: int = 4, with_amendments: bool = True) -> list[Recommendation]:
    """Working groups and ``count`` drafts (2-3 versions each), with comments
    and, if asked, amendments: one accepted, one rejected, one open with
    support. Returns the drafts."""
    members = _members(assembly)
    groups = []
    for index, name in enumerate(GROUPS):
        group, created = WorkingGroup.objects.get_or_create(assembly=assembly, name=name)
        if created and members:
            group.members.set(members[index::3][:6])
        groups.append(group)
    drafts = []
    for index in range(count):
        title, addressee, level, texts, rationale, second, amended = DRAFTS[index % len(DRAFTS)]
        if index >= len(DRAFTS):
            title = f"{title} ({index // len(DRAFTS) + 1})"
        existing = Recommendation.objects.filter(assembly=assembly, title=title).first()
        if existing is not None:
            drafts.append(existing)
            continue
        group = groups[index % len(groups)]
        drafts.append(
            _draft(
                assembly,
                group,
                title,
                addressee,
                level,
                texts,
                rationale,
                second,
                amended,
                with_amendments=with_amendments,
            )
        )
    return drafts


def _draft(
    assembly: Assembly,
    group: WorkingGroup,
    title: str,
    addressee: str,
    level: str,
    texts: list[str],
    rationale: str,
    second: str,
    amended: str,
    *,
    with_amendments: bool,
) -> Recommendation:
    draft = services.recommendation_create(
        assembly=assembly,
        data={
            "title": title,
            "text": "\n\n".join(texts),
            "rationale": rationale,
            "addressee": addressee,
            "level": level,
        },
        working_group=group,
        by=SYSTEM,
    )
    writers = list(group.members.select_related("user")[:3])
    editor = writers[0].user if writers else SYSTEM
    new_text = "\n\n".join([second, *texts[1:]])
    services.recommendation_save(
        recommendation=draft, data={"text": new_text}, base_version=draft.version, by=editor
    )
    others = [m for m in _members(assembly) if m not in writers]
    if len(others) < 3:
        return draft
    services.comment_add(
        recommendation=draft, text="I agree, and it should start this year.", paragraph=1, by=others[0].user
    )
    services.comment_add(
        recommendation=draft,
        text="Who pays for this? Please say in the rationale.",
        paragraph=None,
        by=others[1].user,
    )
    if not with_amendments:
        return draft
    accepted = services.amendment_propose(
        recommendation=draft,
        paragraph=2,
        proposed=amended,
        explanation="Families wait longest.",
        by=others[0].user,
    )
    services.amendment_support(amendment=accepted, by=others[1].user)
    services.amendment_support(amendment=accepted, by=others[2].user)
    services.amendment_accept(amendment=accepted, by=editor)
    current = paragraphs(draft.text)
    rejected = services.amendment_propose(
        recommendation=draft,
        paragraph=3,
        proposed=current[2] + " Or remove this paragraph.",
        explanation="Too detailed for a recommendation.",
        by=others[1].user,
    )
    services.amendment_reject(
        amendment=rejected, reason="We keep the detail: the council asked for it.", by=editor
    )
    open_one = services.amendment_propose(
        recommendation=draft,
        paragraph=1,
        proposed=paragraphs(draft.text)[0] + " Work should start within a year.",
        explanation="Give it a start date.",
        by=others[2].user,
    )
    services.amendment_support(amendment=open_one, by=others[0].user)
    return draft


def open_amendments(assembly: Assembly) -> list[Amendment]:
    return list(Amendment.objects.filter(recommendation__assembly=assembly, state=AmendmentState.PROPOSED))
