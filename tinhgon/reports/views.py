"""Dashboards and periodic reports (/bao-cao/). Every view finds its unit or report through the models' visibility
rule (`get_visible`: 404 outside the user's reports.view scope, 403 when seen but not theirs to change) and calls
tinhgon.reports.services or a transition; a ValidationError is shown in Vietnamese on the form with what the user
typed kept."""

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from tinhgon.audit import originals
from tinhgon.core.dates import today
from tinhgon.core.formatting import number
from tinhgon.core.paging import PAGE, query_without_page
from tinhgon.core.visibility import get_visible
from tinhgon.plans import progress
from tinhgon.plans.constants import IndicatorStatus, StatusClass
from tinhgon.procedures.constants import Group, Level
from tinhgon.reports import services
from tinhgon.reports.dashboard import dashboard_data, dashboard_unit
from tinhgon.reports.figures import area_tasks, monthly_rows
from tinhgon.reports.filters import ReportFilter
from tinhgon.reports.forms import (
    DashboardFilterForm,
    ManualRowFormSet,
    NarrativeForm,
    ReportCreateForm,
    VersionSeenForm,
    manual_rows,
)
from tinhgon.reports.models import Report, Status
from tinhgon.reviews.constants import MILESTONE_BADGES, Action
from tinhgon.reviews.ledger import COUNTS

VIEW, WRITE = "reports.view", "reports.write"

INDICATOR_BADGES = {IndicatorStatus.MET: "bg-green", IndicatorStatus.AT_RISK: "bg-orange", "missed": "bg-red"}
CHANGE_LABELS = {"new": "Công bố mới", "amended": "Sửa đổi, bổ sung", "replaced": "Thay thế", "abolished": "Bãi bỏ"}
# The ledger's counts in its words (reviews.ledger.COUNTS); a report frozen before a count existed shows 0.
REVIEW_ROWS = [
    ("published", COUNTS["published"].label, None),
    ("reviewed", COUNTS["reviewed"].label, "reviewed_pct"),
    ("simplified", COUNTS["simplified"].label, "simplified_pct"),
    ("implemented", COUNTS["implemented"].label, "implemented_pct"),
    ("time_cut", f"{COUNTS['time_cut'].label} (tỷ lệ: cắt giảm bình quân)", "time_cut_pct"),
    ("implementation_overdue", "Việc thực thi quá hạn", None),
]
COST_ROWS = [
    ("cost_before", "Chi phí tuân thủ trước đơn giản hóa (đồng/năm)", None),
    ("cost_after", "Chi phí tuân thủ sau đơn giản hóa (đồng/năm)", None),
    ("cost_saving", "Chi phí cắt giảm (đồng/năm)", "cost_saving_pct"),
]


def _badge(mapping, status) -> str:
    return mapping.get(status, "bg-secondary")


# Dashboard --------------------------------------------------------------------------------------------------------


@login_required
def dashboard(request):
    """The dashboard of a unit the user may see (?org=, default the acting unit). Bad parameters are shown on the
    filter form (400) over the default unit and date."""
    policy = request.policy
    form = DashboardFilterForm(request.GET)
    valid = form.is_valid()
    params = form.cleaned_data if valid else {}
    org = dashboard_unit(policy, params.get("org", ""), request.acting_membership)
    as_of = params.get("as_of") or today()
    figures = dashboard_data(org, as_of, policy, all=params.get("all", False))
    context = {
        "form": form,
        "org": org,
        "as_of": as_of,
        "d": figures,
        "charts": _dashboard_charts(figures),
        "computed_at": timezone.localtime(),
        "parents": [org.parent] if org.parent_id and policy.allows(VIEW, org.parent) else [],
        "status_labels": dict(StatusClass.choices),
    }
    return render(request, "reports/dashboard.html", context, status=200 if valid else 400)


