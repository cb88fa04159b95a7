"""The API serves every report type filed directly (issue 19 §2): `/report-types` (with `enterprise_id`, the
types that enterprise files), the report paths of any such type, and 404 for a type the enterprise does not file."""
import pytest

from reporting.models import Submission
from tests.reporting.conftest import make_report_type  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture
def types(make_report_type):
    make_report_type("ningbo", title="宁波试点月报", region_prefixes=["3302"])
    make_report_type("shanghai", title="上海市月报", region_prefixes=["31"])
    make_report_type("by_tasks", title="任务报表", by_task_only=True)
    make_report_type("inactive", title="停用报表", is_active=False)


def test_report_types_lists_every_filed_type_or_those_of_one_enterprise(filler_api, types, enterprise):
    assert [t["key"] for t in filler_api.get("/report-types").json()] == ["ningbo", "shanghai", "sme_monthly"]
    mine = filler_api.get(f"/report-types?enterprise_id={enterprise.pk}").json()
    assert [t["key"] for t in mine] == ["ningbo", "sme_monthly"] and mine[0]["frequency"] == "monthly"
    assert filler_api.get("/report-types?enterprise_id=999999").status_code == 404


def test_a_type_the_enterprise_files_is_saved_and_one_it_does_not_is_not_found(filler_api, types, reports, enterprise,
                                                                                period):
    answers = {"answers": reports.answers(enterprise, period)}
    saved = filler_api.put(f"/reports/ningbo/{enterprise.pk}/{period:%Y-%m}", answers)
    assert saved.status_code == 200, saved.content
    assert saved.json()["report"]["report_type"] == "ningbo"
    assert Submission.objects.get(report_type__key="ningbo", enterprise=enterprise, period=period).status == "editing"
    for key in ("shanghai", "by_tasks", "inactive"):
        assert filler_api.put(f"/reports/{key}/{enterprise.pk}/{period:%Y-%m}", answers).status_code == 404, key
        assert filler_api.get(f"/report-types/{key}/periods?enterprise_id={enterprise.pk}").status_code == 404, key
    assert filler_api.get(f"/report-types/ningbo/periods?enterprise_id={enterprise.pk}").json()[0]["status"] == "editing"
    assert not Submission.objects.filter(report_type__key__in=["shanghai", "by_tasks", "inactive"]).exists()
