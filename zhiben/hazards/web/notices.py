"""Rectification notice pages: issue a notice for hazards of one site, read it, download .docx / .pdf.

The list and the detail page are declared on `zhiben.core.pages`; issuing checks the role before the project.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhiben.core.forms import StyledFormMixin
from zhiben.core.pages import ObjectDetailView, ObjectListView
from zhiben.core.web import apply_form_errors
from zhiben.documents import docx, pdf
from zhiben.hazards import notices, selectors
from zhiben.hazards.models import RectificationNotice
from zhiben.hazards.states import LIVE
from zhiben.registry.selectors import projects_visible_to


class NoticeForm(StyledFormMixin, forms.Form):
    hazards = forms.ModelMultipleChoiceField(label=gettext_lazy("hazards"), queryset=None,
                                             widget=forms.CheckboxSelectMultiple)
    deadline = forms.DateField(label=gettext_lazy("rectify by"), required=False, widget=forms.DateInput,
                               help_text=gettext_lazy("Empty: the earliest deadline of the chosen hazards."))
    requirements = forms.CharField(label=gettext_lazy("further requirements"), required=False,
                                   widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, queryset, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["hazards"].queryset = queryset
        self.fields["hazards"].label_from_instance = lambda h: f"{h.code} {h.description[:40]}"


def _notices(user):
    return RectificationNotice.objects.visible_to(user).select_related("project", "issued_by")


@login_required
def notice_create(request, project_id: int):
    if not notices.can_issue_notice(request.user):
        raise PermissionDenied
    project = get_object_or_404(projects_visible_to(request.user), pk=project_id)
    live = selectors.hazards_visible_to(request.user).filter(project=project, status__in=LIVE).order_by("found_at")
    initial = {"hazards": [h for h in request.GET.getlist("hazard") if h.isdigit()]}
    form = NoticeForm(request.POST or None, queryset=live, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            notice = notices.notice_issue(
                actor=request.user, hazard_ids=[h.pk for h in form.cleaned_data["hazards"]],
                deadline=form.cleaned_data["deadline"], requirements=form.cleaned_data["requirements"],
                request=request,
            )
        except ValidationError as exc:
            apply_form_errors(form, exc)
        else:
            messages.success(request, _("Notice %(number)s issued.") % {"number": notice.number})
            return redirect("hazards:notice_detail", pk=notice.pk)
    return render(request, "hazards/notice_form.html", {"form": form, "project": project})


class NoticeList(ObjectListView):
    template_name = "hazards/notice_list.html"
    per_page = 20

    @staticmethod
    def selector(user):
        return _notices(user).order_by("-issued_at", "-id")


class NoticeDetail(ObjectDetailView):
    template_name = "hazards/notice_detail.html"
    queryset = _notices
    context_object_name = "notice"

    def get_extra_context(self, notice) -> dict:
        return {"document": notices.notice_document(notice)}


@login_required
def notice_file(request, pk: int, fmt: str):
    notice = get_object_or_404(_notices(request.user), pk=pk)
    document = notices.notice_document(notice)
    if fmt == "pdf":
        body, content_type = pdf.render(document), "application/pdf"
    else:
        body = docx.render(document)
        content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, f"{notice.number}.{fmt}")
    return response
