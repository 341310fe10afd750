"""Quality-assessment rubrics: the WS/T 821-2023 preset, the score and grade with veto requirements and bands,
and versions that never change what an earlier version holds."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from inspections.assessment_scoring import Band, Scored, ScoringError, grade
from inspections.models import Rubric
from inspections.services.rubrics import rubric_new_version

pytestmark = pytest.mark.django_db

BANDS = [
    Band("优秀", Decimal(90)),
    Band("良好", Decimal(75)),
    Band("合格", Decimal(60)),
    Band("不合格", Decimal(0), False),
]


def national():
    return Rubric.objects.get(region=None, code="wst821", current=True)


def scored(awarded: dict[str, int], vetoes=("A2",)) -> list[Scored]:
    points = {"A1": 40, "A2": 10, "B1": 30, "B2": 20}
    return [
        Scored(
            code, code[0], Decimal(points[code]), None if value is None else Decimal(value), code in vetoes
        )
        for code, value in awarded.items()
    ]


def test_the_preset_has_the_seven_dimensions_of_ws_t_821_and_100_points():
    rubric = national()
    assert list(rubric.dimensions.values_list("name", flat=True)) == [
        "办托条件",
        "托育队伍",
        "保育照护",
        "卫生保健",
        "养育支持",
        "安全保障",
        "机构管理",
    ]
    assert sum(r.points for r in rubric.requirements.all()) == 100
    assert set(rubric.requirements.filter(veto=True).values_list("code", flat=True)) == {
        "1.1",
        "1.2",
        "2.1",
        "2.2",
        "3.2",
        "6.1",
    }
    assert all(r.source for r in rubric.requirements.all())
    assert list(rubric.bands.values_list("grade", flat=True)) == ["优秀", "良好", "合格", "不合格"]


@pytest.mark.parametrize(
    "awarded, expected, percent",
    [
        ({"A1": 40, "A2": 10, "B1": 30, "B2": 20}, "优秀", Decimal("100.0")),
        ({"A1": 30, "A2": 10, "B1": 25, "B2": 15}, "良好", Decimal("80.0")),
        ({"A1": 20, "A2": 10, "B1": 20, "B2": 10}, "合格", Decimal("60.0")),
        ({"A1": 20, "A2": 10, "B1": 19, "B2": 10}, "不合格", Decimal("59.0")),
        (
            {"A1": 40, "A2": 9, "B1": 30, "B2": 20},
            "不合格",
            Decimal("99.0"),
        ),  # a veto requirement not fully met
    ],
)
def test_grades_by_band_and_a_failed_veto_fails_whatever_the_score(awarded, expected, percent):
    outcome = grade(scored(awarded), BANDS)
    assert (outcome.grade, outcome.percent) == (expected, percent)
    assert outcome.passing == (expected != "不合格")
    assert outcome.vetoed == (["A2"] if awarded["A2"] < 10 else [])


def test_scores_per_dimension():
    outcome = grade(scored({"A1": 30, "A2": 10, "B1": 25, "B2": 15}), BANDS)
    assert outcome.by_dimension == {"A": (Decimal(40), Decimal(50)), "B": (Decimal(40), Decimal(50))}
    assert (outcome.total, outcome.maximum) == (Decimal(80), Decimal(100))


@pytest.mark.parametrize(
    "awarded, codes",
    [
        ({"A1": None, "A2": 10, "B1": 30, "B2": None}, ["A1", "B2"]),
        ({"A1": 41, "A2": -1, "B1": 3, "B2": 2}, ["A1", "A2"]),
    ],
)
def test_an_unscored_or_impossible_score_is_refused_naming_the_requirements(awarded, codes):
    with pytest.raises(ScoringError) as refused:
        grade(scored(awarded), BANDS)
    assert refused.value.codes == codes


def test_a_new_version_copies_and_never_changes_the_earlier_one(world):
    original = national()
    texts = list(original.requirements.values_list("code", "text", "points", "veto"))
    mine = rubric_new_version(rubric=original, acting_user=world.health[0], region=world.regions["441802"])
    mine.requirements.filter(code="1.3").update(text="本地修改的要求", points=Decimal(5))
    mine.bands.filter(grade="优秀").update(min_percent=Decimal(95))
    assert list(original.requirements.values_list("code", "text", "points", "veto")) == texts
    assert original.bands.get(grade="优秀").min_percent == 90
    assert (mine.version, mine.region_id, mine.current, national().current) == (1, "441802", True, True)
    again = rubric_new_version(rubric=mine, acting_user=world.health[0])
    assert (again.version, Rubric.objects.get(pk=mine.pk).current) == (2, False)
    with pytest.raises(PermissionDenied):
        rubric_new_version(rubric=original, acting_user=world.health[0], region=world.regions["441803"])


def test_the_bureau_adopts_the_national_rubric_in_the_admin_and_departments_do_not_see_it(client, world):
    client.force_login(world.health[0])
    page = client.get(reverse("admin:inspections_rubric_change", args=[national().pk]))
    assert page.status_code == 200 and page.context["can_adopt"]
    assert "D1 办托条件：20<br>" in page.text and "&lt;br&gt;" not in page.text
    response = client.post(
        reverse("admin:inspections_rubric_new_version", args=[national().pk]), {"adopt": "1"}
    )
    assert response.status_code == 302
    assert Rubric.objects.filter(region_id="441802", code="wst821", current=True).exists()
    client.force_login(world.fire[0])
    assert client.get(reverse("admin:inspections_rubric_changelist")).status_code == 403
