"""Indicator and scorecard pages (/ke-hoach/chi-tieu/, /ke-hoach/bo-chi-so/): targets and their values by period
(entered with evidence, or computed from the app's data), and the units' self-assessed scorecards with their
appraisal. Objects are found with get_visible over the models' rules, as in plans/views.py."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from tinhgon.core.files import serve_file
from tinhgon.core.paging import PAGE, query_without_page
from tinhgon.core.visibility import get_visible
from tinhgon.plans import indicators as indicator_services
from tinhgon.plans.constants import IndicatorStatus, Source
from tinhgon.plans.filters import IndicatorFilter
from tinhgon.plans.forms import (
    AppraisalForm,
    IndicatorForm,
    IndicatorValueForm,
    ScorecardCopyForm,
    SelfScoreForm,
    show_error,
)
from tinhgon.plans.models import VIEW, Indicator, IndicatorValue, Plan, Scorecard
from tinhgon.reviews.constants import MILESTONE_BADGES, MilestoneStatus

INDICATOR_BADGES = {
    IndicatorStatus.MET: "bg-green",
    IndicatorStatus.AT_RISK: "bg-orange",
    IndicatorStatus.MISSED: "bg-red",
}
PER_PAGE = 50
SET = "indicators.manage"
ENTER = "indicators.enter"
APPRAISE = "scorecards.appraise"


# Indicators -------------------------------------------------------------------------------------------------------


def _deadline(indicator: Indicator, values) -> dict:
    """The indicator judged by its deadline: when its target was first met and its status (MilestoneStatus)."""
    status = indicator.deadline_status(values)
    return {
        "reached_on": indicator.reached_on(values),
        "deadline_status": MilestoneStatus(status).label if status else "",
        "deadline_badge": MILESTONE_BADGES.get(status, ""),
        "deadline_code": status or "",
    }


def _indicator_rows(indicators) -> list[dict]:
    by_indicator = {}
    for value in IndicatorValue.objects.filter(indicator__in=[i.pk for i in indicators]).order_by("period_start"):
        by_indicator.setdefault(value.indicator_id, []).append(value)
    rows = []
    for indicator in indicators:
        values = by_indicator.get(indicator.pk, [])
        value = values[-1] if values else None
        status = indicator.status_of(value.value, value.period_end) if value else None
        rows.append(
            {
                "indicator": indicator,
                "value": value,
                "status": IndicatorStatus(status).label if status else "",
                "badge": INDICATOR_BADGES.get(status, ""),
                **_deadline(indicator, values),
            }
        )
    return rows


@login_required
def indicator_list(request):
    policy = request.policy
    if not policy.can_anywhere(VIEW):
        raise PermissionDenied
    visible = Indicator.objects.visible_to(policy).select_related("organisation", "plan", "area")
    filters = IndicatorFilter(request.GET, queryset=visible)
    found = filters.qs if filters.is_valid() else visible.none()
    # 50 a page: the nation's 2,000 indicators, each with its values, were 0.7 s.
    page = Paginator(found.order_by("organisation", "name", "pk"), PER_PAGE).get_page(request.GET.get(PAGE))
    form = None
    if policy.can_anywhere(SET):
        organisations = policy.organisations(SET).current().order_by("name")
        form = IndicatorForm(request.POST or None, organisations=organisations, plans=Plan.objects.visible_to(policy))
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            indicator = form.save(commit=False)
            if not indicator.permits(policy, SET):
                raise PermissionDenied
            indicator.save()
            messages.success(request, f"Đã đặt chỉ tiêu “{indicator.name}”.")
            return redirect("plans:indicator", pk=indicator.pk)
    context = {
        "rows": _indicator_rows(page.object_list),
        "page": page,
        "query": query_without_page(request),
        "filters": filters.form,
        "form": form,
    }
    return render(request, "plans/indicator_list.html", context)


@login_required
def indicator_detail(request, pk):
    indicator = get_visible(request.policy, Indicator.objects.select_related("organisation", "plan", "area"), pk=pk)
    can_enter = indicator.permits(request.policy, ENTER)
    manual = indicator.source == Source.MANUAL
    periods = indicator_services.periods_of(indicator)
    section = request.POST.get("section")
    value_form = None
    if manual and can_enter:
        value_form = IndicatorValueForm(
            request.POST if section == "value" else None,
            request.FILES if section == "value" else None,
            periods=periods,
            prefix="value",
        )
    if request.method == "POST":
        if not can_enter:
            raise PermissionDenied
        if section == "refresh" and not manual:
            indicator_services.indicator_refresh(indicator)
            messages.success(request, "Đã cập nhật số liệu.")
            return redirect("plans:indicator", pk=pk)
        if section == "value" and value_form is not None and value_form.is_valid():
            span = _enter_value(request, indicator, value_form, periods)
            if span is not None:
                messages.success(request, f"Đã nhập số liệu {span.label}.")
                return redirect("plans:indicator", pk=pk)
    context = {
        "indicator": indicator,
        "plan_shown": indicator.plan_id in Plan.objects.visible_to(request.policy).ids_among([indicator.plan_id]),
        "values": _value_rows(indicator),
        **_deadline(indicator, list(indicator.values.all())),
        "value_form": value_form,
        "can_enter": can_enter,
        "manual": manual,
    }
    return render(request, "plans/indicator_detail.html", context)


def _enter_value(request, indicator: Indicator, form, periods):
    """The period entered, or None when the form shows why not."""
    data = form.cleaned_data
    span = next(s for s in periods if s.start.isoformat() == data["period"])
    try:
        indicator_services.indicator_value_enter(
            indicator=indicator,
            span=span,
            value=data["value"],
            note=data["note"],
            evidence=data["evidence"],
            by=request.user,
        )
    except ValidationError as error:
        show_error(form, error)
        return None
    return span


def _value_rows(indicator: Indicator) -> list[dict]:
    rows = []
    for value in indicator.values.select_related("entered_by"):
        value.indicator = indicator
        status = value.status
        rows.append({"v": value, "status": IndicatorStatus(status).label, "badge": INDICATOR_BADGES[status]})
    return rows


@login_required
def indicator_value_file(request, pk):
    value = get_visible(request.policy, IndicatorValue.objects, pk=pk)
    return serve_file(value.evidence)


# Scorecards -------------------------------------------------------------------------------------------------------


@login_required
def scorecard_list(request):
    if not request.policy.can_anywhere(VIEW):
        raise PermissionDenied
    cards = Scorecard.objects.visible_to(request.policy).select_related("organisation")
    return render(request, "plans/scorecard_list.html", {"cards": cards})


def _flatten(nodes, depth=0):
    for node in nodes:
        yield node, depth
        yield from _flatten(node.children, depth + 1)


def _scorecard(request, pk, action: str | None = None) -> Scorecard:
    return get_visible(request.policy, Scorecard.objects.select_related("organisation"), action=action, pk=pk)


def _scorecard_page(request, card: Scorecard, copy_form=None):
    policy = request.policy
    context = {
        "card": card,
        "rows": list(_flatten(indicator_services.scorecard_tree(card))),
        "totals": indicator_services.scorecard_totals(card),
        "can_enter": card.permits(policy, ENTER),
        "can_appraise": card.permits(policy, APPRAISE),
        "can_manage": card.permits(policy, SET),
        "copy_form": copy_form or ScorecardCopyForm(prefix="copy", initial={"year": card.year + 1}),
    }
    return render(request, "plans/scorecard_detail.html", context)


@login_required
def scorecard_detail(request, pk):
    return _scorecard_page(request, _scorecard(request, pk))


@require_POST
@login_required
def scorecard_self_assess(request, pk):
    """A criterion's self-assessed score and evidence (indicators.enter on the assessed unit)."""
    card = _scorecard(request, pk, ENTER)
    _score(request, card, SelfScoreForm(request.POST))
    return redirect("plans:scorecard", pk=pk)