def _dashboard_charts(figures: dict) -> dict:
    """Badges of the agency view, and the oversight view's charts (progress, ranking, heat map) with the heat
    map as a table too."""
    ledger = figures.get("ledger")
    if ledger:
        for m in ledger["milestones"]:
            m["badge"] = _badge(MILESTONE_BADGES, m["status"])
    for indicator in figures.get("indicators", []):
        indicator["badge"] = _badge(INDICATOR_BADGES, indicator["status"])
    if figures["view"] != "oversight":
        return {}
    ranking, heat = figures["ranking"], figures["heatmap"]
    cells = {(x, y): n for x, y, n in heat["data"]}
    columns = range(len(heat["months"]))
    heat["table"] = [
        {"unit": name, "code": heat["codes"][y], "cells": [cells.get((x, y), 0) for x in columns]}
        for y, name in enumerate(heat["units"])
    ]
    return {
        "progress": {
            "type": "line",
            "categories": [p["label"] for p in figures["progress"]],
            "series": [
                {"name": "Tỷ lệ đã rà soát (%)", "data": [float(p["reviewed_pct"]) for p in figures["progress"]]}
            ],
            "unit": "%",
            "format": "percent",
        },
        "ranking": {
            "type": "bar",
            "categories": [r["name"] for r in ranking],
            "series": [
                {"name": "Đã rà soát (%)", "data": [float(r["reviewed_pct"]) for r in ranking]},
                {"name": "Cắt giảm, đơn giản hóa (%)", "data": [float(r["simplified_pct"]) for r in ranking]},
                {"name": "Chi phí cắt giảm (%)", "data": [float(r["cost_saving_pct"]) for r in ranking]},
            ],
            "unit": "%",
            "format": "percent",
        },
        "heatmap": {
            "type": "heatmap",
            "x": heat["months"],
            "y": heat["units"],
            "data": heat["data"],
            "max": heat["max"],
            "format": "number",
        },
    }


# Reports ----------------------------------------------------------------------------------------------------------


@login_required
def report_list(request):
    """The reports the user may see, filtered (ReportFilter, shared with the API), and the creation form for
    whoever may write reports somewhere."""
    visible = Report.objects.visible_to(request.policy).select_related("organisation")
    filters = ReportFilter(request.GET, queryset=visible)
    valid = filters.is_valid()
    reports = filters.qs if valid else visible.none()
    page = Paginator(reports.order_by("-end", "organisation__name", "-pk"), 50).get_page(request.GET.get(PAGE))
    form = _create_form(request)
    status = 200 if valid else 400
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        report = _create(request, form)
        if report is not None:
            messages.success(request, f"Đã lập {report}.")
            return redirect("reports:detail", pk=report.pk)
        status = 409 if form.existing else 400
    context = {"page": page, "filters": filters.form, "form": form, "query": query_without_page(request)}
    return render(request, "reports/report_list.html", context, status=status)


def _create_form(request) -> ReportCreateForm | None:
    """The creation form over the units where the user may write reports today (None: nowhere)."""
    if not request.policy.can_anywhere(WRITE):
        return None
    organisations = request.policy.organisations(WRITE).current().order_by("name")
    initial = {"organisation": request.acting_membership.organisation} if request.acting_membership else {}
    return ReportCreateForm(request.POST or None, organisations=organisations, initial=initial, auto_id="new_%s")


def _create(request, form: ReportCreateForm) -> Report | None:
    """The report created from the posted form, or None with the errors on the form; when the period's report
    exists (a second click, a colleague at the same moment) it is kept in `form.existing`, for a link."""
    if not form.is_valid():
        return None
    data = form.cleaned_data
    try:
        return services.report_create(
            organisation=data["organisation"],
            kind=data["kind"],
            year=data["year"],
            number=data["number"] or 1,
            start=data["start"],
            end=data["end"],
            by=request.user,
        )
    except ValidationError as error:
        form.add_error(None, error)
        form.existing = getattr(error, "existing", None)
        return None


def _labelled(counts: dict, choices) -> list[dict]:
    labels = dict(choices)
    return [{"label": labels.get(key, key or "—"), "n": n} for key, n in counts.items()]


def month_rows(months: list[dict]) -> list[dict]:
    """The monthly statistics as table rows: one per month and group (A, B, ordinary), with the month's name on
    its first row only; a report frozen before the statistics existed has none."""
    return [
        {"month": name, "group": group.short, "title": group.label, "changes": changes, "total": sum(changes)}
        for name, group, changes in monthly_rows(months)
    ]


