"""Demo data for the registry: the seed places, their authorities, sample institutions, demo users."""

import datetime

from django.db import transaction
from django.utils import timezone

from .models import ApiClient, Authority, Institution, Region, Registration, Route
from .regions_data import SEED_PLACES, SEED_ROWS, national_rows, national_rows_available
from .roles import Role
from .services import (
    api_client_create,
    authority_ensure,
    operator_grant,
    regions_load,
    registration_push,
    staff_user_ensure,
)
from .uscc import uscc_with_check

K = Authority.Kind
# How a body of each kind is named after its place (names are data, so they stay in Chinese).
NAME_SUFFIX = {
    K.ESTABLISHMENT: ("委编办", "委编办"),
    K.CIVIL_AFFAIRS: ("民政局", "民政局"),
    K.MARKET_REGULATION: ("市场监督管理局", "市场监督管理局"),
    K.ADMIN_APPROVAL: ("行政审批局", "行政审批局"),
    K.EDUCATION: ("教育局", "教育局"),
    K.HEALTH: ("卫生健康委员会", "卫生健康局"),
    K.FIRE: ("消防救援支队", "消防救援大队"),
    K.PUBLIC_SECURITY: ("公安局", "公安局"),
    K.DEVELOPMENT_REFORM: ("发展和改革委员会", "发展和改革局"),
    K.FINANCE: ("财政局", "财政局"),
    K.HUMAN_RESOURCES: ("人力资源和社会保障局", "人力资源和社会保障局"),
    K.NATURAL_RESOURCES: ("自然资源和规划局", "自然资源和规划局"),
    K.HOUSING: ("住房和城乡建设局", "住房和城乡建设局"),
    K.EMERGENCY_MANAGEMENT: ("应急管理局", "应急管理局"),
    K.TAXATION: ("税务局", "税务局"),
    K.TRADE_UNION: ("总工会", "总工会"),
    K.YOUTH_LEAGUE: ("团委", "团委"),
    K.WOMENS_FEDERATION: ("妇女联合会", "妇女联合会"),
    K.FAMILY_PLANNING_ASSOCIATION: ("计划生育协会", "计划生育协会"),
    K.GOVERNMENT: ("人民政府", "人民政府"),
    K.MCH: ("妇幼保健院", "妇幼保健院"),
}
COUNTY_KINDS = (
    K.ESTABLISHMENT,
    K.CIVIL_AFFAIRS,
    K.MARKET_REGULATION,
    K.EDUCATION,
    K.HEALTH,
    K.FIRE,
    K.PUBLIC_SECURITY,
    K.GOVERNMENT,
    K.MCH,
)
# Counties of Shiyan where licensing is centralised in the administrative approval bureau.
ADMIN_APPROVAL_PLACES = ("420300", "420302", "420303")
DEMO_PASSWORD = "demo"

# (county, 17 characters before the check, name, route, filing status the filing demo brings it to)
DEMO_INSTITUTIONS = [
    ("441802", "91441802MATY00001", "清远市清城区小树苗托育服务有限公司", Route.ENTERPRISE, "unfiled"),
    ("441802", "91441802MATY00002", "清远市清城区阳光宝贝托育中心有限公司", Route.ENTERPRISE, "submitted"),
    ("441802", "52441802MJTY00003", "清城区启航婴幼儿照护服务中心", Route.SOCIAL_SERVICE, "returned"),
    ("441802", "12441802MBTY00004", "清城区妇幼保健院附属托育园", Route.PUBLIC_INSTITUTION, "filed"),
    ("441802", "91441802MATY00005", "清远市清城区星星托育有限公司", Route.ENTERPRISE, "refused"),
    ("441802", "91441802MATY00006", "清远市清城区彩虹托育有限公司", Route.ENTERPRISE, "terminated"),
    ("441803", "91441803MATY00007", "清远市清新区爱心托育有限公司", Route.ENTERPRISE, "filed"),
    ("441881", "52441881MJTY00008", "英德市育苗婴幼儿照护服务中心", Route.SOCIAL_SERVICE, "unfiled"),
    ("230602", "91230602MATY00009", "大庆市萨尔图区童心托育有限公司", Route.ENTERPRISE, "filed"),
    ("331082", "91331082MATY00010", "临海市小橘灯托育有限公司", Route.ENTERPRISE, "submitted"),
    ("420302", "91420302MATY00011", "十堰市茅箭区小太阳托育有限公司", Route.ENTERPRISE, "filed"),
    ("420303", "52420303MJTY00012", "十堰市张湾区爱育婴幼儿照护中心", Route.SOCIAL_SERVICE, "unfiled"),
    # Pushed by the education bureau; in Shiyan kindergartens do not file with health (托幼一体).
    ("420302", "12420302MBTY00013", "十堰市茅箭区实验幼儿园", Route.KINDERGARTEN, "unfiled"),
    # A home-based care point (家庭托育点): a sole trader caring for five children at home.
    ("441802", "92441802MATY00014", "清城区小星星家庭托育点", Route.ENTERPRISE, "filed"),
    # Filed last: its quality self-assessment is still under way in the demo round.
    ("441802", "52441802MJTY00015", "清城区未来星婴幼儿照护服务中心", Route.SOCIAL_SERVICE, "filed"),
    # Linhai's inclusive recognitions (the subsidies demo): recognised, awaiting a decision, refused.
    ("331082", "12331082MBTY00016", "临海市妇幼保健院托育园", Route.PUBLIC_INSTITUTION, "filed"),
    ("331082", "52331082MJTY00017", "临海市古城街道婴幼儿照护服务中心", Route.SOCIAL_SERVICE, "filed"),
    ("331082", "91331082MATY00018", "临海市贝贝佳托育有限公司", Route.ENTERPRISE, "filed"),
]


