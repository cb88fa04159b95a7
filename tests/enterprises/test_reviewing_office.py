"""A pending or returned registration names the office reviewing it (注册信息待海曙区经济和信息化局审核), no dead end."""
import pytest

from enterprises.selectors import registration_reviewing_office
from enterprises.services import enterprise_registration_return

pytestmark = pytest.mark.django_db


def test_the_home_and_the_status_page_name_the_reviewing_office_of_a_pending_then_returned_registration(client, register, admin_user):
    enterprise = register(region="330203")  # 海曙区: reviewed by sme_haishu, 海曙区经济和信息化局
    assert registration_reviewing_office(enterprise) == "海曙区经济和信息化局"
    client.force_login(enterprise.user)
    for url in ("/", "/enterprise/registration/"):
        page = client.get(url).content.decode()
        assert "注册信息待海曙区经济和信息化局审核" in page, url
        assert "sme_haishu" not in page

    enterprise_registration_return(enterprise=enterprise, actor=admin_user("sme_haishu"), reason="营业执照不清晰")
    for url in ("/", "/enterprise/registration/"):
        page = client.get(url).content.decode()
        assert "注册信息已被海曙区经济和信息化局退回" in page and "营业执照不清晰" in page, url


def test_without_a_county_reviewer_the_nearest_office_up_the_tree_reviews(register):
    enterprise = register(region="330205")  # 江北区 has no administrator: 宁波市经济和信息化局 reviews
    assert registration_reviewing_office(enterprise) == "宁波市经济和信息化局"
