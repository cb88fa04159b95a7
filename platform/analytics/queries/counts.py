"""The summary and counting queries (SPEC §8.5, 8.7–8.10)."""
from django.utils.translation import gettext as _, gettext_lazy, pgettext

from reminders.selectors import report_status_label
from reporting.periods import period_label

from .. import forms, selectors
from ..enums import Analysis, Grouping, RankBy, YearMode
from ..indicators import indicators, share
from .base import Query, percent


class SummaryQuery(Query):
    """经济指标月报汇总查询. 综合汇总 reads as the seed's screen (one line per indicator); the other
    groupings are one line per group with three columns per indicator."""

    key = "summary"
    title = gettext_lazy("Monthly indicator summary")
    form_class = forms.SummaryForm
    paginated = False
    needs_indicators = True
    needs_approved = True

    def chosen(self):
        wanted = self.filters.get("indicators") or self.form.default_indicators("summary")
        return [i for i in indicators(self.analytics) if i.id in wanted]

    def summary(self):
        if not hasattr(self, "_summary"):
            f = self.filters
            self._summary = selectors.summary_compute(
                scope=self.scope, report_type=self.report_type, period=f["month"], status=f.get("status", ""),
                grouping=f.get("grouping") or Grouping.OVERALL, exclude_large=f.get("exclude_large", False),
                exclude_disabled=f.get("exclude_disabled", False), indicators=[i.id for i in self.chosen()])
        return self._summary

    @property
    def overall(self) -> bool:
        return (self.filters.get("grouping") or Grouping.OVERALL) == Grouping.OVERALL

    def objects(self):
        summary = self.summary()
        return [summary.total] if self.overall else [summary.total, *summary.groups]

    def header_groups(self):
        if self.overall:
            return []
        return [("", 5), *[(i.heading, 3) for i in self.chosen()]]

    def headers(self):
        if self.overall:
            return [pgettext("analytics", "Indicator"), pgettext("analytics", "Unit"), _("Year to date"), _("Same period last year"), _("Growth (%)")]
        return [self._group_heading(), pgettext("analytics", "Enterprises"), _("Comparable enterprises"),
                _("of which loss-making"), _("Loss share (%)"),
                *[h for _i in self.chosen() for h in (_("Year to date"), _("Same period last year"), _("Growth (%)"))]]

    def _group_heading(self):
        return str(Grouping(self.filters.get("grouping")).label)

    def captions(self):
        """The filters, and the basis of the growth (issue 22 §6): over the comparable enterprises."""
        f = self.filters
        fields = self.form.fields
        status = forms.choice_label(fields["status"], f.get("status", ""))
        grouping = Grouping(f.get("grouping") or Grouping.OVERALL).label
        filters = [_("Report month: %(month)s") % {"month": period_label(self.report_type.frequency, f["month"])},
                   _("Report status: %(status)s") % {"status": status},
                   _("Summary type: %(grouping)s") % {"grouping": grouping}]
        filters += [str(fields[name].label) for name in ("exclude_large", "exclude_disabled") if f.get(name)]
        total = self.summary().total
        basis = _("Growth is on a comparable basis: %(comparable)d of the %(enterprises)d enterprises have a last-year "
                  "figure. It is the report's own “Jan to this month last year” where filled, else “Jan to "
                  "this month” of the approved report of the same month last year; enterprises with neither are left "
                  "out of the growth.") % {"comparable": total.comparable, "enterprises": total.enterprises}
        return [" · ".join(str(part) for part in filters), basis]

    def count(self, objects):
        return len(self.chosen()) + 4 if self.overall else len(objects)

    def cells(self, objects):
        if self.overall:
            for g in objects:
                yield g, [pgettext("analytics", "Enterprises"), pgettext("unit", "enterprises"), g.enterprises, None, None]
                yield g, [_("Comparable enterprises"), pgettext("unit", "enterprises"), g.comparable, None, None]
                yield g, [_("of which loss-making"), pgettext("unit", "enterprises"), g.losses, None, None]
                yield g, [_("Loss share"), "%", percent(g.loss_share), None, None]
                for i in self.chosen():
                    yield g, [i.label, i.unit, g.current.get(i.id), g.last.get(i.id), percent(g.growth(i.id))]
            return
        for g in objects:
            label = g.label if g.key or g is not objects[0] else _("Total")
            yield g, [label, g.enterprises, g.comparable, g.losses, percent(g.loss_share),
                      *[v for i in self.chosen() for v in (g.current.get(i.id), g.last.get(i.id), percent(g.growth(i.id)))]]


