"""Back-office forms of 下级管理员维护: they parse input; `services.subordinate_create` and
`services.administrator_update` decide (region inside one's own, flags one holds, skip-level)."""
from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from regions.enums import RegionLevel
from regions.selectors import region_by_code, region_children

from .enums import AdminFlag
from .selectors import administrator_grantable_flags
from .validators import mobile_validator, user_id_validator

def _region_chain(region) -> dict[int, str]:
    """{level: code} from the province down to `region`."""
    chain, node = {}, region
    while node is not None:
        chain[node.level] = node.code
        node = node.parent
    return chain


class SubordinateForm(forms.Form):
    """新增 / 编辑下级管理员. The manageable region is a cascade of selects below the granter's own
    region (one per level; the deepest one chosen wins), filled by /ref/regions/?parent=CODE."""

    username = forms.CharField(
        label=_("User ID"), max_length=16, validators=[user_id_validator],
        help_text=_("4–16 characters: letters, digits, @ and _. It cannot be changed later."),
    )
    real_name = forms.CharField(label=_("Contact name"), max_length=32, required=False)
    mobile = forms.CharField(
        label=_("Mobile"), max_length=11, validators=[mobile_validator],
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
        help_text=_("Used for the SMS code at every login."),
    )
    email = forms.EmailField(label=_("E-mail"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=32, required=False)
    organisation = forms.CharField(label=_("Organisation"), max_length=128, required=False)

    def __init__(self, *args, granter, instance=None, **kwargs):
        self.granter, self.instance = granter, instance
        if instance is not None:
            user = instance.user
            kwargs.setdefault("initial", {}).update(
                real_name=user.real_name, mobile=user.mobile, email=user.email, phone=instance.phone,
                organisation=instance.organisation,
                **{f"region_{level}": code for level, code in _region_chain(instance.region).items()},
                **{flag: getattr(instance, flag) for flag in AdminFlag.values},
            )
        super().__init__(*args, **kwargs)
        if instance is not None:
            del self.fields["username"]
        base_level = 0 if granter.region is None else granter.region.level
        self.region_levels = list(range(base_level + 1, RegionLevel.COUNTY + 1))
        parent_code = "" if granter.region is None else granter.region.code
        for level in self.region_levels:
            name = f"region_{level}"
            children = region_children(parent_code=parent_code) if parent_code or level == 1 else []
            self.fields[name] = forms.ChoiceField(
                label=RegionLevel(level).label, required=level == self.region_levels[0],
                choices=[("", _("— choose —"))] + [(r.code, r.name) for r in children],
                widget=forms.Select(attrs={
                    "data-region-level": level, "data-children-url": reverse_lazy("regions:region-children"),
                }),
            )
            chosen = self[name].value() or ""
            parent_code = chosen if chosen in {c for c, _n in self.fields[name].choices} else ""
        self.flag_names = []
        grantable = administrator_grantable_flags(granter)
        for flag in AdminFlag:
            if flag == AdminFlag.SKIP_LEVEL and not granter.is_national:
                continue  # only the national administrator creates provinces: never offered below it
            held = instance is not None and getattr(instance, flag.value)
            field = forms.BooleanField(label=flag.label, required=False)
            if flag.value not in grantable and not held:
                field.disabled = True
                field.help_text = _("You do not hold this permission, so you cannot grant it.")
            if flag == AdminFlag.SKIP_LEVEL:
                field.help_text = _("Province administrators only.")
                field.widget.attrs["data-province-only"] = "1"
            self.fields[flag.value] = field
            self.flag_names.append(flag.value)

    @property
    def region_fields(self):
        return [self[f"region_{level}"] for level in self.region_levels]

    @property
    def detail_fields(self):
        names = ["username", "real_name", "mobile", "email", "phone", "organisation"]
        return [self[name] for name in names if name in self.fields]

    @property
    def flag_fields(self):
        return [self[name] for name in self.flag_names]

    def clean(self):
        cleaned = super().clean()
        region = None
        for level in self.region_levels:
            code = cleaned.get(f"region_{level}")
            if not code:
                break
            region = region_by_code(code, level=level)
        if region is None and not self.errors.get(f"region_{self.region_levels[0]}" if self.region_levels else ""):
            raise forms.ValidationError(_("Choose a manageable region."))
        cleaned["region"] = region
        return cleaned

    def service_kwargs(self) -> dict:
        """Keyword arguments for subordinate_create / administrator_update."""
        data = self.cleaned_data
        kwargs = {name: data[name] for name in ("real_name", "mobile", "email", "phone", "organisation")}
        kwargs["region"] = data["region"]
        kwargs.update({flag: bool(data.get(flag)) for flag in self.flag_names})
        if "username" in self.fields:
            kwargs["username"] = data["username"]
        return kwargs
