"""Subsidy programmes as data: each eligibility check, amounts computed from the rate, the budget committed
under a lock and never overspent, one application per institution, programme and period, payment batches
for the finance bureau, clawbacks back into the budget, and operators who see only their own."""

import datetime
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from filing.models import Filing
from inspections.models import CreditRecord
from subsidies.models import Application, Budget, Fee, Programme, ProgrammeRule
from subsidies.services import (
    SubsidyError,
    application_decide,
    application_submit,
    batch_paid,
    batch_prepare,
    clawback_record,
    periods,
    prefill,
    recognition_decide,
)

from .conftest import apply, file, operator_of, push_institution

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
PDF = b"%PDF-1.4\n%%EOF\n"


def programme(regions, kind="operating", rate=200, period="year", rules=(), budget=100000):
    made = Programme.objects.create(
        name=f"{kind}补贴", kind=kind, region=regions["441802"], rate=rate, period=period
    )
    for condition, value in rules:
        ProgrammeRule.objects.create(programme=made, condition=condition, value=value)
    if budget is not None:
        Budget.objects.create(programme=made, year=TODAY.year, amount=budget)
    return made


def submit(made, institution, operator, units=10, period=None, files=()):
    return application_submit(
        programme=made,
        institution=institution,
        period=period or periods(made, TODAY)[0],
        units=units,
        files=files,
        acting_user=operator,
    )


def results(made, institution):
    from subsidies.eligibility import evaluate

    return {c["name"]: c["result"] for c in evaluate(made.rules.all(), institution, TODAY)}


def test_each_eligibility_check_passes_and_fails(regions, filed, operator, reviewer, cap_441802):
    from inspections.models import Rectification

    made = programme(
        regions,
        rules=[
            ("inclusive", ""),
            ("fee_within_cap", ""),
            ("no_serious_credit", ""),
            ("min_grade", "合格"),
            ("min_certification", "90"),
            ("no_overdue_rectification", ""),
        ],
    )
    found = results(made, filed)
    assert found == {
        "filed": "pass",
        "inclusive": "fail",  # not recognised
        "fee_within_cap": "fail",  # 2,000 yuan filed, cap 1,500
        "no_serious_credit": "pass",
        "min_grade": "fail",  # no published grade
        "min_certification": "fail",  # nobody on the staff register
        "no_overdue_rectification": "pass",
    }
    recognition_decide(
        recognition=apply(filed, operator, {"full_day": 1400}),
        recognised=True,
        reason="",
        acting_user=reviewer,
    )
    assert Fee.objects.get(institution=filed).monthly_fee == 1400
    CreditRecord.objects.create(
        subject="institution",
        institution=filed,
        region=regions["441802"],
        kind="sanction",
        severity="serious",
        description="严重违规",
        decided_by_body="某局",
        decided_on=TODAY,
        valid_until=TODAY + datetime.timedelta(days=30),
    )
    found = results(made, filed)
    assert (found["inclusive"], found["fee_within_cap"], found["no_serious_credit"]) == (
        "pass",
        "pass",
        "fail",
    )
    CreditRecord.objects.update(valid_until=TODAY - datetime.timedelta(days=1))  # lapsed: no longer counts
    assert results(made, filed)["no_serious_credit"] == "pass"
    assert Rectification.objects.count() == 0  # overdue rectifications are covered in test_overdue_rule


def test_the_certification_rule_reads_the_staff_register(regions, filed, monkeypatch):
    made = programme(regions, rules=[("min_certification", "90")])
    counted = {"staff": 10, "certified": 9, "rate": 0.9}
    monkeypatch.setattr("workforce.selectors.certification_total", lambda employments, on: counted)
    assert results(made, filed)["min_certification"] == "pass"
    counted.update(certified=8, rate=0.8)
    assert results(made, filed)["min_certification"] == "fail"


def test_overdue_rule(regions, filed, monkeypatch):
    made = programme(regions, rules=[("no_overdue_rectification", "")])
    from inspections.models import Rectification

    class Counted:
        def filter(self, **kwargs):
            assert kwargs["deadline__lt"] == TODAY and kwargs["status"] == "open"
            return self

        def count(self):
            return 2

    monkeypatch.setattr(Rectification, "objects", Counted())
    found = Application(checks=[]).described_checks
    assert found == []
    from subsidies.eligibility import evaluate

    [_filed, overdue] = evaluate(made.rules.all(), filed, TODAY)
    assert overdue["result"] == "fail" and overdue["overdue"] == 2