class LeaderboardQuery(Query):
    """报送龙虎榜."""

    key = "leaderboard"
    title = gettext_lazy("Reporting leaderboard")
    form_class = forms.LeaderboardForm
    paginated = False

    def objects(self):
        f = self.filters
        return selectors.leaderboard(scope=self.scope, report_type=self.report_type, period=f["month"],
                                     deadline=f["deadline"], by=f.get("by") or RankBy.REGION)

    def headers(self):
        who = _("Administrator") if self.filters.get("by") == RankBy.ADMINISTRATOR else pgettext("analytics", "Region")
        return [_("Rank"), who, _("Monitored enterprises"), pgettext("analytics", "Waiting for review"), pgettext("analytics", "Returned"),
                _("Editing"), pgettext("analytics", "Approved"), _("Frozen"), pgettext("analytics", "Unfrozen")]

    def cells(self, objects):
        for r in objects:
            yield r, [r.rank, r.name, r.monitored, r.pending, r.returned, r.editing, r.approved, r.frozen, r.unfrozen]

    def chart(self, objects):
        """龙虎榜 as horizontal bars in rank order: approved and waiting reports per region (or administrator)."""
        rows = list(objects)
        return {"kind": "bar", "categories": [r.name for r in rows],
                "series": [{"name": str(pgettext("analytics", "Approved")), "data": [r.approved for r in rows]},
                           {"name": str(pgettext("analytics", "Waiting for review")), "data": [r.pending for r in rows]}]}




def month_headers() -> list[str]:
    return [_("Jan"), _("Feb"), _("Mar"), _("Apr"), _("May"), _("Jun"), _("Jul"), _("Aug"), _("Sep"), _("Oct"),
            _("Nov"), _("Dec")]


class YearDetailQuery(Query):
    """年度报送明细查询: twelve monthly statuses per enterprise (or the months of a range)."""

    key = "year_detail"
    title = gettext_lazy("Annual reporting details")
    form_class = forms.YearDetailForm

    def months(self):
        from reporting.periods import month_add, month_start

        f = self.filters
        if f.get("mode") == YearMode.RANGE:
            out, period = [], f["first"]
            while period <= f["last"]:
                out.append(period)
                period = month_add(period, 1)
            return out
        return [month_start(f["year"], m) for m in range(1, 13)]

    def objects(self):
        f = self.filters
        months = self.months()
        if f.get("mode") == YearMode.RANGE:
            return selectors.year_enterprises(scope=self.scope, report_type=self.report_type, region=f.get("region", ""),
                                              first=months[0], last=months[-1], months=len(months))
        return selectors.year_enterprises(scope=self.scope, report_type=self.report_type, region=f.get("region", ""))

    def headers(self):
        months = self.months()
        labels = month_headers() if self.filters.get("mode") != YearMode.RANGE else [f"{m:%Y-%m}" for m in months]
        return [_("Enterprise ID"), _("Enterprise name"), pgettext("analytics", "Region"), _("Contact person"), pgettext("analytics", "Phone"), _("Mobile"),
                _("E-mail"), *labels]

    def cells(self, objects):
        from reporting.models import Submission

        objects = list(objects)
        months = self.months()
        regions = selectors.region_names(e.region_code for e in objects)
        found = {}
        for enterprise_id, period, status in (Submission.objects.filter(
                report_type=self.report_type, enterprise_id__in=[e.pk for e in objects],
                period__gte=months[0], period__lte=months[-1]).values_list("enterprise_id", "period", "status")):
            found[(enterprise_id, period)] = status
        for e in objects:
            yield e, [e.user.username, e.name, regions.get(e.region_code, ""), e.contact, e.phone, e.mobile, e.email,
                      *[report_status_label(found.get((e.pk, m))) for m in months]]


