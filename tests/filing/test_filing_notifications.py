"""People hear of each move of a filing in their inbox (and by e-mail), with a link to it."""

from filing.services import filing_accept, filing_return, filing_submit
from notifications.models import Notification

from .conftest import complete_draft, reviewer_of


def titles(user):
    return list(Notification.objects.filter(recipient=user).order_by("pk").values_list("title", "url"))


def test_reviewers_hear_of_submissions_and_operators_of_decisions(regions, institution, operator, reviewer):
    neighbour = reviewer_of(regions, "441803")
    filing = filing_submit(filing=complete_draft(institution, operator), acting_user=operator)
    assert titles(reviewer) == [
        (f"备案待审核：{institution.name}", f"/admin/filing/filing/{filing.pk}/change/")
    ]
    filing = filing_return(filing=filing, acting_user=reviewer, reasons=[("lease", "租期不足三年")])
    [(title, url)] = titles(operator)
    assert title == f"备案被退回补正：{institution.name}" and url == f"/portal/filings/{filing.pk}/"
    assert "租期不足三年" in Notification.objects.get(recipient=operator).body
    filing = filing_submit(filing=filing, acting_user=operator)
    filing_accept(filing=filing, acting_user=reviewer)
    assert [t for t, _ in titles(operator)][-1] == f"准予备案：{institution.name}"
    assert len(titles(reviewer)) == 2 and titles(neighbour) == []
