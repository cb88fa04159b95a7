"""The report's detail page (and its print) name the indicator grid once: the step's heading 「经济指标」 is not
repeated as the grid's own title, and the grid keeps its accessible name (the heading above it)."""
import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_grid_heading_is_shown_once_and_names_the_grid(client, filler, reports, enterprise, period):
    submission = reports.submitted(enterprise, period)
    client.force_login(filler)
    for name in ("reporting:detail", "reporting:print"):
        html = client.get(reverse(name, args=[submission.pk])).content.decode()
        headings = re.findall(r"<h[23][^>]*>(.*?)</h[23]>", html)
        assert headings.count("经济指标") == 1 and headings.count("产品产销存") == 1, (name, headings)
        for table in re.findall(r'<table class="data rp-grid"[^>]*>', html):
            target = re.search(r'aria-labelledby="([^"]+)"', table).group(1)
            assert re.search(rf'<h[23] id="{target}">(经济指标|产品产销存)</h[23]>', html), (name, table)
