import csv

import pytest
from django.core.management import call_command

from regions.models import HoldingType, Industry, Region, RegistrationType
from regions.selectors import industry_by_full_code, region_by_code
from regions.services import DATA_DIR

pytestmark = pytest.mark.django_db


def _rows(name):
    with open(DATA_DIR / name, encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_load_refdata_loads_every_row_and_is_idempotent(capsys):
    call_command("load_refdata")
    first = capsys.readouterr().out
    assert "regions: 3351" in first
    assert f"industries: {len(_rows('industries_gbt4754_2017.csv'))}" in first
    call_command("load_refdata")
    assert capsys.readouterr().out == first
    assert Region.objects.filter(level=1).count() == 31
    assert Region.objects.filter(level=2).count() == 342
    assert Region.objects.filter(level=3).count() == 2978
    assert Industry.objects.filter(level=4).count() == 1380
    assert RegistrationType.objects.filter(level=3).exists()
    assert set(HoldingType.objects.values_list("name", flat=True)) == {
        "国有控股", "集体控股", "私人控股", "港澳台商控股", "外商控股", "其他"
    }


def test_loader_corrects_a_changed_name(refdata):
    Region.objects.filter(code="330203", level=3).update(name="wrong")
    call_command("load_refdata")
    assert region_by_code("330203", level=3).name == "海曙区"


def test_industry_paths_and_derived_classes(refdata):
    rice = industry_by_full_code("A0111")
    assert rice.path_names == "农、林、牧、渔业→农业→谷物种植→稻谷种植"
    assert rice.full_code == "A0111" and rice.sector == "primary" and not rice.is_industrial
    elevator = industry_by_full_code("C3435")
    assert elevator.is_industrial and elevator.is_manufacturing and elevator.sector == "secondary"
    assert industry_by_full_code("E4710").sector == "secondary" and not industry_by_full_code("E4710").is_industrial
    assert industry_by_full_code("D4411").is_industrial and not industry_by_full_code("D4411").is_manufacturing
    assert industry_by_full_code("O8290").sector == "tertiary"


def test_city_without_counties_repeats_as_its_own_county(refdata):
    city = region_by_code("441900", level=2)
    county = region_by_code("441900")
    assert county.level == 3 and county.parent == city
    assert city.contains(county) and not county.contains(city)


def test_region_subtree_prefixes(refdata):
    zhejiang, ningbo, haishu = (region_by_code(c) for c in ("330000", "330200", "330203"))
    hangzhou_xihu = region_by_code("330106")
    assert zhejiang.contains(haishu) and zhejiang.contains(hangzhou_xihu)
    assert ningbo.contains(haishu) and not ningbo.contains(hangzhou_xihu)
    assert not haishu.contains(ningbo)
    assert haishu.full_name == "浙江省宁波市海曙区"


def test_cascade_endpoints(client, refdata):
    provinces = client.get("/ref/regions/").json()["items"]
    assert len(provinces) == 31 and {"code": "330000", "name": "浙江省"} in provinces
    cities = client.get("/ref/regions/?parent=330000").json()["items"]
    assert {"code": "330200", "name": "宁波市"} in cities and len(cities) == 11
    counties = client.get("/ref/regions/?parent=330200").json()["items"]
    assert {"code": "330203", "name": "海曙区"} in counties
    assert client.get("/ref/regions/?parent=441900").json()["items"] == [{"code": "441900", "name": "东莞市"}]
    sections = client.get("/ref/industries/").json()["items"]
    assert len(sections) == 20 and sections[0] == {"code": "A", "name": "农、林、牧、渔业"}
    divisions = client.get("/ref/industries/?parent=A").json()["items"]
    assert divisions[0] == {"code": "A01", "name": "农业"}
    groups = client.get("/ref/industries/?parent=A01").json()["items"]
    assert groups[0] == {"code": "A011", "name": "谷物种植"}
    classes = client.get("/ref/industries/?parent=A011").json()["items"]
    assert classes[0] == {"code": "A0111", "name": "稻谷种植"}
    reg = client.get("/ref/registration-types/?parent=200").json()["items"]
    assert {"code": "220", "name": "合作经营企业(港或澳、台资)"} in reg
