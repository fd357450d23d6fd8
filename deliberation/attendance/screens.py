"""Organisers' screens of attendance and stipends (mounted under
/admin/deliberation/attendance/): attendance per session, missed sessions and
withdrawals, the logistics list of access needs, badges, expenses and the
finance export. Every URL starts with the assembly (``pk``); a session, member
or expense of another assembly is a 404."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from assemblies.models import Member
from assemblies.registry import Route
from assemblies.rules import SEE_PERSONAL_DATA
from assemblies.screens import ActionMixin, AssemblyScreen
from deliberation.models import AccessNeed, AttendanceStatus, Expense, ExpenseStatus, Session
from deliberation.rules import FACILITATE, MANAGE_PROGRAMME, MANAGE_STIPENDS, VIEW_PROGRAMME
from reports.files import serve_file

from . import documents, selectors, services


def member_label(member: Member, see_names: bool) -> str:
    """A member as this organiser may see them: the name with personal-data
    rights, else a number."""
    return str(member) if see_names else _("Member %(number)s") % {"number": member.pk}


class AttendanceScreen(AssemblyScreen):
    permission = VIEW_PROGRAMME
    opts_model = Session

    def get_subtitle(self) -> Any:
        return _("Attendance and stipends")

    def url(self, name: str, *args: Any) -> str:
        return reverse(f"admin:deliberation_attendance_{name}", args=[self.assembly.pk, *args])


class SessionScreen(AttendanceScreen):
    session: Session

    def resolve(self, **kwargs: Any) -> None:
        super().resolve(**kwargs)
        self.session = get_object_or_404(
            Session.objects.select_related("assembly"), pk=kwargs["session_pk"], assembly=self.assembly
        )

    def redirect_url(self) -> str:
        return self.url("session", self.session.pk)


class MemberScreen(AttendanceScreen):
    member: Member

    def resolve(self, **kwargs: Any) -> None:
        super().resolve(**kwargs)
        self.member = get_object_or_404(
            Member.objects.select_related("assembly"), pk=kwargs["member_pk"], assembly=self.assembly
        )


class ExpenseScreen(AttendanceScreen):
    permission = MANAGE_STIPENDS
    expense: Expense

    def resolve(self, **kwargs: Any) -> None:
        super().resolve(**kwargs)
        self.expense = get_object_or_404(
            Expense.objects.select_related("assembly", "member__user", "session"),
            pk=kwargs["expense_pk"],
            assembly=self.assembly,
        )

    def redirect_url(self) -> str:
        return self.url("expenses")


# --- attendance ---------------------------------------------------------------------------
class OverviewScreen(AttendanceScreen):
    template_name = "deliberation/attendance/admin/overview.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        see_names = self.may(SEE_PERSONAL_DATA)
        flagged = [
            (member, member_label(member, see_names), missed)
            for member, missed in selectors.flagged_members(self.assembly)
        ]
        return self.render(
            sessions=list(selectors.sessions_with_counts(self.assembly)),
            expected=selectors.taking_part(self.assembly).count(),
            flagged=flagged,
            threshold=selectors.MISSED_SESSIONS_FLAG,
            see_names=see_names,
            may_manage=self.may(MANAGE_PROGRAMME),
            may_stipends=self.may(MANAGE_STIPENDS),
            may_facilitate=self.may(FACILITATE),
        )


class SessionAttendanceScreen(SessionScreen):
    template_name = "deliberation/attendance/admin/session.html"

    def get_subtitle(self) -> Any:
        return _("Attendance: %(session)s") % {"session": self.session.title}

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        see_names = self.may(SEE_PERSONAL_DATA)
        rows = [(row, member_label(row.member, see_names)) for row in selectors.session_rows(self.session)]
        return self.render(
            session=self.session,
            rows=rows,
            counts=selectors.session_counts(self.session),
            statuses=AttendanceStatus.choices,
            see_names=see_names,
            may_manage=self.may(MANAGE_PROGRAMME),
            may_stipends=self.may(MANAGE_STIPENDS),
            may_facilitate=self.may(FACILITATE),
        )


class MarkScreen(ActionMixin, SessionScreen):
    permission = MANAGE_PROGRAMME

    def act(self) -> Any:
        try:
            member_pk = int(self.request.POST.get("member", ""))
        except ValueError:
            raise ValidationError(_("Choose a member.")) from None
        member = get_object_or_404(Member, pk=member_pk, assembly=self.assembly)
        status = self.request.POST.get("status", "")
        row = services.attendance_mark(
            session=self.session, member=member, status=status, by=self.request.user
        )
        return _("%(member)s: %(status)s.") % {
            "member": member_label(member, self.may(SEE_PERSONAL_DATA)),
            "status": row.get_status_display(),
        }


class CloseScreen(ActionMixin, SessionScreen):
    permission = MANAGE_PROGRAMME

    def act(self) -> Any:
        n = services.attendance_mark_rest_absent(session=self.session, by=self.request.user)
        return ngettext(
            "The session is marked as held; %(n)s member not checked in is recorded absent.",
            "The session is marked as held; %(n)s members not checked in are recorded absent.",
            n,
        ) % {"n": n}


class StipendsScreen(ActionMixin, SessionScreen):
    permission = MANAGE_STIPENDS

    def act(self) -> Any:
        raw = self.request.POST.get("amount", "").strip().replace(",", ".")
        try:
            amount = Decimal(raw)
        except InvalidOperation:
            raise ValidationError(_("Enter the stipend as an amount, for example 50 or 37.50.")) from None
        n = services.stipends_generate(session=self.session, amount=amount, by=self.request.user)
        if not n:
            return _("Every member present already has a stipend for this session.")
        return ngettext(
            "A stipend was added for the one member present.",
            "Stipends were added for the %(n)s members present.",
            n,
        ) % {"n": n}


class WithdrawScreen(ActionMixin, MemberScreen):
    permission = MANAGE_PROGRAMME

    def redirect_url(self) -> str:
        return self.url("overview")

    def act(self) -> Any:
        return services.member_withdraw(member=self.member, by=self.request.user)


# --- access needs, logistics, badges ------------------------------------------------------
class LogisticsScreen(AttendanceScreen):
    template_name = "deliberation/attendance/admin/logistics.html"

    def get_subtitle(self) -> Any:
        return _("Who needs what")

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        see_names = self.may(SEE_PERSONAL_DATA)
        if see_names:  # the records exist for everyone taking part (names on the list)
            services.ensure_participants(members=selectors.taking_part(self.assembly))
        found = selectors.logistics(self.assembly)
        return self.render(
            logistics=found,
            see_names=see_names,
            expected=selectors.taking_part(self.assembly).count(),
            sessions=Session.objects.filter(assembly=self.assembly).exclude(status="cancelled"),
        )


class NeedsForm(forms.Form):
    needs = forms.MultipleChoiceField(
        label=gettext_lazy("Access needs"),
        choices=AccessNeed.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    interpreter_language = forms.CharField(
        label=gettext_lazy("Interpreter for"), max_length=80, required=False
    )
    notes = forms.CharField(
        label=gettext_lazy("Other needs"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class NeedsScreen(MemberScreen):
    permission = SEE_PERSONAL_DATA
    template_name = "deliberation/attendance/admin/needs.html"
    http_method_names = ["get", "head", "post"]

    def get_subtitle(self) -> Any:
        return _("Access needs of %(member)s") % {"member": self.member}

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        participant = services.ensure_participant(member=self.member)
        form = NeedsForm(
            initial={
                "needs": participant.access_needs,
                "interpreter_language": participant.interpreter_language,
                "notes": participant.access_notes,
            }
        )
        return self.render(form=form, member=self.member, participant=participant)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        participant = services.ensure_participant(member=self.member)
        form = NeedsForm(request.POST)
        if form.is_valid():
            try:
                services.participant_update_needs(
                    participant=participant,
                    needs=form.cleaned_data["needs"],
                    interpreter_language=form.cleaned_data["interpreter_language"],
                    notes=form.cleaned_data["notes"],
                    by=request.user,
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(
                    request, _("The access needs of %(member)s are saved.") % {"member": self.member}
                )
                return HttpResponseRedirect(self.url("logistics"))
        return self.render(form=form, member=self.member, participant=participant)


class BadgesScreen(AttendanceScreen):
    permission = SEE_PERSONAL_DATA

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        members = list(selectors.taking_part(self.assembly))
        participants = services.ensure_participants(members=members)
        pdf = documents.badges_pdf(self.assembly, [(m, participants[m.pk]) for m in members])
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="badges-{self.assembly.slug}.pdf"'
        response["Cache-Control"] = "private, no-store"
        return response


# --- expenses -----------------------------------------------------------------------------
class ExpensesScreen(AttendanceScreen):
    permission = MANAGE_STIPENDS
    template_name = "deliberation/attendance/admin/expenses.html"

    def get_subtitle(self) -> Any:
        return _("Expenses and stipends")

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        status = request.GET.get("status", "")
        if status not in ExpenseStatus.values:
            status = ""
        return self.render(
            expenses=list(selectors.expenses(self.assembly, status=status).select_related("member__user")),
            status=status,
            statuses=ExpenseStatus.choices,
            totals=selectors.expense_totals(self.assembly),
            sessions=Session.objects.filter(assembly=self.assembly),
        )


class DecideScreen(ActionMixin, ExpenseScreen):
    def act(self) -> Any:
        decision = self.request.POST.get("decision", "")
        by = self.request.user
        if decision == "approve":
            services.expense_approve(expense=self.expense, by=by)
            return _("Claim EXP-%(n)s approved.") % {"n": self.expense.pk}
        if decision == "reject":
            services.expense_reject(expense=self.expense, reason=self.request.POST.get("reason", ""), by=by)
            return _("Claim EXP-%(n)s not approved; the member sees why.") % {"n": self.expense.pk}
        if decision == "paid":
            services.expense_mark_paid(expense=self.expense, by=by)
            return _("Claim EXP-%(n)s marked paid.") % {"n": self.expense.pk}
        raise ValidationError(_("Choose approve, not approve or paid."))


class ReceiptScreen(ExpenseScreen):
    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        return receipt_response(self.expense)


def receipt_response(expense: Expense) -> HttpResponseBase:
    from django.http import Http404

    if not expense.receipt:
        raise Http404
    extension = expense.receipt.name.rsplit(".", 1)[-1] if "." in expense.receipt.name else "bin"
    return serve_file(
        expense.receipt,
        download_name=f"receipt-EXP-{expense.pk}.{extension}",
        content_type=expense.receipt_type or "application/octet-stream",
    )


class ExportScreen(AttendanceScreen):
    permission = MANAGE_STIPENDS
    file_format = "csv"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        status = request.GET.get("status", "")
        rows = selectors.expenses(self.assembly, status=status if status in ExpenseStatus.values else "")
        data = documents.finance_dataset(rows.select_related("member__user"))
        name = f"expenses-{self.assembly.slug}.{self.file_format}"
        if self.file_format == "xlsx":
            response = HttpResponse(
                data.export("xlsx"),
                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
        else:
            response = HttpResponse(data.export("csv"), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        response["Cache-Control"] = "private, no-store"
        return response


class ExportXlsxScreen(ExportScreen):
    file_format = "xlsx"


ROUTES = [
    Route("<int:pk>/", OverviewScreen, "deliberation_attendance_overview"),
    Route("<int:pk>/session/<int:session_pk>/", SessionAttendanceScreen, "deliberation_attendance_session"),
    Route("<int:pk>/session/<int:session_pk>/mark/", MarkScreen, "deliberation_attendance_mark"),
    Route("<int:pk>/session/<int:session_pk>/close/", CloseScreen, "deliberation_attendance_close"),
    Route("<int:pk>/session/<int:session_pk>/stipends/", StipendsScreen, "deliberation_attendance_stipends"),
    Route("<int:pk>/withdraw/<int:member_pk>/", WithdrawScreen, "deliberation_attendance_withdraw"),
    Route("<int:pk>/logistics/", LogisticsScreen, "deliberation_attendance_logistics"),
    Route("<int:pk>/needs/<int:member_pk>/", NeedsScreen, "deliberation_attendance_needs"),
    Route("<int:pk>/badges.pdf", BadgesScreen, "deliberation_attendance_badges"),
    Route("<int:pk>/expenses/", ExpensesScreen, "deliberation_attendance_expenses"),
    Route("<int:pk>/expenses/<int:expense_pk>/decide/", DecideScreen, "deliberation_attendance_decide"),
    Route("<int:pk>/expenses/<int:expense_pk>/receipt/", ReceiptScreen, "deliberation_attendance_receipt"),
    Route("<int:pk>/expenses.csv", ExportScreen, "deliberation_attendance_export_csv"),
    Route("<int:pk>/expenses.xlsx", ExportXlsxScreen, "deliberation_attendance_export_xlsx"),
]