PUSHER_BY_ROUTE = {
    Route.ENTERPRISE: K.MARKET_REGULATION,
    Route.SOCIAL_SERVICE: K.CIVIL_AFFAIRS,
    Route.PUBLIC_INSTITUTION: K.ESTABLISHMENT,
    Route.KINDERGARTEN: K.EDUCATION,
}


def _demo_client(authority: Authority) -> ApiClient:
    client = ApiClient.objects.filter(user__authority=authority, name="演示推送").first()
    return client or api_client_create(authority=authority, name="演示推送")[0]


def _push_demo_institutions() -> None:
    """Institutions arrive the way real ones do: pushed by their registration body. Only new ones are
    pushed, so the demo's dates (relative to the day it was first loaded) stay put."""
    today = timezone.localdate()
    known = set(
        Institution.objects.filter(uscc__in=[uscc_with_check(i[1]) for i in DEMO_INSTITUTIONS]).values_list(
            "uscc", flat=True
        )
    )
    for number, (county, first17, name, route, _status) in enumerate(DEMO_INSTITUTIONS):
        uscc = uscc_with_check(first17)
        if uscc in known:
            continue
        region = Region.objects.get(pk=county)
        pusher = Authority.objects.get(kind=PUSHER_BY_ROUTE[route], region_id=county)
        # Every third one was registered six weeks ago and pushed only now, late; every third was
        # registered last month and pushed within days, on time; the rest this month.
        registered_on = today - datetime.timedelta(days={0: 45, 1: 30}.get(number % 3, 0) + number)
        scope = "餐饮服务、家政服务" if number == 4 else "3岁以下婴幼儿照护服务（全日托、半日托）"
        if "家庭托育" in name:
            scope = "家庭托育服务"
        registration_push(
            client=_demo_client(pusher),
            record={
                "uscc": uscc,
                "name": name,
                "route": route,
                "region_code": county,
                "address": f"{region.name}示例路{number + 1}号",
                "legal_representative": "演示法人",
                "registered_on": registered_on,
                "business_scope": scope,
                "service_types": ["full_day", "half_day"],
                "employer_run": False,
                "status": "active",
                "cancelled_on": None,
            },
        )
        if number % 3 == 1:  # its push is history: it reached the bureau within days, in the same month
            month_end = (registered_on.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
            pushed_on = min(
                registered_on + datetime.timedelta(days=3), month_end - datetime.timedelta(days=1)
            )
            Registration.objects.filter(institution__uscc=uscc).update(
                first_pushed_at=timezone.make_aware(datetime.datetime.combine(pushed_on, datetime.time(10))),
                late=False,
            )


def _authority_name(region: Region, kind: str) -> str:
    city_form, county_form = NAME_SUFFIX[kind]
    return region.name + (county_form if region.is_county else city_form)


@transaction.atomic
def load(*, stdout) -> None:
    if national_rows_available():
        regions_load(rows=national_rows())
    regions_load(rows=SEED_ROWS)

    places = Region.objects.filter(pk__in=SEED_PLACES).select_related("parent")
    for place in places:
        regions = [place]
        if not place.is_county:
            regions += list(place.children.all())
        for region in regions:
            wanted = list(NAME_SUFFIX) if region == place else list(COUNTY_KINDS)
            if region.pk in ADMIN_APPROVAL_PLACES:
                wanted = [*wanted, K.ADMIN_APPROVAL]
            for kind in dict.fromkeys(wanted):
                authority_ensure(kind=kind, region=region, name=_authority_name(region, kind))

    _push_demo_institutions()

    def authority(kind, code):
        return Authority.objects.get(kind=kind, region_id=code)

    staff_user_ensure(
        username="education-420302",
        authority=authority(K.EDUCATION, "420302"),
        role=Role.EDUCATION,
        password=DEMO_PASSWORD,
        full_name="茅箭区教育局托幼管理员",
    )
    staff_user_ensure(
        username="health-441802",
        authority=authority(K.HEALTH, "441802"),
        role=Role.COUNTY_HEALTH,
        password=DEMO_PASSWORD,
        full_name="清城区卫健局审核员",
    )
    staff_user_ensure(
        username="health-331082",
        authority=authority(K.HEALTH, "331082"),
        role=Role.COUNTY_HEALTH,
        password=DEMO_PASSWORD,
        full_name="临海市卫健局审核员",
    )
    staff_user_ensure(
        username="health-441800",
        authority=authority(K.HEALTH, "441800"),
        role=Role.SUPERVISING_HEALTH,
        password=DEMO_PASSWORD,
        full_name="清远市卫健委工作人员",
    )
    staff_user_ensure(
        username="office-420300",
        authority=authority(K.HEALTH, "420300"),
        role=Role.CONFERENCE_OFFICE,
        password=DEMO_PASSWORD,
        full_name="十堰市联席会议办公室",
    )
    from .models import User

    operator, created = User.objects.get_or_create(
        username="operator-demo", defaults={"first_name": "演示机构负责人"}
    )
    if created:
        operator.set_password(DEMO_PASSWORD)
        operator.save(update_fields=["password"])
    operator_grant(
        user=operator, institution=Institution.objects.get(uscc=uscc_with_check("91441802MATY00001"))
    )
    stdout.write(
        f"registry: {Region.objects.count()} regions, {Authority.objects.count()} authorities, "
        f"{Institution.objects.count()} institutions"
    )