@pytest.mark.parametrize(
    "kind, period, units, expected",
    [
        ("operating", "quarter", 12, 200 * 12 * 3),  # per child per month, a quarter
        ("operating", "month", 12, 200 * 12),
        ("construction", "once", 15, 200 * 15),  # per new slot
        ("award", "once", None, 200),  # the award itself
        ("training", "year", 4, 200 * 4),  # per certified person
    ],
)
def test_the_amount_is_computed_from_the_rate_never_typed(
    regions, filed, operator, reviewer, kind, period, units, expected
):
    made = programme(regions, kind=kind, period=period)
    application = submit(made, filed, operator, units=units)
    application_decide(application=application, approved=True, reason="", acting_user=reviewer)
    application.refresh_from_db()
    assert application.amount == expected
    assert Budget.objects.get(programme=made).committed == expected


def test_the_count_is_prefilled_from_the_platforms_records(regions, filed, operator):
    assert (
        prefill(programme(regions, kind="operating", budget=None), filed, str(TODAY.year)) == 12
    )  # enrolled in the classes
    assert (
        prefill(programme(regions, kind="construction", budget=None), filed, "once") == 15
    )  # all slots of a first filing
    assert prefill(programme(regions, kind="training", budget=None), filed, str(TODAY.year)) == 0


def test_never_paid_twice_one_application_per_period(regions, filed, operator, reviewer):
    made = programme(regions)
    first = submit(made, filed, operator)
    with pytest.raises(SubsidyError, match="已申请"):
        submit(made, filed, operator)
    with pytest.raises(IntegrityError), transaction.atomic():
        Application.objects.create(
            programme=made, institution=filed, period=first.period, units=1, applied_by=operator
        )
    application_decide(application=first, approved=True, reason="", acting_user=reviewer)
    with pytest.raises(SubsidyError, match="已经"):
        application_decide(application=first, approved=True, reason="", acting_user=reviewer)
    batch, added = batch_prepare(programme=made, month=TODAY, acting_user=reviewer)
    assert added == 1 and batch_prepare(programme=made, month=TODAY, acting_user=reviewer)[1] == 0
    batch_paid(batch=batch, paid_on=TODAY, reference="CZ-1", acting_user=reviewer)
    with pytest.raises(SubsidyError):
        batch_paid(batch=batch, paid_on=TODAY, reference="CZ-1", acting_user=reviewer)
    budget = Budget.objects.get(programme=made)
    assert (budget.committed, budget.paid) == (200 * 10 * 12, 200 * 10 * 12)


def test_the_budget_refuses_what_it_cannot_cover(regions, reviewer, filed, operator):
    made = programme(regions, kind="award", period="once", rate=60000, budget=100000)
    other = push_institution(regions, name="另一托育有限公司")
    other_operator = operator_of(other)
    file(other, other_operator, reviewer)
    one, two = submit(made, filed, operator), submit(made, other, other_operator)
    application_decide(application=one, approved=True, reason="", acting_user=reviewer)
    with pytest.raises(SubsidyError, match="40000"):
        application_decide(application=two, approved=True, reason="", acting_user=reviewer)
    two.refresh_from_db()
    assert two.status == "submitted" and Budget.objects.get(programme=made).committed == 60000


def test_a_rule_not_met_blocks_approval_and_a_rejection_needs_a_reason(regions, filed, operator, reviewer):
    made = programme(regions, rules=[("inclusive", "")])
    application = submit(made, filed, operator)
    with pytest.raises(SubsidyError, match="普惠"):
        application_decide(application=application, approved=True, reason="", acting_user=reviewer)
    with pytest.raises(SubsidyError):
        application_decide(application=application, approved=False, reason=" ", acting_user=reviewer)
    application_decide(application=application, approved=False, reason="未认定普惠。", acting_user=reviewer)
    application.refresh_from_db()
    assert application.status == "rejected" and application.amount is None


def test_bad_input_is_refused_field_by_field_and_nothing_is_kept(regions, filed, operator):
    made = programme(regions)
    with pytest.raises(SubsidyError) as refused:
        submit(made, filed, operator, units=0, period="1999", files=[SimpleUploadedFile("x.exe", b"MZ")])
    assert set(refused.value.errors) == {"period", "units", "files"}
    assert not Application.objects.exists()
    closed = programme(regions, kind="award", period="once")
    closed.closes_on = TODAY - datetime.timedelta(days=1)
    closed.save()
    with pytest.raises(SubsidyError, match="不接受"):
        submit(closed, filed, operator)


