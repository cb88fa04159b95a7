"""The review back office for every report type (issue 19 §2): the list of a type holds only the enterprises
it applies to; the home panel chooses the type and links to that type's list."""
import pytest
from django.urls import reverse

from tests.reporting.conftest import make_report_type  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


def test_the_review_list_and_home_of_a_type_count_the_enterprises_it_applies_to(client, admins, report_type,
                                                                               make_report_type, period):
    pilot = make_report_type("haishu_pilot", title="海曙试点月报", region_prefixes=["330203"])
    client.force_login(admins["sme_ningbo"])
    listing = client.get(reverse("workflow_review:list"), {"report_type": pilot.pk, "month": f"{period:%Y-%m}"})
    body = listing.content.decode()
    assert "宁波海曙示范机械有限公司" in body and "宁波江北示范软件有限公司" not in body
    monthly = client.get(reverse("workflow_review:list"), {"report_type": report_type.pk}).content.decode()
    assert "宁波江北示范软件有限公司" in monthly

    home = client.get(reverse("wagtailadmin_home"), {"type": "haishu_pilot"}).content.decode()
    assert '<option value="haishu_pilot" selected>海曙试点月报</option>' in home
    assert f"?report_type={pilot.pk}&month={period:%Y-%m}&region=" in home
    registered = home.split('data-testid="review-home"')[1].split("</ul>")[0]
    assert 'data-testid="tile-registered"><span>1</span>' in registered  # 注册企业: 海曙 only
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert 'data-testid="tile-registered"><span>2</span>' in home.split('data-testid="review-home"')[1].split("</ul>")[0]
