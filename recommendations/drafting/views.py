"""Drafting in the portal: the drafts, one draft with its paragraphs, comments
and amendments, the working group's editing (with edit conflicts), the history.

Every view resolves the assembly and the draft first: another assembly's
draft, comment or amendment is a 404 for everyone, whatever the method.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assemblies.models import Assembly, Member
from assemblies.selectors import membership_of
from recommendations.models.drafting import Comment, Recommendation, RecommendationStatus

from . import selectors, services
from .diff import word_diff
from .forms import AmendmentForm, CommentForm, DraftForm, ReasonForm
from .markdown import blocks, render_markdown

FIELD_LABELS = {
    "title": gettext_lazy("Title"),
    "text": gettext_lazy("Recommendation"),
    "rationale": gettext_lazy("Why we recommend it"),
    "impact": gettext_lazy("Expected impact"),
}


def _assembly(request: HttpRequest, slug: str) -> tuple[Assembly, Member | None]:
    assembly = get_object_or_404(Assembly.objects.select_related("organisation"), slug=slug)
    if not selectors.may_read(request.user, assembly):
        raise Http404
    return assembly, membership_of(request.user, assembly)


def _draft(request: HttpRequest, slug: str, number: int) -> tuple[Recommendation, Member | None]:
    assembly, member = _assembly(request, slug)
    recommendation = selectors.draft(assembly, number)
    if recommendation is None:
        raise Http404
    return recommendation, member


def _draft_url(recommendation: Recommendation, anchor: str = "") -> str:
    url = reverse("portal:recommendations_draft", args=[recommendation.assembly.slug, recommendation.number])
    return f"{url}#{anchor}" if anchor else url


def _errors(error: ValidationError) -> list[str]:
    return [str(message) for message in error.messages]


def _paragraph_param(request: HttpRequest, recommendation: Recommendation) -> int | None:
    raw = request.GET.get("paragraph") or request.POST.get("paragraph") or ""
    if not raw.isdigit():
        return None
    number = int(raw)
    return number if 1 <= number <= len(blocks(recommendation.text)) else None


# --- reading ----------------------------------------------------------------------------
@login_required
def draft_list(request: HttpRequest, slug: str) -> HttpResponse:
    assembly, member = _assembly(request, slug)
    return render(
        request,
        "recommendations/drafting/list.html",
        {"assembly": assembly, "member": member, "drafts": list(selectors.drafts(assembly))},
    )


@login_required
def draft_detail(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    recommendation, member = _draft(request, slug, number)
    assembly = recommendation.assembly
    comments = selectors.comments(recommendation)
    amendments = selectors.amendments(recommendation, member)
    by_paragraph: dict[int | None, list[Comment]] = {}
    for comment in comments:
        by_paragraph.setdefault(comment.paragraph, []).append(comment)
    open_by_paragraph: dict[int, int] = {}
    for amendment in amendments:
        amendment.diff = word_diff(amendment.original, amendment.proposed)  # type: ignore[attr-defined]
        if selectors.is_open_amendment(amendment):
            open_by_paragraph[amendment.paragraph] = open_by_paragraph.get(amendment.paragraph, 0) + 1
    paragraphs = [
        {
            "number": block.number,
            "html": block.html,
            "comments": by_paragraph.get(block.number, []),
            "open_amendments": open_by_paragraph.get(block.number, 0),
        }
        for block in blocks(recommendation.text)
    ]
    return render(
        request,
        "recommendations/drafting/detail.html",
        {
            "assembly": assembly,
            "member": member,
            "recommendation": recommendation,
            "paragraphs": paragraphs,
            "general_comments": by_paragraph.get(None, []),
            "orphan_comments": [
                c for key, cs in by_paragraph.items() if key is not None and key > len(paragraphs) for c in cs
            ],
            "amendments": amendments,
            "open_amendments": [a for a in amendments if selectors.is_open_amendment(a)],
            "decided_amendments": [a for a in amendments if not selectors.is_open_amendment(a)],
            "rationale_html": render_markdown(recommendation.rationale),
            "impact_html": render_markdown(recommendation.impact),
            "is_editor": selectors.is_editor(request.user, recommendation),
            "is_draft": recommendation.status == RecommendationStatus.DRAFT,
            "table_outputs": selectors.table_outputs(recommendation),
            "may_moderate": selectors.may_moderate(request.user, assembly),
            "comment_form": CommentForm(paragraphs=len(paragraphs)) if member else None,
        },
    )


def _version_number(raw: str | None, numbers: list[int], default: int) -> int:
    return int(raw) if raw and raw.isdigit() and int(raw) in numbers else default


@login_required
def draft_history(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    recommendation, member = _draft(request, slug, number)
    versions = selectors.versions(recommendation)  # newest first
    numbers = [v.number for v in versions]
    newest = numbers[0] if numbers else 0
    new = _version_number(request.GET.get("to"), numbers, newest)
    old = _version_number(request.GET.get("from"), numbers, max(1, new - 1) if new > 1 else new)
    by_number = {v.number: v for v in versions}
    names = selectors.author_names(recommendation.assembly, [v.author_id for v in versions])
    for version in versions:
        version.author_name = names[version.author_id]  # type: ignore[attr-defined]
    diffs: list[dict[str, Any]] = []
    if old in by_number and new in by_number:
        for field, label in FIELD_LABELS.items():
            diff = word_diff(getattr(by_number[old], field), getattr(by_number[new], field))
            diffs.append({"label": label, "diff": diff})
    return render(
        request,
        "recommendations/drafting/history.html",
        {
            "assembly": recommendation.assembly,
            "member": member,
            "recommendation": recommendation,
            "versions": versions,
            "old": old,
            "new": new,
            "diffs": diffs,
            "unchanged": all(not d["diff"].changed for d in diffs),
        },
    )


# --- editing ---------------------------------------------------------------------------------
@login_required
def draft_edit(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    recommendation, member = _draft(request, slug, number)
    if not selectors.is_editor(request.user, recommendation):
        raise PermissionDenied
    conflict: dict[str, Any] | None = None
    if request.method == "POST":
        form = DraftForm(request.POST)
        if form.is_valid():
            data = {key: value for key, value in form.cleaned_data.items() if key != "base_version"}
            base = form.cleaned_data["base_version"]
            try:
                version = services.recommendation_save(
                    recommendation=recommendation, data=data, base_version=base, by=request.user
                )
            except services.EditConflict as clash:
                current = clash.current
                conflict = {
                    "current": current,
                    "author": selectors.author_names(recommendation.assembly, [current.author_id])[
                        current.author_id
                    ],
                    "base": base,
                    "theirs": word_diff(
                        recommendation.versions.filter(number=base).values_list("text", flat=True).first()
                        or "",
                        current.text,
                    ),
                    "mine": word_diff(current.text, data["text"]),
                    "html": render_markdown(current.text),
                }
                bound = request.POST.copy()
                bound["base_version"] = str(current.number)  # saving again now replaces it knowingly
                form = DraftForm(bound)
                form.is_valid()
            except ValidationError as error:
                for message in _errors(error):
                    form.add_error(None, message)
            else:
                if version is None:
                    messages.info(request, _("Nothing changed: no new version was saved."))
                else:
                    messages.success(request, _("Saved as version %(n)s.") % {"n": version.number})
                return redirect(_draft_url(recommendation))
    else:
        form = DraftForm(
            initial={
                **{key: getattr(recommendation, key) for key in services.EDITABLE},
                "base_version": recommendation.version,
            }
        )
    return render(
        request,
        "recommendations/drafting/edit.html",
        {
            "assembly": recommendation.assembly,
            "member": member,
            "recommendation": recommendation,
            "form": form,
            "conflict": conflict,
        },
        status=409 if conflict else 200,
    )


# --- comments ---------------------------------------------------------------------------------
@login_required
def comment_create(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    recommendation, member = _draft(request, slug, number)
    if member is None:
        raise PermissionDenied
    paragraph = _paragraph_param(request, recommendation)
    count = len(blocks(recommendation.text))
    if request.method == "POST":
        form = CommentForm(request.POST, paragraphs=count)
        if form.is_valid():
            try:
                comment = services.comment_add(
                    recommendation=recommendation,
                    text=form.cleaned_data["text"],
                    paragraph=form.cleaned_data["paragraph"],
                    by=request.user,
                )
            except ValidationError as error:
                for message in _errors(error):
                    form.add_error(None, message)
            else:
                messages.success(request, _("Thank you: your comment is published."))
                return redirect(_draft_url(recommendation, f"comment-{comment.pk}"))
    else:
        form = CommentForm(initial={"paragraph": paragraph or ""}, paragraphs=count)
    quoted = blocks(recommendation.text)[paragraph - 1].html if paragraph else None
    return render(
        request,
        "recommendations/drafting/comment.html",
        {
            "assembly": recommendation.assembly,
            "recommendation": recommendation,
            "form": form,
            "paragraph": paragraph,
            "quoted": quoted,
        },
    )


@login_required
def comment_hide(request: HttpRequest, slug: str, number: int, pk: int) -> HttpResponse:
    recommendation, member = _draft(request, slug, number)
    comment = get_object_or_404(
        Comment.objects.select_related("member"), pk=pk, recommendation=recommendation
    )
    if not selectors.may_moderate(request.user, recommendation.assembly):
        raise PermissionDenied
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.comment_hide(comment=comment, reason=form.cleaned_data["reason"], by=request.user)
        except ValidationError as error:
            for message in _errors(error):
                form.add_error(None, message)
        else:
            messages.success(request, _("The comment is hidden; members see your reason instead."))
            return redirect(_draft_url(recommendation, f"comment-{comment.pk}"))
    return render(
        request,
        "recommendations/drafting/comment_hide.html",
        {
            "assembly": recommendation.assembly,
            "recommendation": recommendation,
            "comment": comment,
            "form": form,
            "member": member,
        },
    )


# --- amendments -------------------------------------------------------------------------------
@login_required
def amendment_create(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    recommendation, member = _draft(request, slug, number)
    if member is None:
        raise PermissionDenied
    paragraph = _paragraph_param(request, recommendation)
    if paragraph is None:
        messages.info(
            request, _("Choose the paragraph you want to change: each has a “Propose a change” link.")
        )
        return redirect(_draft_url(recommendation, "text"))
    block = blocks(recommendation.text)[paragraph - 1]
    preview = None
    if request.method == "POST":
        form = AmendmentForm(request.POST)
        if form.is_valid() and "preview" in request.POST:
            preview = word_diff(block.source, form.cleaned_data["proposed"])
        elif form.is_valid():
            try:
                amendment = services.amendment_propose(
                    recommendation=recommendation,
                    paragraph=paragraph,
                    proposed=form.cleaned_data["proposed"],
                    explanation=form.cleaned_data["explanation"],
                    by=request.user,
                )
            except ValidationError as error:
                for message in _errors(error):
                    form.add_error(None, message)
            else:
                messages.success(request, _("Your amendment is proposed. Other members can now support it."))
                return redirect("portal:recommendations_amendment", slug, recommendation.number, amendment.pk)
    else:
        form = AmendmentForm(initial={"proposed": block.source})
    return render(
        request,
        "recommendations/drafting/amend.html",
        {
            "assembly": recommendation.assembly,
            "recommendation": recommendation,
            "form": form,
            "paragraph": paragraph,
            "quoted": block.html,
            "preview": preview,
        },
    )


@login_required
def amendment_detail(request: HttpRequest, slug: str, number: int, pk: int) -> HttpResponse:
    recommendation, member = _draft(request, slug, number)
    amendment = selectors.amendment(recommendation, pk, member)
    if amendment is None:
        raise Http404
    moved = None
    if selectors.is_open_amendment(amendment):
        moved = services.current_paragraph(amendment, recommendation.text)
    return render(
        request,
        "recommendations/drafting/amendment.html",
        {
            "assembly": recommendation.assembly,
            "member": member,
            "recommendation": recommendation,
            "amendment": amendment,
            "diff": word_diff(amendment.original, amendment.proposed),
            "is_author": member is not None and amendment.author_id == member.pk,
            "is_editor": selectors.is_editor(request.user, recommendation),
            "may_manage": selectors.may_manage(request.user, recommendation.assembly),
            "stale": selectors.is_open_amendment(amendment) and moved is None,
            "reject_form": ReasonForm(),
        },
    )


def _amendment_action(
    act: Callable[[Any, HttpRequest], str],
) -> Callable[[HttpRequest, str, int, int], HttpResponse]:
    @login_required
    def view(request: HttpRequest, slug: str, number: int, pk: int) -> HttpResponse:
        recommendation, _member = _draft(request, slug, number)
        amendment = get_object_or_404(recommendation.amendments.select_related("author"), pk=pk)
        back = reverse("portal:recommendations_amendment", args=[slug, number, pk])
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        try:
            done = act(amendment, request)
        except ValidationError as error:
            for message in _errors(error):
                messages.error(request, message)
            return redirect(back)
        except PermissionDenied as error:
            messages.error(request, str(error) or _("You may not do this."))
            return redirect(back)
        messages.success(request, done)
        return redirect(back)

    view.__name__ = act.__name__
    return view


def _support(amendment: Any, request: HttpRequest) -> str:
    services.amendment_support(amendment=amendment, by=request.user)
    return _("You support this amendment.")


def _withdraw(amendment: Any, request: HttpRequest) -> str:
    services.amendment_withdraw(amendment=amendment, by=request.user)
    return _("Your amendment is withdrawn.")


def _accept(amendment: Any, request: HttpRequest) -> str:
    version = services.amendment_accept(amendment=amendment, by=request.user)
    return _("The amendment is accepted and merged: the draft is now version %(n)s.") % {"n": version.number}


def _reject(amendment: Any, request: HttpRequest) -> str:
    services.amendment_reject(amendment=amendment, reason=request.POST.get("reason", ""), by=request.user)
    return _("The amendment is rejected; its author sees your reason.")


def _to_vote(amendment: Any, request: HttpRequest) -> str:
    services.amendment_to_vote(amendment=amendment, by=request.user)
    return _("The amendment will be put to the vote of the assembly.")


def _to_recommendation(amendment: Any, request: HttpRequest) -> str:
    created = services.amendment_to_recommendation(amendment=amendment, by=request.user)
    return _("The amendment is now recommendation %(n)s, a draft of its own.") % {"n": created.number}


amendment_support = _amendment_action(_support)
amendment_withdraw = _amendment_action(_withdraw)
amendment_accept = _amendment_action(_accept)
amendment_reject = _amendment_action(_reject)
amendment_to_vote = _amendment_action(_to_vote)
amendment_to_recommendation = _amendment_action(_to_recommendation)