@require_POST
@login_required
def scorecard_appraise(request, pk):
    """A criterion's appraised score and note (scorecards.appraise on the assessed unit)."""
    card = _scorecard(request, pk, APPRAISE)
    _score(request, card, AppraisalForm(request.POST))
    return redirect("plans:scorecard", pk=pk)


@require_POST
@login_required
def scorecard_copy(request, pk):
    """Next year's scorecard with the same criteria (indicators.manage on the assessed unit)."""
    card = _scorecard(request, pk, SET)
    form = ScorecardCopyForm(request.POST, prefix="copy")
    if form.is_valid():
        year = form.cleaned_data["year"]
        try:
            copied = indicator_services.scorecard_copy(source=card, year=year)
        except ValidationError as error:
            show_error(form, error)
        else:
            messages.success(request, f"Đã sao chép bộ chỉ số sang năm {year}.")
            return redirect("plans:scorecard", pk=copied.pk)
    return _scorecard_page(request, card, form)


def _score(request, card: Scorecard, form) -> None:
    """Save one criterion's score; the outcome is a message on the page the user returns to."""
    if not form.is_valid():
        messages.error(request, "Chọn một tiêu chí và nhập điểm là một số.")
        return
    criterion = get_visible(request.policy, card.criteria, pk=form.cleaned_data["criterion"])
    try:
        indicator_services.criterion_score(criterion=criterion, **form.changes())
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, f"{criterion.code}: {message}")
    else:
        messages.success(request, f"Đã lưu điểm tiêu chí {criterion.code}.")
