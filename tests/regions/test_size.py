"""企业规模 at every threshold edge of every sector of the shipped standard.

The edges are read from the data file (not hard-coded), so each case asserts the semantics:
at a medium threshold -> medium, one unit below -> small; at the SME upper bound -> large, one unit
below -> an SME.
"""
import json

import pytest

from regions.models import Industry
from regions.services import DATA_DIR, SizeMeasures, enterprise_size_classify

pytestmark = pytest.mark.django_db

STANDARD = json.loads((DATA_DIR / "sme_size_standard_2011.json").read_text(encoding="utf-8"))
# One industry of each sector (section letter, division, or group as the standard maps it).
SAMPLE_INDUSTRY = {
    "agriculture": "A0111", "industry": "C3435", "construction": "E4710", "wholesale": "F5111",
    "retail": "F5211", "transport": "G5311", "warehousing": "G5910", "postal": "G6010",
    "accommodation": "H6110", "catering": "H6210", "telecom": "I6311", "software": "I6513",
    "real_estate_dev": "K7010", "property_mgmt": "K7020", "leasing_business": "L7111", "other": "O8010",
}
UNIT = {"revenue": 10, "assets": 10, "employees": 1}  # form units: 千元 (standard is 万元) and 人


def _industry(full_code):
    return Industry.objects.get(section=full_code[0], code=full_code[1:])


def _measures(values):
    return SizeMeasures(
        revenue_thousand=values["revenue"] * UNIT["revenue"],
        employees=values["employees"],
        assets_thousand=values["assets"] * UNIT["assets"],
    )


def _classify(sector_key, values):
    return enterprise_size_classify(industry=_industry(SAMPLE_INDUSTRY[sector_key]), measures=_measures(values))


def _at(sector, level):
    """Every measure exactly at `level`'s thresholds; unconstrained measures tiny."""
    base = {"revenue": 1, "employees": 1, "assets": 1}
    base.update(sector[level])
    return base


SECTORS = {s["key"]: s for s in STANDARD["sectors"]}


def test_every_sector_has_a_sample_industry():
    assert set(SAMPLE_INDUSTRY) == set(SECTORS)


@pytest.mark.parametrize("key", sorted(SECTORS))
def test_medium_and_small_edges(refdata, key):
    sector = SECTORS[key]
    assert _classify(key, _at(sector, "medium")) == "medium"
    assert _classify(key, _at(sector, "small")) == "small"
    for measure in sector["medium"]:
        below = _at(sector, "medium") | {measure: sector["medium"][measure] - UNIT[measure] / UNIT[measure]}
        assert _classify(key, below) == "small", f"{key}: {measure} just below medium"
    for measure in sector["small"]:
        below = _at(sector, "small") | {measure: sector["small"][measure] - 1}
        assert _classify(key, below) == "micro", f"{key}: {measure} just below small"


@pytest.mark.parametrize("key", sorted(SECTORS))
def test_large_edge(refdata, key):
    sector = SECTORS[key]
    at_upper = {"revenue": 1, "employees": 1, "assets": 1} | sector["medium"] | sector["sme_upper"]
    assert _classify(key, at_upper) == "large"
    for measure in sector["sme_upper"]:
        below = at_upper | {measure: sector["sme_upper"][measure] - 1}
        assert _classify(key, below) == "medium", f"{key}: {measure} just below the SME upper bound"


def test_most_specific_sector_wins(refdata):
    # 7010 belongs to K (other) but its group 701 has its own thresholds (real estate development).
    values = {"revenue": 1000, "employees": 1, "assets": 5000}
    assert enterprise_size_classify(industry=_industry("K7010"), measures=_measures(values)) == "medium"
    assert enterprise_size_classify(industry=_industry("K7020"), measures=_measures(values)) == "micro"


def test_missing_measure_is_refused(refdata):
    with pytest.raises(ValueError, match="assets"):
        enterprise_size_classify(
            industry=_industry("E4710"), measures=SizeMeasures(revenue_thousand=100, employees=5, assets_thousand=None)
        )
