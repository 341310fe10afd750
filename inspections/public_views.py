"""一公开: published random inspection draws (with everything needed to verify them) and an
institution's published supervision results and serious bad credit records; complaints from the public,
followed with a tracking code. Only what is meant to be public: no personal data beyond the inspectors'
names in a draw's pool, no open findings, no complainants."""

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from config.lockout import client_ip
from filing.models import DirectoryEntry
from filing.portal.forms import show_errors
from filing.public_views import rate_limited
from registry.models import Institution
from registry.models.institutions import FilingStatus

from .complaint_forms import ComplaintForm, TrackForm
from .models import Complaint, Draw, Inspection, Suspension
from .selectors import public_credit, published_draws, published_grade, published_results
from .services import InspectionError, complaint_submit, draw_problems

PAGE = 25
PICKS_PAGE = 100
# The steps of draw_algorithm as a script anyone can run on the downloaded inputs (docs/draws.md).
VERIFY_SCRIPT = """import hashlib, json
h = lambda s: hashlib.sha256(s.encode()).hexdigest()
d = json.load(open("draw.json", encoding="utf-8"))
assert h(d["seed"]) == d["seed_commitment"]
assert h("\\n".join(d["roster"])) == d["roster_digest"]
assert h("\\n".join(d["pool"])) == d["pool_digest"]
picked = sorted(d["roster"], key=lambda u: h(d["seed"] + ":" + u))[: d["sample_size"]]
people = sorted(d["pool"], key=lambda c: h(d["seed"] + ":inspector:" + c))
m = len(people)
result = [{"uscc": u, "inspectors": [people[2 * k % m], people[(2 * k + 1) % m]]}
          for k, u in enumerate(picked)]
print("verified" if result == d["result"] else "DIFFERENT")"""


def draw_list(request):
    page = Paginator(published_draws().order_by("-committed_at", "-pk"), PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request, "inspections/public/draws.html", {"title": _("Random inspection draws"), "page": page}
    )


def draw_page(request, pk):
    draw = get_object_or_404(published_draws(), pk=pk)
    drawn = draw.status != Draw.Status.COMMITTED
    picks, page = [], None
    if drawn:
        # The result, a page at a time (a draw over a large stratum picks thousands).
        page = Paginator(list(enumerate(draw.result, 1)), PICKS_PAGE).get_page(request.GET.get("page"))
        on_page = [p["uscc"] for _n, p in page.object_list]
        found = Institution.objects.filter(uscc__in=on_page)
        names = dict(found.values_list("uscc", "name"))
        filed = set(found.filter(filing_status=FilingStatus.FILED).values_list("uscc", flat=True))
        pool = dict(draw.pool)
        closed = {
            i.institution.uscc: i
            for i in Inspection.objects.filter(
                draw=draw, status=Inspection.Status.CLOSED, institution__uscc__in=on_page
            ).select_related("institution")
        }
        picks = [
            {
                "n": n,
                "uscc": p["uscc"],
                "name": names.get(p["uscc"], ""),
                "inspectors": [pool.get(code, code) for code in p["inspectors"]],
                "closed": closed.get(p["uscc"]),
                "public": p["uscc"] in filed,
            }
            for n, p in page.object_list
        ]
    return render(
        request,
        "inspections/public/draw.html",
        {
            "title": str(draw),
            "draw": draw,
            "plan": draw.plan,
            "drawn": drawn,
            "picks": picks,
            "page": page,
            "problems": draw_problems(draw) if drawn else [],
            "replaced_by": draw.plan.draws.filter(number__gt=draw.number).order_by("number").first(),
            "replaces": draw.plan.draws.filter(number__lt=draw.number).order_by("-number").first(),
            "script": VERIFY_SCRIPT,
        },
    )


def draw_inputs(request, pk):
    """The published inputs as one JSON document, for anyone's own recomputation."""
    draw = get_object_or_404(published_draws(), pk=pk)
    drawn = draw.status != Draw.Status.COMMITTED
    body = {
        "draw": draw.pk,
        "plan": draw.plan.title,
        "algorithm": draw.algorithm,
        "seed_commitment": draw.seed_commitment,
        "roster_digest": draw.roster_digest,
        "pool_digest": draw.pool_digest,
        "sample_size": draw.sample_size,
        "committed_at": draw.committed_at.isoformat(),
        "roster": draw.roster,
        "pool": [code for code, _name in draw.pool],
        "seed": draw.seed if drawn else None,
        "drawn_at": draw.drawn_at.isoformat() if draw.drawn_at else None,
        "result": draw.result if drawn else None,
    }
    response = JsonResponse(body, json_dumps_params={"ensure_ascii": False, "indent": 1})
    response["Content-Disposition"] = f'inline; filename="draw-{draw.pk}.json"'
    return response


@rate_limited
def institution_page(request, uscc):
    """One institution of the public directory: its directory entry (particulars, services, fees, filing
    receipt) and the public parts of supervision."""
    entry = DirectoryEntry.objects.filter(uscc=uscc.upper()).select_related("institution", "region").first()
    if entry is None:
        raise Http404
    institution = entry.institution
    return render(
        request,
        "inspections/public/institution.html",
        {
            "title": entry.name,
            "entry": entry,
            "institution": institution,
            "results": published_results(institution)[:50],
            "suspensions": Suspension.objects.filter(institution=institution, lifted_on__isnull=True),
            "credit": public_credit(institution),
            "grade": published_grade(institution),
        },
    )


def complaint_new(request):
    form = ComplaintForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["website"]:
            raise Http404  # a robot
        key = f"complaints:{client_ip(request)}"
        cache.add(key, 0, timeout=3600)
        if cache.incr(key) > settings.COMPLAINTS_PER_HOUR:
            return render(
                request,
                "inspections/public/complaint_limit.html",
                {"title": _("Too many complaints from this connection")},
                status=429,
            )
        data = {k: v for k, v in form.cleaned_data.items() if k not in ("website", "region")}
        try:
            complaint = complaint_submit(region_code=form.cleaned_data["region"], **data)
        except InspectionError as error:
            show_errors(form, error)
        else:
            request.session["complaint_code"] = complaint.tracking_code
            return redirect("public:complaint", complaint.tracking_code)
    return render(
        request, "inspections/public/complaint_new.html", {"title": _("Report a problem"), "form": form}
    )


def complaint_track(request):
    form = TrackForm(request.GET or None)
    if form.is_valid():
        code = form.cleaned_data["code"].strip().upper().replace(" ", "")
        if Complaint.objects.filter(tracking_code=code).exists():
            return redirect("public:complaint", code)
        form.add_error("code", _("No complaint has this tracking code. Check it and try again."))
    return render(
        request, "inspections/public/complaint_track.html", {"title": _("Follow a complaint"), "form": form}
    )


def complaint_page(request, code):
    """What the complainant follows: status, who handles it, by when, the reply. Not what they wrote or
    who they are (whoever holds the code sees this page)."""
    complaint = get_object_or_404(Complaint.objects.select_related("region"), tracking_code=code.upper())
    return render(
        request,
        "inspections/public/complaint.html",
        {
            "title": _("Complaint %(code)s") % {"code": complaint.tracking_code},
            "complaint": complaint,
            "just_sent": request.session.pop("complaint_code", None) == complaint.tracking_code,
        },
    )
