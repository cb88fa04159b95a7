"""accounts.selectors below the domain: the direct reviewer of a region and an administrator's ties,
read through the reverse relations (accounts imports no domain app: tests/test_layering.py)."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.selectors import administrator_ties, direct_reviewer_for
from regions.selectors import region_by_code

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("code,level,reviewer", [
    ("330203", 3, "sme_haishu"),  # 海曙区 has its own administrator
    ("330205", 3, "sme_ningbo"),  # 江北区 has none: the city's
    ("330106", 3, "sme_zhejiang"),  # 杭州西湖区: neither county nor city, the province's
    ("110101", 3, "sme_admin"),  # 北京东城区: nobody in 北京, the national administrator
])
def test_direct_reviewer_is_the_deepest_administrator_containing_the_region(demo_core, code, level, reviewer):
    assert direct_reviewer_for(region_by_code(code, level=level)).user.username == reviewer


def test_ties_count_reviewed_enterprises_and_held_reports_through_reverse_relations(demo_core):
    from enterprises.models import Enterprise

    haishu = demo_core["sme_haishu"]
    reviewed = Enterprise.objects.filter(direct_reviewer=haishu).count()
    assert reviewed >= 1
    with CaptureQueriesContext(connection) as queries:
        ties = administrator_ties(haishu)
    assert any(str(reviewed) in tie for tie in ties) and len(queries) == 3  # children, enterprises, reports
    assert administrator_ties(demo_core["sme_admin"])[0]  # it has subordinates