def figure_tables(figures: dict) -> dict:
    """The frozen figures as rows for readable tables."""
    procedures = figures.get("procedures", {})
    reviews = figures.get("reviews", {})
    tasks = figures.get("tasks", {})
    return {
        "in_force": procedures.get("in_force", 0),
        "by_group": _labelled(procedures.get("by_group", {}), Group.choices),
        "by_level": _labelled(procedures.get("by_level", {}), Level.choices),
        "by_field": procedures.get("by_field", []),
        "decided": [{"label": CHANGE_LABELS.get(k, k), "n": n} for k, n in procedures.get("decided", {}).items()],
        "by_month": month_rows(procedures.get("decided_by_month", [])),
        "reviews": [
            {"key": key, "label": label, "n": reviews.get(key, 0), "pct": reviews.get(pct) if pct else None}
            for key, label, pct in REVIEW_ROWS
        ],
        "by_action": [
            {
                "label": label,
                "n": reviews.get("by_action", {}).get(value, 0),
                "approved": reviews.get("approved_by_action", {}).get(value, 0),
            }
            for value, label in Action.choices
        ],
        "costs": [
            {"key": key, "label": label, "n": reviews.get(key, 0), "pct": reviews.get(pct) if pct else None}
            for key, label, pct in COST_ROWS
        ],
        "tasks": progress.tally_rows(tasks),
        "tasks_due": tasks.get("due", 0),
        "on_time_pct": tasks.get("on_time_pct", "0.00"),
        "share_note": progress.share_note(tasks),
        "indicators": _indicator_rows(figures.get("indicators", [])),
        "areas": [
            {**a, "tasks": area_tasks(a.get("tasks", {})), "indicators": _indicator_rows(a.get("indicators", []))}
            for a in figures.get("areas", [])
        ],
        "by_area": "areas" in figures,
    }


def _indicator_rows(indicators: list[dict]) -> list[dict]:
    return [
        {
            **i,
            "badge": _badge(INDICATOR_BADGES, i.get("status")),
            "status_label": _indicator_label(i.get("status")),
            "target_text": _number(i.get("target")),
            "value_text": _number(i.get("value")),
        }
        for i in indicators
    ]


def _number(value) -> str:
    """'85.50' → '85,5' (the frozen figures keep numbers as strings with a point)."""
    try:
        return number(Decimal(value)) if value not in (None, "") else ""
    except InvalidOperation:
        return str(value)


def _indicator_label(status) -> str:
    labels = dict(IndicatorStatus.choices)
    return labels.get(status, status or "")


def _children_context(report: Report, policy) -> dict:
    rows = services.children(report, policy)
    if not rows:
        return {}
    totals = services.aggregate(rows)
    table = []
    for row in rows:
        fig = row.report.figures if row.report else {}
        reviews = fig.get("reviews", {})
        table.append(
            {
                "organisation": row.organisation,
                "report": row.report,
                "in_force": fig.get("procedures", {}).get("in_force"),
                "reviewed": reviews.get("reviewed"),
                "simplified": reviews.get("simplified"),
                "cost_saving": reviews.get("cost_saving"),
                "overdue": fig.get("tasks", {}).get("overdue"),
            }
        )
    chart = {
        "type": "bar",
        "categories": [r["organisation"].name for r in table],
        "series": [
            {"name": "Đã rà soát (thủ tục)", "data": [r["reviewed"] or 0 for r in table]},
            {"name": "Chi phí cắt giảm (đồng/năm)", "data": [r["cost_saving"] or 0 for r in table], "axis": 1},
        ],
        "axes": ["thủ tục", "đồng/năm"],
        # charts.js writes the second axis as money: 10.000.000 on the axis, "10.000.000 đồng" in the tooltip.
        "formats": ["number", "money"],
    }
    missing = sum(1 for r in rows if r.report is None or not r.report.is_locked)
    waiting = sum(1 for r in rows if r.report is not None and r.report.status == Status.SUBMITTED)
    return {"children": table, "totals": totals, "children_chart": chart, "missing": missing, "waiting": waiting}


