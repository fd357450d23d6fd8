"""Portal pages of attendance and stipends: the facilitators' check-in on a
phone (with its service worker and the endpoint its queue posts to) and the
members' own expenses."""

from __future__ import annotations

import json
import re
import uuid
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from assemblies.access import member_assembly
from assemblies.models import Member
from deliberation.access import facilitator_assembly
from deliberation.models import Attendance, Expense, ExpenseKind, Session, SessionStatus

from . import selectors, services
from .screens import receipt_response


# --- check-in -----------------------------------------------------------------------------
def _session(assembly: Any, session_pk: int) -> Session:
    return get_object_or_404(
        Session.objects.select_related("assembly").exclude(status=SessionStatus.CANCELLED),
        pk=session_pk,
        assembly=assembly,
    )


@login_required
@require_GET
def checkin_sessions(request: HttpRequest, slug: str) -> HttpResponse:
    """The sessions a facilitator can check members in to, today's first."""
    assembly = facilitator_assembly(request, slug)
    sessions = list(
        Session.objects.filter(assembly=assembly)
        .exclude(status=SessionStatus.CANCELLED)
        .order_by("starts_at")
    )
    today = timezone.localdate()
    current = [s for s in sessions if timezone.localtime(s.starts_at).date() == today]
    return render(
        request,
        "deliberation/attendance/checkin_sessions.html",
        {"assembly": assembly, "sessions": sessions, "today": current},
    )


@login_required
@never_cache
def checkin_page(request: HttpRequest, slug: str, session_pk: int) -> HttpResponse:
    """The check-in screen: type a badge code or find a name. Works without
    JavaScript (plain forms); with it, check-ins are queued in the browser and
    sent when there is network."""
    assembly = facilitator_assembly(request, slug)
    session = _session(assembly, session_pk)
    members = list(selectors.taking_part(assembly))
    services.ensure_participants(members=members)  # everyone has a badge code
    rows = selectors.session_rows(session)
    return render(
        request,
        "deliberation/attendance/checkin.html",
        {
            "assembly": assembly,
            "session": session,
            "rows": rows,
            "present": sum(1 for r in rows if r.present),
            "not_today": _not_today(session),
            "client_key": str(uuid.uuid4()),
            "record_url": reverse("portal:deliberation_checkin_record", args=[assembly.slug, session.pk]),
            "sw_url": reverse("portal:deliberation_checkin_sw", args=[assembly.slug]),
        },
    )


def _not_today(session: Session) -> str:
    """A notice when ``session`` is not today in the assembly's time zone
    (check-ins are still recorded: a facilitator may prepare or correct)."""
    day = timezone.localtime(session.starts_at).date()
    if day == timezone.localdate():
        return ""
    return _("This session is on %(date)s, not today: check-ins are recorded for it anyway.") % {
        "date": date_format(day, "l j F")
    }


def _wants_json(request: HttpRequest) -> bool:
    """A check-in sent by the page's queue (a plain form or a visit gets pages)."""
    return request.method == "POST" and request.content_type == "application/json"


def checkin_record(request: HttpRequest, slug: str, session_pk: int) -> HttpResponseBase:
    """Record one check-in; idempotent by its ``client_key`` (JSON from the
    page's queue, or a plain form without JavaScript). The assembly and
    session answer first (404), then the method (405)."""
    if not request.user.is_authenticated:
        if _wants_json(request):
            return JsonResponse({"ok": False, "error": _("Log in again to send check-ins.")}, status=401)
        return redirect_to_login(request.get_full_path())
    assembly = facilitator_assembly(request, slug)
    session = _session(assembly, session_pk)
    if request.method != "POST":
        return HttpResponse(status=405, headers={"Allow": "POST"})
    as_json = request.content_type == "application/json"
    if as_json:
        try:
            data = json.loads(request.body or b"{}")
            if not isinstance(data, dict):
                raise ValueError
        except ValueError:
            return JsonResponse({"ok": False, "error": _("The check-in could not be read.")}, status=400)
    else:
        data = request.POST
    key = str(data.get("client_key", ""))[:64]
    try:
        if data.get("badge_code"):
            member = services.find_by_badge(session=session, code=str(data["badge_code"]))
        else:
            try:
                member_pk = int(data.get("member", ""))
            except (TypeError, ValueError):
                raise ValidationError(_("Type a badge code or choose a name.")) from None
            found = Member.objects.filter(pk=member_pk, assembly=assembly).first()
            if found is None:
                raise ValidationError(_("This person is not a member of this assembly."))
            member = found
        _row, created = services.checkin(session=session, member=member, client_key=key, by=request.user)
    except (ValidationError, PermissionDenied) as exc:
        text = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        if as_json:
            return JsonResponse({"ok": False, "error": text}, status=400)
        messages.error(request, text)
        return HttpResponseRedirect(reverse("portal:deliberation_checkin", args=[slug, session.pk]))
    text = (
        _("%(name)s is checked in.") % {"name": member}
        if created
        else _("%(name)s was already checked in.") % {"name": member}
    )
    notice = _not_today(session)
    if notice:
        text = f"{text} {notice}"
    if as_json:
        return JsonResponse(
            {"ok": True, "created": created, "member": member.pk, "name": str(member), "message": text}
        )
    messages.success(request, text)
    return HttpResponseRedirect(reverse("portal:deliberation_checkin", args=[slug, session.pk]))


