"""Enterprise.industry_section follows the enterprise's industry, whichever way it is saved."""
import pytest

from enterprises.models import Enterprise
from regions.models import Industry

pytestmark = pytest.mark.django_db


def _enterprise():
    return Enterprise.objects.select_related("industry").get(user__username="com_demo01")


def test_a_registered_enterprise_has_the_section_of_its_industry(demo_core):
    enterprise = _enterprise()
    assert enterprise.industry_section == enterprise.industry.section == "C"


@pytest.mark.parametrize("update_fields", [None, ["industry"]])
def test_changing_the_industry_changes_the_section(demo_core, update_fields):
    enterprise = _enterprise()
    software = Industry.objects.filter(section="I", level=4).first()
    enterprise.industry = software
    enterprise.save(update_fields=update_fields)
    assert Enterprise.objects.get(pk=enterprise.pk).industry_section == "I"
    enterprise.industry_id = Industry.objects.filter(section="A", level=4).values_list("pk", flat=True).first()
    enterprise.save(update_fields=update_fields)
    assert Enterprise.objects.get(pk=enterprise.pk).industry_section == "A"