def test_a_clawback_returns_money_to_the_budget(regions, filed, operator, reviewer):
    made = programme(regions, kind="construction", period="once", rate=3000)
    application = submit(made, filed, operator, units=10)
    application_decide(application=application, approved=True, reason="", acting_user=reviewer)
    with pytest.raises(SubsidyError):
        clawback_record(
            application=application, amount=3000, reason="x", acting_user=reviewer
        )  # not paid yet
    batch_paid(
        batch=batch_prepare(programme=made, month=TODAY, acting_user=reviewer)[0],
        paid_on=TODAY,
        reference="R",
        acting_user=reviewer,
    )
    with pytest.raises(SubsidyError) as refused:
        clawback_record(application=application, amount=40000, reason="", acting_user=reviewer)
    assert set(refused.value.errors) == {"amount", "reason"}
    clawback_record(application=application, amount=6000, reason="机构终止。", acting_user=reviewer)
    budget = Budget.objects.get(programme=made)
    assert (budget.committed, budget.paid) == (24000, 24000)
    application.refresh_from_db()
    assert application.clawed_back == 6000


def test_the_finance_sheet_lists_the_batch_with_its_total(regions, filed, operator, reviewer, client):
    made = programme(regions, kind="award", period="once", rate=5000)
    application_decide(
        application=submit(made, filed, operator), approved=True, reason="", acting_user=reviewer
    )
    batch, _added = batch_prepare(programme=made, month=TODAY, acting_user=reviewer)
    client.force_login(reviewer)
    answer = client.get(reverse("admin:subsidies_paymentbatch_sheet", args=[batch.pk]))
    assert answer.status_code == 200
    rows = list(openpyxl.load_workbook(io.BytesIO(b"".join(answer.streaming_content))).active.values)
    assert rows[1][1] == "托育机构" and rows[2][1] == filed.name and rows[2][5] == 5000
    assert rows[-1][1] == "合计" and rows[-1][5] == 5000


def test_operators_see_only_their_own_applications_and_evidence(regions, filed, operator, reviewer, client):
    made = programme(regions)
    application = submit(
        made, filed, operator, files=[SimpleUploadedFile("roster.pdf", PDF, "application/pdf")]
    )
    evidence = application.files.get()
    client.force_login(operator)
    page = client.get(reverse("subsidies:programmes", args=[filed.pk]))
    assert page.status_code == 200 and "operating补贴" in page.text and "roster.pdf" in page.text
    assert client.get(reverse("subsidy-files:evidence", args=[evidence.pk])).status_code == 200
    other = push_institution(regions, name="他人托育有限公司")
    stranger = operator_of(other)
    client.force_login(stranger)
    assert client.get(reverse("subsidies:programmes", args=[filed.pk])).status_code == 404
    assert client.get(reverse("subsidy-files:evidence", args=[evidence.pk])).status_code == 404
    assert "roster.pdf" not in client.get(reverse("subsidies:programmes", args=[other.pk])).text


def test_the_operator_applies_in_the_portal_with_the_count_prefilled(regions, filed, operator, client):
    made = programme(regions)
    client.force_login(operator)
    url = reverse("subsidies:programmes", args=[filed.pk])
    page = client.get(url)
    card = page.context["cards"][0]
    assert (
        card["platform"] == 12 and card["form"]["units"].value() == 12 and card["estimate"] == 200 * 12 * 12
    )
    sent = client.post(url, {"programme": made.pk, "period": str(TODAY.year), "units": "12", "note": ""})
    assert sent.status_code == 302
    application = Application.objects.get()
    assert (application.units, application.platform_units, application.months) == (12, 12, 12)
    again = client.post(url, {"programme": made.pk, "period": str(TODAY.year), "units": "12"})
    assert again.status_code == 200 and Application.objects.count() == 1  # that period is no longer offered
    offered = client.get(url).context["cards"][0]["form"].fields["period"].choices
    assert offered == [(str(TODAY.year - 1), str(TODAY.year - 1))]