def _detail(request, report: Report, form=None, formset=None, status=200):
    policy = request.policy
    editable = not report.is_locked and report.permits(policy, WRITE)
    if editable and form is None:
        form = NarrativeForm(instance=report, initial={"started_from": report.row_version})
        formset = ManualRowFormSet(initial=report.manual_rows, prefix="rows")
    context = {
        "report": report,
        "tables": figure_tables(report.figures),
        "form": form if editable else None,
        "formset": formset if editable else None,
        "actions": report.available_transitions(policy),
        "can_edit": editable,
        "original": originals.card(report, reverse("reports:original", args=[report.pk]), policy)
        if report.takes_original or report.original
        else None,
        **_children_context(report, policy),
    }
    return render(request, "reports/report_detail.html", context, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def report_original(request, pk):
    """The signed original of a report sent up: GET reads it, POST attaches or replaces it (who may send it)."""
    report = get_visible(request.policy, Report.objects.select_related("organisation"), pk=pk)
    back = reverse("reports:detail", args=[pk])
    return originals.original_view(request, report, title=str(report.period.title), back=back)


@login_required
def report_detail(request, pk):
    """The report; a POST saves its narrative and rows entered by hand (reports.write, optimistic lock)."""
    if request.method != "POST":
        reports = Report.objects.select_related("organisation__parent", "submitted_by", "received_by")
        return _detail(request, get_visible(request.policy, reports, pk=pk))
    report = get_visible(request.policy, Report.objects.select_related("organisation"), action=WRITE, pk=pk)
    if report.is_locked:
        messages.error(request, services.LOCKED)
        return redirect("reports:detail", pk=report.pk)
    form = NarrativeForm(request.POST, instance=Report.objects.get(pk=report.pk))
    formset = ManualRowFormSet(request.POST, prefix="rows")
    if form.is_valid() and formset.is_valid():
        narrative = {k: v for k, v in form.cleaned_data.items() if k != "started_from"}
        try:
            services.report_write(
                report=report,
                started_from=form.cleaned_data.get("started_from"),
                manual_rows=manual_rows(formset),
                **narrative,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Đã lưu nội dung báo cáo.")
            return redirect("reports:detail", pk=report.pk)
    return _detail(request, report, form, formset, status=400)


def _version_seen(request) -> int | None:
    """The row_version the page was rendered with (hidden field `started_from`), None when not sent."""
    form = VersionSeenForm(request.POST)
    if not form.is_valid():
        raise ValidationError("Yêu cầu không hợp lệ. Hãy tải lại trang rồi thử lại.")
    return form.cleaned_data["started_from"]


@login_required
@require_POST
def report_refresh(request, pk):
    report = get_visible(request.policy, Report.objects.select_related("organisation"), action=WRITE, pk=pk)
    try:
        services.report_refresh(report=report, started_from=_version_seen(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Đã cập nhật số liệu theo dữ liệu hiện có.")
    return redirect("reports:detail", pk=report.pk)


DONE = {
    "submit": "Đã gửi báo cáo lên cấp trên. Số liệu và nội dung đã được khóa.",
    "send_back": "Đã trả lại báo cáo cho đơn vị kèm lý do; đơn vị được sửa và gửi lại.",
    "accept": "Đã tiếp nhận báo cáo; số liệu của báo cáo được tính vào tổng hợp của đơn vị.",
}


def _transition_view(name: str, *posted: str):
    """A POST that moves the report by transition `name` (403 without its rule; a second click is refused in
    Vietnamese), from the version the page showed, with the posted fields (the reason of a return) as arguments."""

    @login_required
    @require_POST
    def view(request, pk):
        report = get_visible(request.policy, Report.objects.select_related("organisation__parent"), pk=pk)
        try:
            args = [request.POST.get(field, "") for field in posted]
            report.perform(name, request.policy, *args, by=request.user, started_from=_version_seen(request))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, DONE[name])
        return redirect("reports:detail", pk=report.pk)

    view.__doc__ = f"The transition `{name}` of a report."
    return view


report_submit = _transition_view("submit")
report_return = _transition_view("send_back", "reason")
report_accept = _transition_view("accept")
