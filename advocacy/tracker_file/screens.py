"""The tracker file in the admin: download (CSV/XLSX), upload → preview of
each change and each error → confirm applies (mounted under
/admin/advocacy/tracker-file/ by ``advocacy.plugin``).

The uploaded file is not stored: the preview sends it back in the confirm
form as a signed payload (``django.core.signing``, salted with the assembly
and the user, valid for an hour); the confirm re-reads and re-checks it in
the transaction that applies it, so what is applied is what is in the file
against the tracker as it is at that moment.
"""

from __future__ import annotations

import base64
import io
import zlib
from typing import Any, ClassVar

from django import forms
from django.contrib import messages
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from advocacy.rules import MANAGE_ADVOCACY, VIEW_ADVOCACY
from assemblies.registry import Route
from assemblies.screens import AssemblyScreen

from . import export as exporter
from .columns import HEADER
from .plan import Plan, count_line
from .services import fingerprint, tracker_import

#: A tracker of a few hundred recommendations is far below this.
MAX_UPLOAD = 2 * 1024 * 1024
PAYLOAD_MAX_AGE = 3600


def tracker_url(assembly_id: int) -> str:
    return reverse("admin:advocacy_tracker_file", args=[assembly_id])


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Tracker file (CSV or XLSX)"),
        help_text=gettext_lazy("A file exported here (or by “manage.py tracker export”), edited."),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("The file must end in .csv or .xlsx."))
        if upload.size > MAX_UPLOAD:
            raise forms.ValidationError(_("The file is larger than 2 MB: is it the tracker?"))
        return upload


def _salt(assembly_id: int, user_id: Any) -> str:
    return f"advocacy.tracker_file:{assembly_id}:{user_id}"


def sign_file(content: bytes, name: str, changes: list[list[Any]], *, assembly_id: int, user_id: Any) -> str:
    packed = base64.b64encode(zlib.compress(content)).decode("ascii")
    return signing.dumps(
        {"name": name, "content": packed, "changes": changes}, salt=_salt(assembly_id, user_id), compress=True
    )


def unsign_file(payload: str, *, assembly_id: int, user_id: Any) -> tuple[bytes, str, list[list[Any]]] | None:
    try:
        data = signing.loads(payload, salt=_salt(assembly_id, user_id), max_age=PAYLOAD_MAX_AGE)
        content = zlib.decompress(base64.b64decode(data["content"]))
        return content, str(data["name"]), list(data["changes"])
    except (signing.BadSignature, KeyError, TypeError, ValueError, zlib.error):
        return None


class TrackerFileScreen(AssemblyScreen):
    """Download the tracker; upload an edited one for a preview."""

    permission = VIEW_ADVOCACY
    template_name = "advocacy/tracker_file/screen.html"
    http_method_names = ["get", "head", "post"]

    def get_subtitle(self) -> Any:
        return _("Tracker file")

    def render_page(self, form: UploadForm | None = None, **extra: Any) -> HttpResponse:
        return self.render(
            form=form or UploadForm(),
            can_import=self.may(MANAGE_ADVOCACY),
            header=",".join(HEADER),
            **extra,
        )

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self.render_page()

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        """Upload: the preview (nothing is applied)."""
        if not self.may(MANAGE_ADVOCACY):
            raise PermissionDenied
        form = UploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_page(form)
        upload = form.cleaned_data["file"]
        content = upload.read()
        plan = tracker_import(
            assembly=self.assembly, file=io.BytesIO(content), name=upload.name, by=request.user, dry_run=True
        )
        payload = ""
        if plan.ok and plan.changes:
            payload = sign_file(
                content,
                upload.name,
                fingerprint(plan),
                assembly_id=self.assembly.pk,
                user_id=request.user.pk,
            )
        summary = count_line(len(plan.changes))
        return self.render_page(form, plan=plan, preview=True, payload=payload, summary=summary)


class TrackerConfirmScreen(AssemblyScreen):
    """Apply the previewed file (POST only)."""

    permission = MANAGE_ADVOCACY
    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        unpacked = unsign_file(
            request.POST.get("payload", ""), assembly_id=self.assembly.pk, user_id=request.user.pk
        )
        if unpacked is None:
            messages.error(request, _("The preview has expired or was changed. Upload the file again."))
            return HttpResponseRedirect(tracker_url(self.assembly.pk))
        content, name, expected = unpacked
        plan: Plan = tracker_import(
            assembly=self.assembly, file=io.BytesIO(content), name=name, by=request.user, expected=expected
        )
        if not plan.ok:
            messages.error(
                request,
                _("Nothing was applied: %(errors)s") % {"errors": " ".join(str(e) for e in plan.errors)},
            )
        else:
            messages.success(request, _("Applied: %(count)s.") % {"count": count_line(len(plan.changes))})
        return HttpResponseRedirect(tracker_url(self.assembly.pk))


class TrackerDownloadScreen(AssemblyScreen):
    permission = VIEW_ADVOCACY
    fmt: ClassVar[str] = "csv"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        fmt = self.fmt
        content_type = exporter.XLSX_CONTENT_TYPE if fmt == "xlsx" else "text/csv; charset=utf-8"
        response = HttpResponse(exporter.export(self.assembly, fmt), content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{exporter.filename(self.assembly, fmt)}"'
        response["Cache-Control"] = "no-store"
        return response


class TrackerXlsxScreen(TrackerDownloadScreen):
    fmt = "xlsx"


ROUTES = [
    Route("<int:pk>/", TrackerFileScreen, "advocacy_tracker_file"),
    Route("<int:pk>/confirm/", TrackerConfirmScreen, "advocacy_tracker_file_confirm"),
    Route("<int:pk>/tracker.csv", TrackerDownloadScreen, "advocacy_tracker_file_csv"),
    Route("<int:pk>/tracker.xlsx", TrackerXlsxScreen, "advocacy_tracker_file_xlsx"),
]
