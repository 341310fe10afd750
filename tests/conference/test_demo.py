"""The demo loads the Shiyan conference (19 member units from the annex) and the Shiyan and Qingyuan
plans' tasks, some overdue and some done; loading it again adds nothing."""

import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from conference.models import Conference, MemberUnit, RoleAssignment, Task
from conference.plans import QINGYUAN_TASKS, SHIYAN_TASKS
from registry.models import User

pytestmark = pytest.mark.django_db


def counts():
    models = (
        Conference,
        MemberUnit,
        RoleAssignment,
        Task,
        User,
        RoleAssignment.history.model,
        Task.history.model,
    )
    return {m._meta.label: m._default_manager.count() for m in models}


def test_the_demo_summary_counts_what_it_created(settings):
    settings.DEBUG = True
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    line = next(line for line in out.getvalue().splitlines() if line.startswith("conference: 十堰"))
    total = Task.objects.filter(conference__region_id="420300").count()
    assert line.endswith(f"{total} tasks ({total} new)")  # an empty database: every task is new
    again = io.StringIO()
    call_command("load_demo", stdout=again)
    assert "(0 new)" in again.getvalue()


def test_the_demo_loads_shiyan_and_qingyuan_once(settings):
    settings.DEBUG = True
    call_command("load_demo", stdout=io.StringIO())
    first = counts()
    call_command("load_demo", stdout=io.StringIO())
    assert counts() == first

    shiyan = Conference.objects.get(region_id="420300")
    units = shiyan.units.select_related("authority")
    assert units.count() == 19
    assert {u.short_name for u in units} >= {
        "市委编办",
        "市卫健委",
        "团市委",
        "市消防救援支队",
        "市计划生育协会",
    }
    assert "专家库" in units.get(short_name="市卫健委").duties
    plan = shiyan.tasks.filter(source=Task.Source.PLAN)
    assert plan.count() == len(SHIYAN_TASKS) == 26
    first_task = plan.get(reference="(一)1")
    assert first_task.lead_unit.short_name == "市人社局"
    assert {u.short_name for u in first_task.responsible_units.all()} == {"市卫健委", "市总工会", "市妇联"}
    assert plan.get(reference="(一)4").other_parties == "各县市区"

    today = timezone.localdate()
    assert shiyan.tasks.filter(status__in=Task.ACTIVE, due_on__lt=today).exists()
    assert shiyan.tasks.filter(status=Task.Status.DONE, confirmed_at__isnull=False).exists()
    assert shiyan.tasks.filter(status=Task.Status.DONE, confirmed_at__isnull=True).exists()

    qingyuan = Conference.objects.get(region_id="441800")
    assert qingyuan.tasks.count() == len(QINGYUAN_TASKS)
    assert qingyuan.tasks.get(reference="（一）3").lead_unit.short_name == "市人力资源社会保障局"

    liaison = User.objects.get(username="liaison-420300-education")
    assert liaison.check_password("demo")
    assert not User.objects.get(username="liaison-420300-finance").has_usable_password()
    # the education bureau's former liaison is kept on record
    terms = RoleAssignment.objects.filter(
        unit__conference=shiyan, unit__authority=liaison.authority, role="liaison"
    )
    assert terms.count() == 2 and terms.filter(ends_on__isnull=False).count() == 1
    assert User.objects.get(username="office-420300").check_password("demo")


def test_qingyuan_runs_on_its_adopted_plan(settings):
    """The adopted plan of 2020-12-25, not the draft for comment: none of the draft's own sentences, and
    meetings held as needed, so no plenary is expected of it."""
    settings.DEBUG = True
    call_command("load_demo", stdout=io.StringIO())
    qingyuan = Conference.objects.get(region_id="441800")
    texts = " ".join(
        f"{title} {description}" for title, description in qingyuan.tasks.values_list("title", "description")
    )
    for draft_only in (
        "每年确定并适时调整",
        "市、县两级财政给予一次性奖补",
        "坚决取缔",
        "南粤家政",
        "提高30%",
    ):
        assert draft_only not in texts, draft_only
    for adopted in ("各地根据实际情况可给予一次性奖补", "依法进行查处", "开展消防监督抽查工作"):
        assert adopted in texts, adopted
    assert qingyuan.established_on.isoformat() == "2020-12-25"
    assert qingyuan.plenary_min_per_year == 0
