"""评分题 on a 390 px phone: the stars and the 0–10 buttons fit, are radio buttons by name, and a tap chooses."""
import copy

import pytest

from tests.formdefs.test_rating import DOC

from .conftest import login

pytestmark = pytest.mark.e2e
PASSWORD = "Demo@2026sme"


def test_rating_on_a_phone(live_server, e2e_demo, phone_page):
    from formdefs.services import formdef_publish_document

    version = formdef_publish_document(document=copy.deepcopy(DOC))
    page = phone_page
    login(page, live_server.url, "sme_admin", PASSWORD, "13900000001", next_url=f"/forms/preview/{version.pk}/")
    page.goto(f"{live_server.url}/forms/preview/{version.pk}/")
    four = page.get_by_role("radio", name="4 / 5")
    page.get_by_role("group", name="总体满意度").locator("label").nth(3).click()
    assert four.is_checked()
    ten = page.locator("input[name=recommend][value='10']")
    ten.locator("xpath=..").click()
    assert ten.is_checked()
    # nothing wider than the phone: the 11 buttons wrap
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    box = page.locator("[data-fd-node=recommend] .fd-rating-option").last.bounding_box()
    assert box["x"] + box["width"] <= 390 and box["height"] >= 40
