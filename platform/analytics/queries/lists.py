"""The row-per-enterprise and row-per-report queries (SPEC §8.1–8.4, 8.6)."""
from django.utils.translation import gettext as _, gettext_lazy, pgettext, pgettext_lazy

from exports.reference import INDUSTRY_CODE, INDUSTRY_NAME, REGION_CODE, REGION_NAME, code_names
from reminders.selectors import report_status_label
from regions.enums import EnterpriseSize
from reporting.enums import ChangeStatus

from .. import forms, selectors
from ..definition import versions_analytics
from ..indicators import absent_mark, grid_columns, indicator_layout, indicators, month_label, number, product_columns
from ..selectors.lists import cell_key
from .base import Query, yes_no


def _industry_paths(ids) -> dict[int, str]:
    """{industry id: 农、林、牧、渔业→农业→…} for a batch of rows (one query)."""
    from regions.models import Industry

    return {i.pk: i.path_names for i in Industry.objects.filter(pk__in=set(ids)).select_related("parent__parent__parent")}


def _industry_names(codes) -> dict[str, str]:
    from regions.selectors import industry_by_full_code

    return {code: (industry.path_names if (industry := industry_by_full_code(code)) else code) for code in set(codes)}


class BasicQuery(Query):
    """企业基本信息查询. Rows are read as plain values (no model instances): the export of a whole
    province stays close to the speed of writing the workbook itself."""

    key = "basic"
    title = gettext_lazy("Enterprise information")
    form_class = forms.BasicForm
    FIELDS = {
        "credit_code": "credit_code", "legal_representative": "legal_representative", "industry": "industry_id",
        "region": "region_code", "holding_type": "holding_type__name", "registration_type": "registration_type__name",
        "postcode": "postcode", "address": "address", "size": "size", "email": "email",
        "main_business": "main_business", "website": "website", "contact": "contact", "phone": "phone", "fax": "fax",
        "opened_on": "opened_on", "is_listed": "is_listed", "reviewer": "direct_reviewer__user__username",
    }

    def columns(self):
        chosen = self.filters.get("columns") or forms.BasicForm.DEFAULT_COLUMNS
        return [(k, label) for k, label in forms.BasicForm.COLUMN_CHOICES if k in chosen]

    def _fields(self) -> list[str]:
        return ["pk", "name", "user__username", *[self.FIELDS[k] for k, _label in self.columns()]]

    def objects(self):
        f = self.filters
        return selectors.enterprise_list(scope=self.scope, region=f.get("region", ""), state=f.get("state", ""),
                                         query=f.get("query", ""), administrator=f.get("administrator", "")
                                         ).values_list(*self._fields())

    def headers(self):
        return [_("Enterprise name"), _("User ID"), *[str(label) for _k, label in self.columns()]]

    def cells(self, objects):
        objects = list(objects)
        columns = [k for k, _label in self.columns()]
        position = {k: 3 + i for i, k in enumerate(columns)}
        regions = self._cached("regions", selectors.region_names, (e[position["region"]] for e in objects)) \
            if "region" in position else {}
        industries = self._cached("industries", _industry_paths, (e[position["industry"]] for e in objects)) \
            if "industry" in position else {}
        sizes = {value: str(label) for value, label in EnterpriseSize.choices}
        listed = {True: yes_no(True), False: yes_no(False)}
        lookups = {position[k]: table for k, table in (("region", regions), ("industry", industries), ("size", sizes),
                                                       ("is_listed", listed)) if k in position}
        for e in objects:
            row = list(e)
            for index, table in lookups.items():
                row[index] = table.get(row[index], "")
            yield e, row[1:]

    def _cached(self, name, load, keys):
        cache = self.__dict__.setdefault(f"_cache_{name}", {})
        missing = {k for k in keys if k is not None and k not in cache}
        if missing:
            cache.update(load(missing))
        return cache