class YearCountsQuery(Query):
    """年度报送企业数统计."""

    key = "year_counts"
    title = gettext_lazy("Reports per month of a year")
    form_class = forms.YearCountsForm
    paginated = False

    def file_name(self):
        return f"{self.key}-{self.filters.get('year', '')}.xlsx"

    def objects(self):
        f = self.filters
        return selectors.year_counts(scope=self.scope, report_type=self.report_type, year=f["year"],
                                     approved_only=f.get("approved_only", False))

    def headers(self):
        return [pgettext("analytics", "Region"), *month_headers(), _("Total")]

    def cells(self, objects):
        for r in objects:
            yield r, [r.name or _("Total"), *r.months, r.total]

    def chart(self, objects):
        """年度报送企业数统计 as a heatmap: months × regions (the 合计 row left out), [month, region, count]."""
        rows = [r for r in objects if r.name]
        return {"kind": "heatmap", "x": [str(m) for m in month_headers()], "y": [r.name for r in rows],
                "data": [[m, y, count] for y, r in enumerate(rows) for m, count in enumerate(r.months)],
                "max": max((c for r in rows for c in r.months), default=0)}


class AnalysisQuery(Query):
    """月度报送情况分析: composite (counts and shares by class) or size distribution (per region)."""

    key = "analysis"
    title = gettext_lazy("Monthly reporting analysis")
    form_class = forms.AnalysisForm
    paginated = False
    needs_approved = True

    @property
    def composite(self) -> bool:
        return (self.filters.get("analysis") or Analysis.COMPOSITE) == Analysis.COMPOSITE

    def objects(self):
        f = self.filters
        if self.composite:
            result = selectors.analysis_composite(scope=self.scope, report_type=self.report_type, period=f["month"],
                                                  deadline=f["deadline"], exclude_large=f.get("exclude_large", False))
            rows = [("heading", _("Total"), None, None), ("row", _("Reporting enterprises"), result.total, None),
                    ("row", _("Industrial enterprises"), result.industrial,
                     percent(share(result.industrial, result.total)))]
            for number, (title, items) in enumerate(result.sections, 1):
                rows.append(("heading", f"{number}. {title}", None, None))
                rows += [("row", item.label, item.count, percent(item.share)) for item in items]
            return rows
        return selectors.analysis_size(scope=self.scope, report_type=self.report_type, period=f["month"],
                                       deadline=f["deadline"], previous_deadline=f["previous_deadline"],
                                       exclude_large=f.get("exclude_large", False))

    def headers(self):
        if self.composite:
            return [pgettext("analytics", "Class"), _("Reporting enterprises"), _("Share (%)")]
        return [_("No."), pgettext("analytics", "Region"), _("Approved reports this month"), _("Change on last month"),
                _("Small and micro among all (%)"), _("Industrial among all (%)"),
                _("Below-scale among industrial (%)"), _("Small and micro among industrial (%)"),
                _("Construction among all (%)"), _("Agriculture among all (%)"), _("Tertiary among all (%)")]

    def cells(self, objects):
        if self.composite:
            for kind, label, count, percentage in objects:
                yield kind, [label, count, percentage]
            return
        for number, r in enumerate(objects, 1):
            yield r, [number, r.name or _("Total"), r.approved, r.change, percent(r.small_micro_share),
                      percent(r.industrial_share), percent(r.below_scale_share),
                      percent(r.industrial_small_micro_share), percent(r.construction_share),
                      percent(r.agriculture_share), percent(r.tertiary_share)]
