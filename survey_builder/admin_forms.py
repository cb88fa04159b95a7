"""Forms of the back office's 问卷发布和统计: the list's filters, step 1 (theme), distribution, answer filters."""
from django import forms
from django.utils.translation import gettext_lazy as _, pgettext_lazy

from config.widgets import IsoDateField, IsoMonthInput
from regions.enums import EnterpriseSize
from regions.models import Industry, Region

from .enums import QuestionnaireFrequency, QuestionnaireStatus, QuestionnaireTarget
from .services import ThemeData


def region_choices(scope) -> list:
    """Regions of the scope down to two levels below it (national: provinces and cities), indented."""
    regions = scope.regions()
    top = scope.profile.region.level if scope.profile.region else 0
    regions = regions.filter(level__lte=min(top + 2, 3)).order_by("code", "level")
    return [(r.pk, "\u3000" * (r.level - top - 1) + r.name) for r in regions if r.level > top]


def region_tree(scope, chosen=()) -> list[dict]:
    """The regions of `region_choices` as a tree for step 1's checkboxes: [{"pk", "name", "checked", "children"}]."""
    regions = scope.regions()
    top = scope.profile.region.level if scope.profile.region else 0
    rows = list(regions.filter(level__lte=min(top + 2, 3), level__gt=top).order_by("code", "level").values("pk", "name", "parent_id"))
    chosen = {int(c) for c in chosen if str(c).isdigit()}
    nodes = {r["pk"]: {"pk": r["pk"], "name": r["name"], "checked": r["pk"] in chosen, "children": []} for r in rows}
    roots = []
    for r in rows:
        parent = nodes.get(r["parent_id"])
        (parent["children"] if parent else roots).append(nodes[r["pk"]])
    return roots


class ThemeForm(forms.Form):
    """问卷主题定义."""

    title = forms.CharField(label=pgettext_lazy("questionnaire", "Name"), max_length=50, help_text=_("At most 50 characters."))
    description = forms.CharField(label=_("Description"), max_length=4000, widget=forms.Textarea(attrs={"rows": 5}),
                                  help_text=_("At most 4,000 characters."))
    frequency = forms.ChoiceField(label=_("Survey frequency"), choices=QuestionnaireFrequency.choices, widget=forms.RadioSelect)
    mandatory = forms.TypedChoiceField(label=_("Mandatory or optional"), choices=[("1", _("Mandatory survey")), ("0", _("Optional survey"))],
                                       coerce=lambda v: v == "1", widget=forms.RadioSelect, initial="1")
    starts_on = IsoDateField(label=_("Start date"))
    ends_on = IsoDateField(label=_("End date"))
    target = forms.ChoiceField(label=_("Target enterprises"), choices=QuestionnaireTarget.choices, widget=forms.RadioSelect,
                               initial=QuestionnaireTarget.ALL)
    sections = forms.MultipleChoiceField(label=_("Industry sections"), required=False, widget=forms.CheckboxSelectMultiple,
                                         help_text=_("Used when the target is chosen industry sections."))
    regions = forms.ModelMultipleChoiceField(label=_("Regions"), required=False, queryset=Region.objects.none(),
                                             widget=forms.CheckboxSelectMultiple,
                                             help_text=_("None chosen: the whole of your region."))
    sizes = forms.MultipleChoiceField(label=_("Enterprise sizes"), required=False, choices=EnterpriseSize.choices,
                                      widget=forms.CheckboxSelectMultiple, help_text=_("None chosen: every size."))

    def __init__(self, *args, scope, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sections"].choices = [(i.code, f"{i.code} {i.name}") for i in Industry.objects.filter(level=1).order_by("code")]
        choices = region_choices(scope)
        self.fields["regions"].queryset = Region.objects.filter(pk__in=[pk for pk, _label in choices])
        self.fields["regions"].choices = choices
        chosen = self.data.getlist("regions") if self.is_bound else self.initial.get("regions", [])
        self.region_tree = region_tree(scope, chosen)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("starts_on") and cleaned.get("ends_on") and cleaned["ends_on"] < cleaned["starts_on"]:
            self.add_error("ends_on", _("The end lies before the start."))
        if cleaned.get("target") == QuestionnaireTarget.SECTIONS and not cleaned.get("sections"):
            self.add_error("sections", _("Choose at least one industry section."))
        return cleaned

    def theme(self) -> ThemeData:
        c = self.cleaned_data
        return ThemeData(title=c["title"], description=c["description"], frequency=c["frequency"], mandatory=c["mandatory"],
                         starts_on=c["starts_on"], ends_on=c["ends_on"], target=c["target"], sections=list(c["sections"]),
                         regions=list(c["regions"]), sizes=list(c["sizes"]))

    @staticmethod
    def initial_of(questionnaire) -> dict:
        return {"title": questionnaire.title, "description": questionnaire.description, "frequency": questionnaire.frequency,
                "mandatory": "1" if questionnaire.mandatory else "0", "starts_on": questionnaire.starts_on,
                "ends_on": questionnaire.ends_on, "target": questionnaire.target, "sections": questionnaire.target_sections,
                "regions": [r.pk for r in questionnaire.target_regions.all()], "sizes": questionnaire.target_sizes}


class AnswerFilterForm(forms.Form):
    username = forms.CharField(label=_("User ID"), required=False, max_length=16)
    period = forms.CharField(label=_("Report month"), required=False, max_length=7,
                             widget=IsoMonthInput)