class UnfiledQuery(Query):
    """未报送企业查询: the page shows the contact columns; the export adds every indicator's values."""

    key = "unfiled"
    title = gettext_lazy("Enterprises not reported")
    form_class = forms.UnfiledForm
    remind = True

    def __init__(self, *args, export: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.export = export

    def objects(self):
        f = self.filters
        return selectors.unfiled_list(scope=self.scope, report_type=self.report_type, period=f["month"],
                                      region=f.get("region", ""), status=f.get("status", ""))

    def _grid(self):
        return indicators(self.analytics), grid_columns(self.analytics)

    def header_groups(self):
        if not self.export:
            return []
        rows, columns = self._grid()
        return [("", 9), *[(i.heading, len(columns)) for i in rows]]

    def headers(self):
        base = [_("Enterprise ID"), _("Enterprise name"), _("Report status"), _("Contact person"), pgettext("analytics", "Phone"),
                _("Mobile"), pgettext("analytics", "Region"), _("Reviewer"), _("Reminded by")]
        if not self.export:
            return base
        rows, columns = self._grid()
        return base + [c.label for _i in rows for c in columns]

    def cells(self, objects):
        from reporting.models import Submission

        objects = list(objects)
        regions = selectors.region_names(e.region_code for e in objects)
        answers = {}
        if self.export:
            answers = dict(Submission.objects.filter(report_type=self.report_type, period=self.filters["month"],
                                                     enterprise__in=[e.pk for e in objects])
                           .values_list("enterprise_id", "answers"))
        rows, columns = self._grid() if self.export else ([], [])
        for e in objects:
            reviewer = e.direct_reviewer.user.username if e.direct_reviewer_id else ""
            cells = [e.user.username, e.name, report_status_label(e.report_status), e.contact, e.phone, e.mobile,
                     regions.get(e.region_code, ""), reviewer, reviewer]
            if self.export and self.analytics is not None:
                grid = (answers.get(e.pk) or {}).get(self.analytics.grid) or {}
                cells += [number((grid.get(i.id) or {}).get(c.id)) for i in rows for c in columns]
            yield e, cells


class ChangesQuery(Query):
    """企业信息变更查询: before and after of name, credit code and industry."""

    key = "changes"
    title = pgettext_lazy("analytics", "Information changes")
    form_class = forms.ChangesForm

    def objects(self):
        f = self.filters
        return selectors.change_list(scope=self.scope, period=f.get("month"), status=f.get("status", ""),
                                     region=f.get("region", ""), query=f.get("query", ""))

    def header_groups(self):
        return [("", 3), (_("Enterprise name"), 2), (_("Organisation code"), 2), (_("Industry"), 2)]

    def headers(self):
        before, after = pgettext("change", "Before"), pgettext("change", "After")
        return [pgettext("analytics", "Status"), _("Report month"), _("User ID"), before, after, before, after, before, after]

    def cells(self, objects):
        objects = list(objects)
        industries = _industry_names([c.before.get("industry", "") for c in objects] + [c.after.get("industry", "") for c in objects])
        for c in objects:
            status = {ChangeStatus.PENDING: _("Pending review"), ChangeStatus.HELD: _("Pending review"),
                      ChangeStatus.AUTO_APPROVED: pgettext("analytics", "Approved"),
                      ChangeStatus.APPROVED: pgettext("analytics", "Approved"),
                      ChangeStatus.RETURNED: pgettext("analytics", "Returned")}.get(c.status, c.status)
            yield c, [str(status), f"{c.submission.period:%Y-%m}", c.enterprise.user.username,
                      c.before.get("name", ""), c.after.get("name", ""), c.before.get("credit_code", ""),
                      c.after.get("credit_code", ""), industries.get(c.before.get("industry", ""), ""),
                      industries.get(c.after.get("industry", ""), "")]


class DetailQuery(Query):
    """经济指标月报明细查询: the chosen indicators, each with the grid's columns (the export: every
    indicator), for a month or a range of months. Reports filled on different versions of the
    definition line up by indicator id and column role; a cell a version did not have says so."""

    key = "detail"
    title = gettext_lazy("Monthly indicator details")
    form_class = forms.DetailForm
    needs_indicators = True

    def __init__(self, *args, export: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.export = export

    @property
    def ranged(self) -> bool:
        return bool(self.filters.get("last"))

    def _reports(self, cells=()):
        f = self.filters
        return selectors.detail_list(scope=self.scope, report_type=self.report_type, period=f["month"],
                                     last=f.get("last"), region=f.get("region", ""),
                                     industry=f.get("industry", ""), status=f.get("status", ""),
                                     entry_method=f.get("entry_method", ""), cells=cells)

    def layout(self):
        """The indicators and columns of the rows' versions, lined up (read once per query)."""
        if not hasattr(self, "_layout"):
            versions = versions_analytics(selectors.detail_versions(self._reports()))
            self._layout = indicator_layout(self.analytics, versions)
        return self._layout

    def chosen(self):
        rows = self.layout().indicators
        if self.export:
            return rows
        wanted = self.filters.get("indicators") or self.form.default_indicators("detail")
        return [i for i in rows if i.id in wanted]

    def objects(self):
        chosen = {i.id for i in self.chosen()}
        return self._reports(cells=[cell for cell in self.layout().cells() if cell[1] in chosen])

    def _base_headers(self):
        # the export writes each code with its name beside it (地区代码 地区名称 行业代码 行业名称)
        where = [REGION_CODE, REGION_NAME, INDUSTRY_CODE, INDUSTRY_NAME] if self.export else \
            [pgettext("analytics", "Region"), _("Industry")]
        base = [_("Enterprise ID"), _("Enterprise name"), *where,
                _("Enterprise size"), _("Registration type"), _("Holding type"), _("Report status")]
        return [*base, _("Report month")] if self.ranged else base

    def header_groups(self):
        columns = self.layout().columns
        return [("", len(self._base_headers())), *[(i.heading, len(columns)) for i in self.chosen()]]

    def headers(self):
        columns = self.layout().columns
        return [*self._base_headers(), *[c.label for _i in self.chosen() for c in columns]]

    def captions(self):
        """Explain the mark of cells a report's version did not have (only when some version lacks one)."""
        if not self.layout().mixed:
            return []
        return [_("“%(mark)s”: the version of the definition this report was filled on has no such indicator or "
                  "column (not 0).") % {"mark": absent_mark()}]

    def cells(self, objects):
        objects = list(objects)
        layout, chosen = self.layout(), self.chosen()
        if self.export:
            names = code_names(regions=[s.enterprise.region_code for s in objects],
                               industries=[s.enterprise.industry.full_code for s in objects])
        else:
            regions = selectors.region_names(s.enterprise.region_code for s in objects)
        for s in objects:
            e = s.enterprise
            code = e.industry.full_code
            where = [e.region_code, names.region(e.region_code), code, names.industry(code)] if self.export else \
                [regions.get(e.region_code, ""), code]
            base = [e.user.username, e.name, *where,
                    e.get_size_display(), e.registration_type.name, e.holding_type.name, s.get_status_display()]
            if self.ranged:
                base.append(month_label(s.period))
            values = layout.values(s.version_id, lambda g, i, c, s=s: getattr(s, cell_key(g, i, c), None), chosen)
            yield s, [*base, *values]


class ProductsQuery(Query):
    """产品产销存月报查询: one row per product of each report."""

    key = "products"
    title = gettext_lazy("Products: output, sales and stock")
    form_class = forms.ProductsForm
    needs_indicators = True

    def unavailable(self):
        if not super().unavailable() and self.analytics.products is None:
            return _("The report type “%(title)s” has no products table.") % {"title": self.report_type.localized_title}
        return super().unavailable()

    def objects(self):
        f = self.filters
        return selectors.product_list(scope=self.scope, report_type=self.report_type, period=f["month"],
                                      status=f.get("status", ""), query=f.get("query", ""))

    def headers(self):
        return [_("Enterprise ID"), _("Enterprise name"), *[c.label for c in product_columns(self.analytics)]]

    def count(self, objects):
        return sum(len(a or []) for a in objects.values_list(f"answers__{self.analytics.products}", flat=True))

    def cells(self, objects):
        columns = product_columns(self.analytics)
        for s in objects:
            for product in (s.answers or {}).get(self.analytics.products) or []:
                if isinstance(product, dict):
                    yield s, [s.enterprise.user.username, s.enterprise.name,
                              *[number(product.get(c.id)) if c.role in ("integer", "decimal") else product.get(c.id)
                                for c in columns]]


