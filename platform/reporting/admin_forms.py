"""The back office's report type form (报表类型, the snippet viewset in wagtail_hooks): which definition is
filled, how often, by when, and which enterprises file it. Every refusal names its field."""
from django import forms
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from formdefs.engine.localize import with_addition
from formdefs.enums import FormKind, VersionStatus
from formdefs.models import FormDefinition, FormVersion
from regions.enums import EnterpriseSize, RegionLevel
from regions.models import Industry, Region

from .enums import Frequency
from .models import ReportType

#: The deadline is a day of the month after the period; every month has 28 days.
DUE_DAY_MAX = 28


def report_definitions(include=None):
    """Definitions a report type may fill: of kind report, with a published version (plus `include`, the
    type's own definition, so an edit never loses it while its definition has no published version)."""
    published = FormVersion.objects.filter(definition=OuterRef("pk"), status=VersionStatus.PUBLISHED)
    qs = FormDefinition.objects.filter(kind=FormKind.REPORT).filter(Exists(published))
    if include is not None:
        qs = qs | FormDefinition.objects.filter(pk=include)
    return qs.order_by("key")


class ReportTypeAdminForm(WagtailAdminModelForm):
    """新建 / 编辑报表类型."""

    key = forms.SlugField(label=_("Key"), max_length=64,
                          help_text=_("Letters, digits, - and _; used in addresses and the API (e.g. sme_quarterly). "
                                      "It cannot change once created."),
                          error_messages={"invalid": _("Key: use letters, digits, hyphens and underscores only."),
                                          "required": _("Key: enter a key.")})
    definition = forms.ModelChoiceField(label=_("Form definition"), queryset=FormDefinition.objects.none(),
                                        help_text=_("Published report definitions; the version filled is the one published "
                                                    "when a period's report is started."),
                                        error_messages={"required": _("Form definition: choose a definition."),
                                                        "invalid_choice": _("Form definition: choose a published report definition.")})
    frequency = forms.ChoiceField(label=_("Frequency"), choices=Frequency.choices, widget=forms.RadioSelect,
                                  initial=Frequency.MONTHLY,
                                  error_messages={"required": _("Frequency: choose monthly, quarterly or annual.")})
    due_day = forms.IntegerField(label=_("Due day"), min_value=1, max_value=DUE_DAY_MAX, initial=20,
                                 help_text=_("The day of the month after the period by which it is due (1–28)."),
                                 error_messages={"required": _("Due day: enter a day from 1 to 28."),
                                                 "invalid": _("Due day: enter a day from 1 to 28."),
                                                 "min_value": _("Due day: enter a day from 1 to 28."),
                                                 "max_value": _("Due day: enter a day from 1 to 28.")})
    backfill_years = forms.IntegerField(label=_("Years open for back-filling"), min_value=0, max_value=10, initial=1,
                                        help_text=_("1: the current and the previous year."),
                                        error_messages={"min_value": _("Years open for back-filling: enter 0 to 10."),
                                                        "max_value": _("Years open for back-filling: enter 0 to 10."),
                                                        "invalid": _("Years open for back-filling: enter 0 to 10."),
                                                        "required": _("Years open for back-filling: enter 0 to 10.")})
    industry_sections = forms.MultipleChoiceField(label=_("Industry sections"), required=False,
                                                  widget=forms.CheckboxSelectMultiple,
                                                  help_text=_("None chosen: every industry."))
    region_prefixes = forms.ModelMultipleChoiceField(label=_("Regions"), required=False, queryset=Region.objects.none(),
                                             widget=forms.SelectMultiple(attrs={"size": 10}),
                                             help_text=_("Enterprises in or under a chosen province or city; none chosen: "
                                                         "every region."))
    region_excluded_prefixes = forms.ModelMultipleChoiceField(
        label=_("Regions left out"), required=False, queryset=Region.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 10}),
        help_text=_("Enterprises in or under a chosen province or city do not file it (a region with a report of its "
                    "own); none chosen: none left out."))
    sizes = forms.MultipleChoiceField(label=_("Enterprise sizes"), required=False, choices=EnterpriseSize.choices,
                                      widget=forms.CheckboxSelectMultiple, help_text=_("None chosen: every size."))

    class Meta:
        model = ReportType
        fields = ["title", "key", "definition", "frequency", "due_day", "backfill_years", "by_task_only", "is_active",
                  "industry_sections", "region_prefixes", "region_excluded_prefixes", "sizes", "form_number", "issuing_authority", "approval_number",
                  "valid_until"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        editing = self.instance.pk is not None
        self.fields["title"].label = _("Report name")
        self.fields["by_task_only"].help_text = _("Filled only through filing tasks, never from Report this period or "
                                                  "the report API; the enterprises then come from each task.")
        # The form marks' help in the user's language (the model's help texts name them in Chinese); the
        # examples are what Chinese forms print, quoted as literal names.
        for name, help_text in (("form_number", _("The form number printed on the report, e.g. “工信中小企月01表”.")),
                                ("issuing_authority", _("The authority that issued the form, e.g. “工业和信息化部”.")),
                                ("approval_number", _("The approval number of the survey, e.g. “国统制〔2024〕12号”.")),
                                ("valid_until", _("Until when the approval number is valid, e.g. “2027年12月”."))):
            self.fields[name].help_text = help_text
        self.fields["title"].error_messages["required"] = _("Title: enter the report's name.")
        self.fields["definition"].queryset = report_definitions(self.instance.definition_id if editing else None)
        self.fields["definition"].label_from_instance = lambda d: with_addition(d.localized_title, d.key)
        self.fields["industry_sections"].choices = [
            (i.code, f"{i.code} {i.name}") for i in Industry.objects.filter(level=1).order_by("code")]
        regions = Region.objects.filter(level__lte=RegionLevel.CITY).order_by("code", "level")
        for name, message in (("region_prefixes", _("Regions: choose provinces or cities from the list.")),
                              ("region_excluded_prefixes",
                               _("Regions left out: choose provinces or cities from the list."))):
            field = self.fields[name]
            field.queryset = regions
            field.label_from_instance = lambda r: ("\u3000" if r.level == RegionLevel.CITY else "") + r.name
            field.error_messages["invalid_choice"] = message
            prefixes = getattr(self.instance, name) or []
            if prefixes and not self.is_bound:
                self.initial[name] = [r.pk for r in regions if r.prefix in prefixes]
        if editing:
            # Reports, drafts and addresses carry the key: it stays what it was.
            self.fields["key"].disabled = True

    def clean_region_prefixes(self) -> list[str]:
        """Stored as code prefixes ("33", "3302"): an enterprise applies when its code starts with one."""
        return sorted({region.prefix for region in self.cleaned_data["region_prefixes"]})

    def clean_region_excluded_prefixes(self) -> list[str]:
        """As code prefixes too: an enterprise whose code starts with one does not file the report."""
        return sorted({region.prefix for region in self.cleaned_data["region_excluded_prefixes"]})

    def clean_key(self):
        key = self.cleaned_data["key"]
        if self.instance.pk is None and ReportType.objects.filter(key=key).exists():
            raise forms.ValidationError(_("Key: another report type already uses “%(key)s”.") % {"key": key})
        return key

    def clean(self):
        cleaned = super().clean()
        changing = self.instance.pk is not None and self.instance.submissions.exists()
        if changing and "frequency" in cleaned and cleaned["frequency"] != self.instance.frequency:
            self.add_error("frequency", _("Frequency: reports of this type exist; their periods follow the frequency, "
                                          "so it cannot change now."))
        left_out = cleaned.get("region_excluded_prefixes") or []
        if any(chosen.startswith(out) for chosen in cleaned.get("region_prefixes") or [] for out in left_out):
            self.add_error("region_excluded_prefixes", _("Regions left out: a region left out contains a region "
                                                         "chosen to file it; leave out only regions inside the chosen ones."))
        return cleaned

    def validate_unique(self):
        # The key's uniqueness is clean_key's, with a message naming the field.
        exclude = self._get_validation_exclusions()
        exclude.add("key")
        try:
            self.instance.validate_unique(exclude=exclude)
        except forms.ValidationError as exc:
            self._update_errors(exc)
