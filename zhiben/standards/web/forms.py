"""Forms of the standards pages; their cleaned data goes to the services unchanged."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from zhiben.core.forms import StyledFormMixin
from zhiben.standards.models import Standard, StandardItem


class CopyForm(StyledFormMixin, forms.Form):
    version = forms.CharField(label=_("new version"), max_length=32, help_text=_("A label such as 2025."))
    title = forms.CharField(label=_("title"), max_length=200, required=False,
                            help_text=_("Leave empty to keep the title of the version copied."))


class StandardForm(StyledFormMixin, forms.ModelForm):
    """Metadata of a draft. Status, region and lineage are not editable; dates in force are set on publishing."""

    class Meta:
        model = Standard
        fields = ["title", "version", "document_no", "issuer", "published_on", "effective_from", "trust",
                  "source", "notes"]
        widgets = {
            "published_on": forms.DateInput(),
            "effective_from": forms.DateInput(),
            "source": forms.Textarea(attrs={"rows": 3}),
            "notes": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "effective_from": _("Planned date; the date given when publishing decides."),
            "trust": _("How far the text of this version has been checked against the official document."),
        }

    def validate_unique(self):
        """Uniqueness of the version label is the service's to check (per region, with a clear message)."""


class ItemForm(StyledFormMixin, forms.Form):
    """One item of a draft; score tables also edit the points and the guarantee-item mark kept in `extra`."""

    code = forms.CharField(label=_("code"), max_length=32)
    category = forms.CharField(label=_("category"), max_length=100, required=False)
    level = forms.ChoiceField(label=_("level"), choices=StandardItem.Level.choices)
    text = forms.CharField(label=_("text"), widget=forms.Textarea(attrs={"rows": 3}))
    legal_source = forms.CharField(label=_("legal source"), max_length=300, required=False)
    verified = forms.BooleanField(label=_("verified against the official text"), required=False)
    max_points = forms.IntegerField(label=_("maximum points"), min_value=0, max_value=100, required=False)
    guarantee = forms.BooleanField(label=_("guarantee item"), required=False)

    def __init__(self, *args, standard: Standard, item: StandardItem | None = None, **kwargs):
        self.standard = standard
        self.item = item
        if item is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "code": item.code, "category": item.category, "level": item.level, "text": item.text,
                "legal_source": item.legal_source, "verified": item.verified,
                "max_points": (item.extra or {}).get("max_points"),
                "guarantee": bool((item.extra or {}).get("guarantee")),
            }
        elif item is None and "initial" not in kwargs:
            kwargs["initial"] = {"level": StandardItem.Level.GENERAL
                                 if standard.kind == Standard.Kind.SCORE_TABLE else StandardItem.Level.MAJOR}
        super().__init__(*args, **kwargs)
        if standard.kind != Standard.Kind.SCORE_TABLE:
            del self.fields["max_points"]
            del self.fields["guarantee"]

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        extra = dict(self.item.extra) if self.item is not None else {}
        if "max_points" in data:
            points = data.pop("max_points")
            guarantee = data.pop("guarantee")
            if points is None:
                extra.pop("max_points", None)
            else:
                extra["max_points"] = points
            extra["guarantee"] = guarantee
            extra["item_type"] = "保证项目" if guarantee else "一般项目"
        data["extra"] = extra
        return data


class PublishForm(StyledFormMixin, forms.Form):
    effective_from = forms.DateField(label=_("in force from"), widget=forms.DateInput())
    confirm = forms.BooleanField(
        label=_("I understand that a published version can no longer be changed."), required=True,
        error_messages={"required": _("Confirm that the version is complete.")},
    )
