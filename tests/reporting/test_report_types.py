"""Report types as data on the portal (issue 19 §2): which types an enterprise files (适用企业), the type
switcher of 当期报送 / 历史报送 / 上报导入 and the wizard, quarterly types' periods, and the refusals."""
import pytest
from django.urls import reverse

from enterprises.models import Enterprise
from reporting.enums import Frequency
from reporting.selectors import report_type_applies, report_type_enterprises_q, report_types_for
from reporting.services import ReportRefused

pytestmark = pytest.mark.django_db


@pytest.fixture
def web(client, filler, report_type):
    client.force_login(filler)
    return client


def applies_in_sql(report_type, enterprise) -> bool:
    return Enterprise.objects.filter(report_type_enterprises_q(report_type), pk=enterprise.pk).exists()


@pytest.mark.parametrize("fields, expected", [
    ({}, True),
    ({"industry_sections": ["C"]}, True),  # 宁波海曙示范机械: C3435, 330203
    ({"industry_sections": ["I", "F"]}, False),
    ({"region_prefixes": ["33"]}, True),
    ({"region_prefixes": ["3302"]}, True),
    ({"region_prefixes": ["330203"]}, True),
    ({"region_prefixes": ["3301", "31"]}, False),
    ({"region_prefixes": ["3301", "3302"], "industry_sections": ["C"]}, True),
    ({"region_prefixes": ["3302"], "industry_sections": ["I"]}, False),
    ({"region_excluded_prefixes": ["31"]}, True),  # every region but 上海市 (a region with its own report)
    ({"region_excluded_prefixes": ["3302"]}, False),
    ({"region_excluded_prefixes": ["330203"]}, False),
    ({"region_prefixes": ["33"], "region_excluded_prefixes": ["3301"]}, True),
    ({"region_prefixes": ["33"], "region_excluded_prefixes": ["3301", "3302"]}, False),
])
def test_a_type_applies_when_every_list_it_sets_matches(make_report_type, enterprise, fields, expected):
    pilot = make_report_type(**fields)
    assert report_type_applies(pilot, enterprise) is expected
    assert applies_in_sql(pilot, enterprise) is expected


def test_sizes_choose_enterprises_by_their_size(make_report_type, enterprise):
    other = next(size for size in ("large", "medium", "small", "micro") if size != enterprise.size)
    assert report_type_applies(make_report_type("same", sizes=[enterprise.size]), enterprise)
    pilot = make_report_type("other", sizes=[other])
    assert not report_type_applies(pilot, enterprise) and not applies_in_sql(pilot, enterprise)


def test_an_enterprise_files_the_active_directly_filed_types_that_apply_oldest_first(
        make_report_type, report_type, enterprise, django_assert_num_queries):
    pilot = make_report_type("pilot", region_prefixes=["3302"])
    make_report_type("inactive", is_active=False)
    make_report_type("by_tasks", by_task_only=True)
    make_report_type("shanghai", region_prefixes=["31"])
    with django_assert_num_queries(1):
        assert report_types_for(enterprise) == [report_type, pilot]


def test_the_switcher_shows_only_where_the_enterprise_files_more_than_one_type(web, make_report_type, period):
    pages = ["/", reverse("reporting:history"), reverse("reporting:import"),
             reverse("reporting:fill", args=["sme_monthly", f"{period:%Y-%m}"])]
    assert 'data-testid="report-types"' not in web.get(pages[-1]).content.decode()
    make_report_type("shanghai", title="上海市月报", region_prefixes=["31"])
    assert 'data-testid="report-types"' not in web.get("/").content.decode()
    make_report_type("pilot", title="宁波试点月报", region_prefixes=["3302"])
    for url in pages:
        body = web.get(url).content.decode()
        assert 'data-testid="report-types"' in body and "宁波试点月报" in body and "上海市月报" not in body, url
        assert 'aria-current="page" data-type="sme_monthly"' in body, url
    body = web.get(reverse("reporting:history"), {"type": "pilot"}).content.decode()
    assert 'aria-current="page" data-type="pilot"' in body and 'name="type" value="pilot"' in body
    assert reverse("reporting:import") + "?type=pilot" in body


def test_a_quarterly_type_lists_its_quarters(web, make_report_type, period):
    from reporting.periods import period_current

    quarterly = make_report_type("quarterly", title="季度报表", frequency=Frequency.QUARTERLY)
    last = period_current(quarterly)  # 2026-11-18: 2026年第3季度, keyed 2026-09
    assert web.get(reverse("reporting:current"), {"type": "quarterly"}).url == reverse(
        "reporting:fill", args=["quarterly", f"{last:%Y-%m}"])
    history = web.get(reverse("reporting:history"), {"type": "quarterly"}).content.decode()
    quarter = f"{last.year}年第{last.month // 3}季度"
    assert quarter in history and f'data-period="{last:%Y-%m}"' in history
    assert 'data-period="2026-08"' not in history
    page = web.get(reverse("reporting:import"), {"type": "quarterly"}).content.decode()
    assert f'<option value="{last:%Y-%m}" selected>{quarter}</option>' in page
    assert 'value="2026-08"' not in page
    # The monthly report is still the default without ?type.
    assert web.get(reverse("reporting:current")).url == reverse("reporting:fill", args=["sme_monthly", f"{period:%Y-%m}"])


def test_a_type_that_does_not_apply_is_not_found_and_its_report_is_refused(web, make_report_type, reports, enterprise,
                                                                             period):
    from reporting.models import Submission

    shanghai = make_report_type("shanghai", title="上海市月报", region_prefixes=["31"])
    key = f"{period:%Y-%m}"
    for url in (reverse("reporting:fill", args=["shanghai", key]), reverse("reporting:submit", args=["shanghai", key]),
                reverse("reporting:template", args=["shanghai"])):
        assert web.get(url).status_code == 404, url
    # ?type= of a type it does not file falls back to its first one.
    assert 'data-testid="report-types"' not in web.get(reverse("reporting:history"), {"type": "shanghai"}).content.decode()
    with pytest.raises(ReportRefused) as refused:
        reports.__class__(shanghai, reports.questionnaire).save(enterprise, period)
    assert refused.value.messages == [f"{enterprise.name}不属于“上海市月报”的填报范围。"]
    assert not Submission.objects.filter(report_type=shanghai).exists()


def test_a_report_started_before_its_type_left_the_enterprise_stays_editable(make_report_type, reports, enterprise,
                                                                               period):
    pilot = make_report_type("pilot", region_prefixes=["3302"])
    builder = reports.__class__(pilot, reports.questionnaire)
    builder.save(enterprise, period)
    pilot.region_prefixes = ["31"]
    pilot.save(update_fields=["region_prefixes"])
    assert builder.save(enterprise, period).revision == 2
