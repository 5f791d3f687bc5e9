"""Dashboards and periodic reports (/bao-cao/). Views check permissions through `request.policy` (reports.view,
reports.write, reports.submit) and call tinhgon.reports.services; a ValidationError is shown in Vietnamese on the
form with what the user typed kept. A unit outside the user's scope is a 404, a missing right a 403."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from tinhgon.core.dates import today
from tinhgon.organisations.models import Organisation
from tinhgon.plans.constants import IndicatorStatus, StatusClass
from tinhgon.procedures.constants import Group, Level
from tinhgon.reports import dashboard as dashboard_module
from tinhgon.reports import services
from tinhgon.reports.forms import (
    DashboardFilterForm,
    ManualRowFormSet,
    NarrativeForm,
    ReportCreateForm,
    ReportFilterForm,
    manual_rows,
)
from tinhgon.reports.models import Report
from tinhgon.reviews.constants import Action, MilestoneStatus

MILESTONE_BADGES = {
    MilestoneStatus.MET: "bg-green",
    MilestoneStatus.ON_TRACK: "bg-blue",
    MilestoneStatus.AT_RISK: "bg-orange",
    MilestoneStatus.MISSED: "bg-red",
}
INDICATOR_BADGES = {IndicatorStatus.MET: "bg-green", IndicatorStatus.AT_RISK: "bg-orange", "missed": "bg-red"}
CHANGE_LABELS = {"new": "Công bố mới", "amended": "Sửa đổi, bổ sung", "replaced": "Thay thế", "abolished": "Bãi bỏ"}
REVIEW_ROWS = [
    ("published", "Thủ tục đã công bố (trong phạm vi)", None),
    ("reviewed", "Đã rà soát", "reviewed_pct"),
    ("simplified", "Được cắt giảm, đơn giản hóa (đã phê duyệt)", "simplified_pct"),
    ("implemented", "Phương án đã thực thi", "implemented_pct"),
    ("implementation_overdue", "Việc thực thi quá hạn", None),
]
COST_ROWS = [
    ("cost_before", "Chi phí tuân thủ trước đơn giản hóa (đồng/năm)", None),
    ("cost_after", "Chi phí tuân thủ sau đơn giản hóa (đồng/năm)", None),
    ("cost_saving", "Chi phí cắt giảm (đồng/năm)", "cost_saving_pct"),
]


def _scope(request, action="reports.view"):
    if not request.policy.can_anywhere(action):
        raise PermissionDenied
    return request.policy.organisations(action)


def _default_org(request) -> Organisation:
    membership = request.acting_membership
    if membership is not None:
        return membership.organisation
    org = Organisation.objects.filter(parent__isnull=True).order_by("pk").first()
    if org is None:
        raise Http404
    return org


def _error_messages(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def _badge(mapping, status) -> str:
    return mapping.get(status, "bg-secondary")


# Dashboard --------------------------------------------------------------------------------------------------------


@login_required
def dashboard(request):
    scope = _scope(request)
    form = DashboardFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    code = (data.get("org") or "").strip()
    org = Organisation.objects.filter(code=code).first() if code else _default_org(request)
    if org is None or not scope.filter(pk=org.pk).exists():
        raise Http404
    as_of = data.get("as_of") or today()
    figures = dashboard_module.dashboard_data(org, as_of, request.policy, all=request.GET.get("all") == "1")
    ledger = figures.get("ledger")
    if ledger:
        for m in ledger["milestones"]:
            m["badge"] = _badge(MILESTONE_BADGES, m["status"])
    for indicator in figures.get("indicators", []):
        indicator["badge"] = _badge(INDICATOR_BADGES, indicator["status"])
    charts = {}
    if figures["view"] == "oversight":
        ranking = figures["ranking"]
        charts["progress"] = {
            "type": "line",
            "categories": [p["label"] for p in figures["progress"]],
            "series": [
                {"name": "Tỷ lệ đã rà soát (%)", "data": [float(p["reviewed_pct"]) for p in figures["progress"]]}
            ],
            "unit": "%",
        }
        charts["ranking"] = {
            "type": "bar",
            "categories": [r["name"] for r in ranking],
            "series": [
                {"name": "Đã rà soát (%)", "data": [float(r["reviewed_pct"]) for r in ranking]},
                {"name": "Cắt giảm, đơn giản hóa (%)", "data": [float(r["simplified_pct"]) for r in ranking]},
                {"name": "Chi phí cắt giảm (%)", "data": [float(r["cost_saving_pct"]) for r in ranking]},
            ],
            "unit": "%",
        }
        heat = figures["heatmap"]
        charts["heatmap"] = {
            "type": "heatmap",
            "x": heat["months"],
            "y": heat["units"],
            "data": heat["data"],
            "max": heat["max"],
        }
        cells = {(x, y): n for x, y, n in heat["data"]}
        columns = range(len(heat["months"]))
        heat["table"] = [
            {"unit": name, "code": heat["codes"][y], "cells": [cells.get((x, y), 0) for x in columns]}
            for y, name in enumerate(heat["units"])
        ]
    query = request.GET.copy()
    query["org"] = org.code
    query["as_of"] = as_of.strftime("%d/%m/%Y")
    parents = []
    if org.parent_id and scope.filter(pk=org.parent_id).exists():
        parents = [org.parent]
    context = {
        "form": form,
        "org": org,
        "as_of": as_of,
        "d": figures,
        "charts": charts,
        "computed_at": timezone.localtime(),
        "parents": parents,
        "status_labels": dict(StatusClass.choices),
    }
    return render(request, "reports/dashboard.html", context)


# Reports ----------------------------------------------------------------------------------------------------------


@login_required
def report_list(request):
    scope = _scope(request)
    filters = ReportFilterForm(request.GET or None)
    reports = Report.objects.filter(organisation__in=scope).select_related("organisation")
    if filters.is_valid():
        data = filters.cleaned_data
        if data.get("kind"):
            reports = reports.filter(kind=data["kind"])
        if data.get("year"):
            reports = reports.filter(year=data["year"])
        if data.get("org"):
            reports = reports.filter(organisation__code=data["org"].strip())
        if data.get("status"):
            reports = reports.filter(status=data["status"])
    form = None
    can_write = request.policy.can_anywhere("reports.write")
    if can_write:
        organisations = request.policy.organisations("reports.write").current().order_by("name")
        initial = {}
        if request.acting_membership is not None:
            initial["organisation"] = request.acting_membership.organisation
        form = ReportCreateForm(request.POST or None, organisations=organisations, initial=initial, auto_id="new_%s")
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            try:
                report = services.report_create(
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
            else:
                messages.success(request, f"Đã lập {report}.")
                return redirect("reports:detail", pk=report.pk)
    context = {"reports": reports[:200], "filters": filters, "form": form}
    return render(request, "reports/report_list.html", context)


def _get_report(request, pk, action: str | None = None) -> Report:
    report = get_object_or_404(Report.objects.select_related("organisation", "submitted_by"), pk=pk)
    if not request.policy.allows("reports.view", report.organisation):
        raise Http404
    if action and not request.policy.allows(action, report.organisation):
        raise PermissionDenied
    return report


def _labelled(counts: dict, choices) -> list[dict]:
    labels = dict(choices)
    return [{"label": labels.get(key, key or "—"), "n": n} for key, n in counts.items()]


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
        "tasks": [{"key": value, "label": label, "n": tasks.get(value, 0)} for value, label in StatusClass.choices],
        "tasks_due": tasks.get("due", 0),
        "on_time_pct": tasks.get("on_time_pct", "0.00"),
        "indicators": [
            {**i, "badge": _badge(INDICATOR_BADGES, i.get("status")), "status_label": _indicator_label(i.get("status"))}
            for i in figures.get("indicators", [])
        ],
    }


def _indicator_label(status) -> str:
    labels = dict(IndicatorStatus.choices)
    return labels.get(status, status or "")


def _children_context(report: Report) -> dict:
    rows = services.children(report)
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
    }
    missing = sum(1 for r in rows if r.report is None)
    return {"children": table, "totals": totals, "children_chart": chart, "missing": missing}


def _detail(request, report: Report, form=None, formset=None, status=200):
    editable = not report.is_locked and request.policy.allows("reports.write", report.organisation)
    if editable and form is None:
        form = NarrativeForm(instance=report, initial={"started_from": report.row_version})
        formset = ManualRowFormSet(initial=report.manual_rows, prefix="rows")
    context = {
        "report": report,
        "tables": figure_tables(report.figures),
        "form": form if editable else None,
        "formset": formset if editable else None,
        "can_submit": not report.is_locked and request.policy.allows("reports.submit", report.organisation),
        "can_refresh": editable,
        **_children_context(report),
    }
    return render(request, "reports/report_detail.html", context, status=status)


@login_required
def report_detail(request, pk):
    report = _get_report(request, pk)
    if request.method != "POST":
        return _detail(request, report)
    report = _get_report(request, pk, "reports.write")
    form = NarrativeForm(request.POST, instance=Report.objects.get(pk=report.pk))
    formset = ManualRowFormSet(request.POST, prefix="rows")
    if report.is_locked:
        messages.error(request, "Báo cáo đã gửi cấp trên nên đã khóa, không sửa được.")
        return redirect("reports:detail", pk=report.pk)
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
    report.refresh_from_db()
    return _detail(request, report, form, formset, status=400)


@login_required
@require_POST
def report_refresh(request, pk):
    report = _get_report(request, pk, "reports.write")
    try:
        services.report_refresh(report)
    except ValidationError as error:
        _error_messages(request, error)
    else:
        messages.success(request, "Đã cập nhật số liệu theo dữ liệu hiện có.")
    return redirect("reports:detail", pk=report.pk)


@login_required
@require_POST
def report_submit(request, pk):
    report = _get_report(request, pk, "reports.submit")
    try:
        services.report_submit(report=report, by=request.user)
    except ValidationError as error:
        _error_messages(request, error)
    else:
        messages.success(request, "Đã gửi báo cáo lên cấp trên. Số liệu và nội dung đã được khóa.")
    return redirect("reports:detail", pk=report.pk)