@login_required
@require_GET
def checkin_service_worker(request: HttpRequest, slug: str) -> HttpResponse:
    """The check-in pages' service worker, served from their own path so
    that its scope covers them (and nothing else of the site)."""
    assembly = facilitator_assembly(request, slug)
    scope = reverse("portal:deliberation_checkin_sessions", args=[assembly.slug])
    body = render_to_string(
        "deliberation/attendance/sw.js",
        {
            "cache_name": f"plenary-checkin-{assembly.slug}-v1",
            "scope": scope,
            "assets": json.dumps(
                [
                    static("css/plenary.css"),
                    static("deliberation/checkin/checkin.css"),
                    static("deliberation/checkin/checkin.js"),
                    static("js/htmx.min.js"),
                ]
            ),
        },
    )
    response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = scope
    response["Cache-Control"] = "no-cache"
    return response


# --- members' expenses --------------------------------------------------------------------
#: Pounds and pence written with a decimal comma ("12,50"): one comma, then
#: one or two digits. Anything else with a comma ("1,250.00", "1,250") is
#: ambiguous and refused as not a number.
DECIMAL_COMMA = re.compile(r"^\s*(\d+),(\d{1,2})\s*$")


class AmountField(forms.DecimalField):
    """An amount in pounds that also takes a decimal comma."""

    def to_python(self, value: Any) -> Any:  # a Decimal or None
        if isinstance(value, str):
            match = DECIMAL_COMMA.match(value)
            if match:
                value = f"{match.group(1)}.{match.group(2)}"
            elif "," in value:
                raise ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


class ClaimForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("What is it for?"),
        choices=[(k.value, k.label) for k in services.CLAIMABLE],
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Choose what the expense is for.")},
    )
    session = forms.ModelChoiceField(
        label=gettext_lazy("Which session? (optional)"),
        queryset=Session.objects.none(),
        required=False,
        empty_label=gettext_lazy("Not about one session"),
        error_messages={"invalid_choice": gettext_lazy("Choose a session that has already started.")},
    )
    amount = AmountField(
        label=gettext_lazy("Amount in pounds"),
        help_text=gettext_lazy("For example 12.50"),
        min_value=Decimal("0.01"),
        max_digits=8,
        decimal_places=2,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        error_messages={
            "required": gettext_lazy("Enter the amount, for example 12.50."),
            "invalid": gettext_lazy("Enter the amount as a number, for example 12.50."),
            "min_value": gettext_lazy("Enter an amount above zero, for example 12.50."),
            "max_decimal_places": gettext_lazy("Enter pounds and pence, for example 12.50."),
            "max_digits": gettext_lazy("This amount is too large; contact the organisers."),
            "max_whole_digits": gettext_lazy("This amount is too large; contact the organisers."),
        },
    )
    description = forms.CharField(
        label=gettext_lazy("Details (optional)"),
        help_text=gettext_lazy("For example: bus from Eastfield and back."),
        max_length=300,
        required=False,
    )
    receipt = forms.FileField(
        label=gettext_lazy("Receipt (photo or PDF)"),
        help_text=gettext_lazy("A photo of the ticket or receipt: JPEG, PNG, WebP or PDF, up to 10 MB."),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp,application/pdf"}),
    )

    def __init__(self, *args: Any, assembly: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["session"]
        assert isinstance(field, forms.ModelChoiceField)
        # Only sessions that have started (or are recorded as held): no claim
        # for a session that has not happened yet.
        field.queryset = (
            Session.objects.filter(assembly=assembly)
            .filter(Q(starts_at__lte=timezone.now()) | Q(status=SessionStatus.HELD))
            .exclude(status=SessionStatus.CANCELLED)
            .order_by("starts_at", "id")
        )


@login_required
def my_expenses(request: HttpRequest, slug: str) -> HttpResponse:
    """A member's expenses and stipends, and the form to claim one."""
    assembly, member = member_assembly(request, slug)
    form = ClaimForm(request.POST or None, request.FILES or None, assembly=assembly)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.expense_claim(
                    member=member,
                    kind=form.cleaned_data["kind"],
                    amount=form.cleaned_data["amount"],
                    description=form.cleaned_data["description"],
                    session=form.cleaned_data["session"],
                    receipt=form.cleaned_data["receipt"],
                    by=request.user,
                )
            except ValidationError as exc:
                if hasattr(exc, "error_dict"):
                    for name, errors in exc.message_dict.items():
                        form.add_error(name if name in form.fields else None, errors)
                else:
                    form.add_error(None, exc)
            else:
                messages.success(request, _("Your claim is sent. The organisers will look at it."))
                return HttpResponseRedirect(reverse("portal:deliberation_expenses", args=[slug]))
    elif request.method not in ("GET", "HEAD"):
        return HttpResponse(status=405)
    attended = (
        Attendance.objects.filter(member=member, session__assembly=assembly)
        .select_related("session")
        .order_by("session__starts_at")
    )
    mine = Expense.objects.filter(member=member).select_related("session").order_by("-created_at", "-id")
    return render(
        request,
        "deliberation/attendance/expenses.html",
        {
            "assembly": assembly,
            "member": member,
            "form": form,
            "expenses": mine,
            "stipend": ExpenseKind.STIPEND,
            "attended": attended,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_GET
def my_receipt(request: HttpRequest, slug: str, expense_pk: int) -> HttpResponseBase:
    """A member's own receipt (organisers use the admin's)."""
    _assembly, member = member_assembly(request, slug)
    expense = Expense.objects.filter(pk=expense_pk, member=member).first()
    if expense is None or not expense.receipt:
        raise Http404
    return receipt_response(expense)
