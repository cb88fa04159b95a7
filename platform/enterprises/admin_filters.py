"""Filters of the back office's enterprise lists (django-filter through Wagtail's listing views).

The region choices come from the administrator's scope; a region outside it is not a valid choice.
"""
import django_filters
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet

from .enums import EnterpriseState, RegistrationStatus
from .models import Enterprise
from .selectors import region_filter_choices


class _RegionFilterSet(WagtailFilterSet):
    region = django_filters.ChoiceFilter(label=_("Region"), method="filter_region", empty_label=_("All regions"))

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        super().__init__(data, queryset, request=request, prefix=prefix)
        self.filters["region"].extra["choices"] = region_filter_choices(request.user) if request else []

    def filter_region(self, queryset, name, value):
        return queryset.filter(region_code__startswith=value) if value else queryset


class RegistrationFilterSet(_RegionFilterSet):
    """企业注册信息审核: region, status (待审核 by default), name or credit code (the search box)."""

    STATUS_ALL = "all"
    status = django_filters.ChoiceFilter(
        label=_("Status"), method="filter_status", empty_label=None,
        choices=[(RegistrationStatus.PENDING, RegistrationStatus.PENDING.label),
                 (RegistrationStatus.RETURNED, RegistrationStatus.RETURNED.label), (STATUS_ALL, _("All"))])

    class Meta:
        model = Enterprise
        fields = ["region", "status"]

    def __init__(self, data=None, *args, **kwargs):
        if data is not None and not data.get("status"):
            data = data.copy()
            data["status"] = RegistrationStatus.PENDING
        super().__init__(data, *args, **kwargs)

    def filter_status(self, queryset, name, value):
        return queryset if value in ("", self.STATUS_ALL) else queryset.filter(status=value)


class EnterpriseFilterSet(_RegionFilterSet):
    """监测企业信息管理: region, 启用 / 停用, name or ID (the search box)."""

    state = django_filters.ChoiceFilter(label=_("Status"), method="filter_state", choices=EnterpriseState.choices,
                                        empty_label=_("All"))

    class Meta:
        model = Enterprise
        fields = ["region", "state"]

    def filter_state(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(is_disabled=value == EnterpriseState.DISABLED)
