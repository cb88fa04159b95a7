"""催报 of the ticked enterprises on 催报's list, as a Wagtail bulk action (its checkboxes, footer and
confirmation page).

Mounted at reminders:bulk_remind rather than through the `register_bulk_action` hook: Wagtail's registry
is per model, and this action must not appear under 监测企业信息管理's enterprises (nor theirs here). The
report type and month come from the list's query string (the `next` URL, or the request's own with 全选);
the chosen ids are scoped through `selectors.non_reporters`, so an id outside the region (or one that has
reported) changes nothing; the SMS go through `services.reminders_send_selected`.
"""
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, QueryDict
from django.utils.translation import gettext_lazy, ngettext

from accounts.listing import ScopedBulkAction, bulk_chosen
from enterprises.models import Enterprise

from . import selectors, services


class RemindBulkAction(ScopedBulkAction):
    display_name = gettext_lazy("Send reminders")
    action_type = "remind"
    aria_label = gettext_lazy("Send a reminder to the selected enterprises")
    help_text = gettext_lazy("Each selected enterprise gets the reminder SMS for the report and month of the list; "
                             "one that has reported since, or has no mobile number, is left out and named.")
    models = [Enterprise]
    template_name = "reminders/admin/bulk_confirm.html"
    header_icon = "mail"
    stylesheet = "css/task_base.css"
    refusals = (PermissionDenied, services.ReminderRefused)

    def dispatch(self, request, *args, **kwargs):
        from .views import _setup

        source = request.GET if "type" in request.GET or "period" in request.GET else \
            QueryDict(self.next_url.partition("?")[2])
        self.source = source
        self.scope, _types, self.report_type, self.period, _current = _setup(request, source)
        return super().dispatch(request, *args, **kwargs)

    def scoped(self):
        qs = selectors.non_reporters(scope=self.scope, report_type=self.report_type, period=self.period)
        region = self.source.get("region", "")
        if region:
            qs = qs.filter(region_code__startswith=region)
        return qs

    def get_actionable_objects(self):
        ids = self.request.GET.getlist("id")
        if "all" in ids:
            search = self.source.get("q", "").strip()
            objects = list(selectors.non_reporters(scope=self.scope, report_type=self.report_type, period=self.period,
                                                   search=search).filter(pk__in=self.scoped().values("pk")))
        else:
            objects = bulk_chosen(self.scoped(), ids)  # outside the region, reported meanwhile or gone: nothing is sent
        if not objects:
            raise Http404
        return objects, {"items_with_no_access": []}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "page_subtitle": self.report_type.localized_title,
                "report_type": self.report_type, "period": self.period}

    def object_context(self, obj):
        return {"item": obj, "mobile": selectors.enterprise_reminder_mobile(obj),
                "status": selectors.report_status_label(obj.report_status)}

    def perform(self, objects, form):
        return services.reminders_send_selected(actor=self.request.user, enterprises=objects,
                                                report_type=self.report_type, period=self.period)

    def report(self, result):
        if result.sent:
            messages.success(self.request, ngettext("Reminder SMS sent to %(count)d enterprise.",
                                                    "Reminder SMS sent to %(count)d enterprises.", len(result.sent))
                             % {"count": len(result.sent)})
        for enterprise, reason in result.refused:
            messages.warning(self.request, reason)


def bulk_remind(request):
    return RemindBulkAction(request, Enterprise).dispatch(request)