def test_the_bureau_decides_and_pays_in_the_admin(regions, filed, operator, reviewer, client):
    made = programme(regions, kind="award", period="once", rate=5000)
    application = submit(made, filed, operator)
    client.force_login(reviewer)
    decide = reverse("admin:subsidies_application_decide", args=[application.pk])
    page = client.get(decide)
    assert page.status_code == 200 and "5000 元" in page.text
    assert client.post(decide, {"decision": "approve", "reason": ""}).status_code == 302
    added = client.post(
        reverse("admin:subsidies_paymentbatch_add"),
        {"programme": made.pk, "month": TODAY.replace(day=1).isoformat()},
    )
    assert added.status_code == 302
    batch = made.batches.get()
    assert batch.applications.count() == 1
    paid = client.post(
        reverse("admin:subsidies_paymentbatch_paid", args=[batch.pk]),
        {"paid_on": TODAY.isoformat(), "reference": "CZ-9"},
    )
    assert paid.status_code == 302
    application.refresh_from_db()
    assert application.status == "paid"


def test_another_county_cannot_decide(regions, filed, operator):
    from django.core.exceptions import PermissionDenied

    from .conftest import reviewer_of

    application = submit(programme(regions), filed, operator)
    with pytest.raises(PermissionDenied):
        application_decide(
            application=application, approved=False, reason="x", acting_user=reviewer_of(regions, "441803")
        )


def test_accepting_a_change_filing_gives_the_new_slots_to_the_construction_count(
    regions, filed, operator, reviewer
):
    from filing.services import filing_accept, filing_start, filing_submit

    assert Filing.objects.filter(institution=filed, status="accepted").count() == 1
    change = filing_start(institution=filed, acting_user=operator)
    from filing.services import filing_save_draft

    filing_save_draft(
        filing=change,
        data={},
        classes=[
            {"class_type": "toddler", "name": "托小班", "slots": 15, "enrolled": 12, "carers": 3},
            {"class_type": "older_toddler", "name": "托大班", "slots": 20, "enrolled": 10, "carers": 2},
        ],
        acting_user=operator,
        commitment_accepted=True,
    )
    filing_accept(filing=filing_submit(filing=change, acting_user=operator), acting_user=reviewer)
    assert prefill(programme(regions, kind="construction", period="once", budget=None), filed, "once") == 20


def test_a_training_subsidy_pays_by_certificate_level(regions, filed, operator, reviewer, monkeypatch):
    from subsidies.models import LevelRate
    from subsidies.services import programmes as programme_services

    made = programme(regions, kind="training", period="year", rate=500)
    LevelRate.objects.create(programme=made, level="高级", rate=1500)
    LevelRate.objects.create(programme=made, level="初级", rate=800)
    # The staff register shows 2 people certified at 高级, 1 at 初级 and 1 at a level with no rate.
    monkeypatch.setattr(
        programme_services, "levels", lambda institution, period: {"高级": 2, "初级": 1, "": 1}
    )
    application = submit(made, filed, operator, units=5)  # the operator counts one person more
    assert application.levels == {"高级": 2, "初级": 1, "": 1}
    application_decide(application=application, approved=True, reason="", acting_user=reviewer)
    application.refresh_from_db()
    assert application.amount == 2 * 1500 + 800 + 500 + 500  # the extra person at the programme's rate
    assert (
        programme_services.amount_for(made, 2, 12, {"高级": 2, "初级": 1, "": 1}) == 3000
    )  # best-paid first


def test_the_finance_sheet_asks_what_the_batch_page_asks(regions, filed, operator, reviewer, client):
    from registry.models import Authority
    from registry.roles import Role
    from tests.factories import AuthorityFactory, StaffFactory

    made = programme(regions, kind="award", period="once", rate=5000)
    application_decide(
        application=submit(made, filed, operator), approved=True, reason="", acting_user=reviewer
    )
    batch, _added = batch_prepare(programme=made, month=TODAY, acting_user=reviewer)
    fire = StaffFactory(
        authority=AuthorityFactory(kind=Authority.Kind.FIRE, region=regions["441802"]), role=Role.FIRE
    )
    client.force_login(fire)  # the same county, but no role on subsidies
    assert client.get(reverse("admin:subsidies_paymentbatch_sheet", args=[batch.pk])).status_code == 403
    assert client.get(reverse("admin:subsidies_paymentbatch_change", args=[batch.pk])).status_code == 403
