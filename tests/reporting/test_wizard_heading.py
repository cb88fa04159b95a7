"""The wizard's heading names the period as every other portal page does (2026年11月), not 2026-11."""
import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_report_wizard_heading_reads_the_period_label(client, filler, report_type, period):
    client.force_login(filler)
    response = client.get(reverse("reporting:fill", args=["sme_monthly", f"{period:%Y-%m}"]), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200
    heading = response.content.decode().split("<h1", 1)[1].split("</h1>", 1)[0]
    assert f"{period.year}年{period.month:02d}月" in heading, heading



def test_the_step_4_page_heading_reads_the_period_label(client, filler, reports, enterprise, period):
    reports.save(enterprise, period)
    client.force_login(filler)
    response = client.get(reverse("reporting:submit", args=["sme_monthly", f"{period:%Y-%m}"]), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200
    heading = response.content.decode().split("<h1", 1)[1].split("</h1>", 1)[0]
    assert f"{period.year}年{period.month:02d}月" in heading, heading
