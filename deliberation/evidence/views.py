"""Members' and the public's pages of the speakers-and-evidence part: the
evidence list and its files (portal and public library), members' questions,
and the facilitators' questions page (portal, phone first)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from assemblies.access import member_assembly, public_assembly
from deliberation.access import facilitator_assembly
from deliberation.models import Evidence, Question, QuestionStatus, Session
from reports.files import serve_file

from . import selectors, services
from .forms import QuestionForm


def _serve(evidence: Evidence) -> FileResponse:
    if not evidence.file:
        raise Http404
    return serve_file(evidence.file, download_name=evidence.file_name, content_type=evidence.content_type)


# --- portal: evidence ------------------------------------------------------------------
@login_required
def portal_evidence(request: HttpRequest, slug: str) -> HttpResponse:
    assembly, _membership = member_assembly(request, slug)
    return render(
        request,
        "deliberation/evidence/portal_evidence.html",
        {
            "assembly": assembly,
            "groups": selectors.member_evidence(assembly),
            "speakers": selectors.programme_speakers(assembly),
        },
    )


@login_required
def portal_evidence_file(request: HttpRequest, slug: str, pk: int) -> FileResponse:
    assembly, _membership = member_assembly(request, slug)
    return _serve(get_object_or_404(Evidence, assembly=assembly, pk=pk))


# --- public: the evidence library ----------------------------------------------------------
def evidence_library(request: HttpRequest, slug: str) -> HttpResponse:
    assembly = public_assembly(slug)
    return render(
        request,
        "deliberation/evidence/public_library.html",
        {"assembly": assembly, "groups": selectors.public_evidence(assembly)},
    )


def evidence_public_file(request: HttpRequest, slug: str, pk: int) -> FileResponse:
    assembly = public_assembly(slug)
    return _serve(get_object_or_404(Evidence, assembly=assembly, pk=pk, is_published=True))


# --- portal: members' questions ---------------------------------------------------------------
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def portal_questions(request: HttpRequest, slug: str) -> HttpResponse:
    assembly, membership = member_assembly(request, slug)
    form = QuestionForm(request.POST or None, assembly=assembly)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.question_ask(
                member=membership,
                session=data["session"],
                speaker=data["speaker"],
                text=data["text"],
                client_key=data.get("client_key") or "",
                by=request.user,
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items() if hasattr(exc, "error_dict") else []:
                form.add_error(field if field in form.fields else None, errors)
            if not hasattr(exc, "error_dict"):
                form.add_error(None, exc.messages)
        else:
            messages.success(request, _("Your question is sent. The facilitators will choose the order."))
            return HttpResponseRedirect(reverse("portal:deliberation_questions", args=[assembly.slug]))
    return render(
        request,
        "deliberation/evidence/portal_questions.html",
        {
            "assembly": assembly,
            "form": form,
            "questions": selectors.member_questions(membership),
            "open": form.fields["session"].queryset.exists(),  # type: ignore[attr-defined]
        },
        status=400 if request.method == "POST" else 200,
    )


# --- portal: facilitators' questions page -------------------------------------------------
FACILITATOR_ACTIONS = {"up", "down", "merge", "unmerge", *QuestionStatus.values}


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def facilitate_questions(request: HttpRequest, slug: str) -> HttpResponse:
    assembly = facilitator_assembly(request, slug)
    sessions = selectors.facilitator_sessions(assembly)
    session_id = request.POST.get("session") or request.GET.get("session")
    session: Session | None
    if session_id:
        try:
            session = sessions.get(pk=int(session_id))
        except (ValueError, sessions.model.DoesNotExist):
            raise Http404 from None
    else:
        session = selectors.default_session(assembly, timezone.now())
    if request.method == "POST":
        return _facilitate_action(request, assembly.slug, session)
    queue = selectors.facilitator_queue(session) if session is not None else []
    return render(
        request,
        "deliberation/evidence/facilitate_questions.html",
        {
            "assembly": assembly,
            "sessions": sessions,
            "session": session,
            "open_questions": [q for q in queue if not getattr(q, "closed", 0)],
            "closed_questions": [q for q in queue if getattr(q, "closed", 0)],
            "statuses": QuestionStatus,
        },
    )


def _facilitate_action(request: HttpRequest, slug: str, session: Any) -> HttpResponse:
    if session is None:
        raise Http404
    back = reverse("portal:deliberation_facilitate_questions", args=[slug]) + f"?session={session.pk}"
    action = request.POST.get("action", "")
    try:
        question = Question.objects.select_related("session__assembly").get(
            session=session, pk=int(request.POST.get("question", ""))
        )
    except (ValueError, Question.DoesNotExist):
        raise Http404 from None
    if action not in FACILITATOR_ACTIONS:
        messages.error(request, _("Choose what to do with the question."))
        return HttpResponseRedirect(back)
    try:
        if action in ("up", "down"):
            services.question_move(question=question, direction=action, by=request.user)
            done = ""
        elif action == "merge":
            try:
                into = Question.objects.select_related("session__assembly").get(
                    session=session, pk=int(request.POST.get("into", ""))
                )
            except (ValueError, Question.DoesNotExist):
                raise ValidationError(_("Choose the question to merge it with.")) from None
            services.question_merge(question=question, into=into, by=request.user)
            done = _("Merged: the two questions are now one.")
        elif action == "unmerge":
            services.question_unmerge(question=question, by=request.user)
            done = _("The question stands on its own again.")
        else:
            services.question_set_status(question=question, status=action, by=request.user)
            done = _("Marked “%(status)s”.") % {"status": QuestionStatus(action).label}
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if done:
            messages.success(request, done)
    return HttpResponseRedirect(f"{back}#q{question.merged_into_id or question.pk}")
