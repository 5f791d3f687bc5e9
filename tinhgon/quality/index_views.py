"""The QĐ 766/QĐ-TTg service-quality index inside the application (/chat-luong/chi-so-766/): a unit enters its
monthly scores by component group (within each group's maximum) with optional evidence, its head or the focal point
publishes the month (or withdraws it to correct it), and a table shows the units the user may see by month with
their totals and rank. Published months appear on the portal (public_views.py)."""

from collections import defaultdict
from datetime import timedelta
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from tinhgon.audit.display import describe
from tinhgon.audit.models import AuditLogEntry
from tinhgon.core.dates import today
from tinhgon.core.files import serve_file
from tinhgon.core.visibility import get_visible, require_somewhere
from tinhgon.organisations.models import Organisation
from tinhgon.quality import services
from tinhgon.quality.constants import ScoreStatus
from tinhgon.quality.filters import ScoreTableForm
from tinhgon.quality.forms import PublishForm, ScoreForm, show_error
from tinhgon.quality.models import ENTER, PUBLISH, VIEW, ServiceIndexScore
from tinhgon.quality.ranking import ranked

MONTHS = range(1, 13)


def previous_month(day):
    return (day.replace(day=1) - timedelta(days=1)).replace(day=1)


@login_required
def score_table(request):
    """Units × months of a year: each month's total and the unit's rank among the units shown that month."""
    require_somewhere(request.policy, VIEW)
    policy = request.policy
    form = ScoreTableForm(request.GET or None, initial={"nam": today().year})
    data = form.cleaned_data if form.is_valid() else {}
    year = data.get("nam") or today().year
    scores = ServiceIndexScore.objects.visible_to(policy).filter(month__year=year).select_related("organisation")
    if data.get("org"):
        under = Organisation.objects.ever_under(Organisation.objects.filter(code=data["org"]))
        scores = scores.filter(organisation__in=under)
    scores = list(scores)
    ranks = {}
    by_month = defaultdict(list)
    for score in scores:
        by_month[score.month.month].append(score)
    for group in by_month.values():
        for rank, score in ranked(group, key=lambda s: s.total):
            ranks[score.pk] = rank
    units = {}
    for score in scores:
        row = units.setdefault(score.organisation_id, {"unit": score.organisation, "cells": {}, "totals": []})
        row["cells"][score.month.month] = {
            "score": score,
            "rank": ranks[score.pk],
            "of": len(by_month[score.month.month]),
        }
        row["totals"].append(score.total)
    rows = sorted(units.values(), key=lambda r: r["unit"].name)
    for row in rows:
        row["months"] = [row["cells"].get(m) for m in MONTHS]
        row["average"] = sum(row["totals"], Decimal(0)) / len(row["totals"])
    components = services.active_components()
    context = {
        "form": form,
        "year": year,
        "years": [year - 1, year + 1],
        "months": list(MONTHS),
        "rows": rows,
        "max_total": services.max_total(components),
        "components": components,
        "can_enter": policy.can_anywhere(ENTER),
    }
    return render(request, "quality/score_table.html", context)


def _recent(policy):
    """The last months entered for the units the user enters scores for."""
    return (
        ServiceIndexScore.objects.visible_to(policy)
        .filter(organisation__in=policy.organisations(ENTER))
        .select_related("organisation")
        .order_by("-month", "organisation__name")[:12]
    )


@login_required
def score_enter(request):
    """A new month of scores for a unit (the acting unit by default), the month before the current one first."""
    require_somewhere(request.policy, ENTER)
    policy = request.policy
    components = services.active_components()
    organisations = policy.organisations(ENTER).current().order_by("name")
    initial = {"month": previous_month(today())}
    membership = request.acting_membership
    if membership is not None and organisations.filter(pk=membership.organisation_id).exists():
        initial["organisation"] = membership.organisation
    form = ScoreForm(
        request.POST or None,
        request.FILES or None,
        components=components,
        organisations=organisations,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        score = ServiceIndexScore(organisation=data["organisation"], month=data["month"], note=data["note"])
        if not score.permits(policy, ENTER):
            raise PermissionDenied
        try:
            services.score_save(score=score, points=form.points(), evidence=data["evidence"], by=request.user)
        except ValidationError as error:
            show_error(form, error)
        else:
            messages.success(
                request, f"Đã lưu điểm tháng {score.month_label} của {score.organisation.name}: {_points(score.total)}."
            )
            return redirect("quality:score", pk=score.pk)
    context = {
        "form": form,
        "components": components,
        "max_total": services.max_total(components),
        "recent": _recent(policy),
    }
    return render(request, "quality/score_enter.html", context)


def _points(value) -> str:
    return f"{services.points_text(value)} điểm"


def _scores():
    return ServiceIndexScore.objects.select_related("organisation", "entered_by", "published_by")


@login_required
def score_detail(request, pk):
    """A month's scores by component; the unit corrects them here while they are not published."""
    policy = request.policy
    score = get_visible(policy, _scores(), pk=pk)
    can_enter = score.permits(policy, ENTER)
    components = services.active_components()
    parts = {part.component_id: part for part in score.parts.select_related("component")}
    form = None
    if can_enter and score.status == ScoreStatus.DRAFT:
        initial = {"organisation": score.organisation, "month": score.month, "note": score.note}
        initial.update({f"c_{c.code}": parts[c.pk].points for c in components if c.pk in parts})
        form = ScoreForm(
            request.POST or None,
            request.FILES or None,
            components=components,
            organisations=Organisation.objects.filter(pk=score.organisation_id),
            score=score,
            initial=initial,
        )
    if request.method == "POST":
        if not can_enter:
            raise PermissionDenied
        if form is None:
            messages.error(request, "Điểm tháng này đã công khai: thu hồi công khai trước khi sửa.")
            return redirect("quality:score", pk=pk)
        if form.is_valid():
            data = form.cleaned_data
            score.note = data["note"]
            try:
                services.score_save(
                    score=score,
                    points=form.points(),
                    evidence=data["evidence"],
                    started_from=data["row_version"],
                    by=request.user,
                )
            except ValidationError as error:
                show_error(form, error)
            else:
                messages.success(request, f"Đã lưu điểm tháng {score.month_label}: {_points(score.total)}.")
                return redirect("quality:score", pk=pk)
    history = None
    if policy.allows("audit.view", score.organisation):
        entries = AuditLogEntry.objects.for_object(score).select_related("organisation", "content_type")
        history = describe(entries[:100])
    rows = [{"component": c, "part": parts.get(c.pk)} for c in components]
    rows += [{"component": p.component, "part": p} for p in parts.values() if not p.component.is_active]
    context = {
        "score": score,
        "rows": rows,
        "max_total": services.max_total(components),
        "form": form,
        "moves": score.available_transitions(policy),
        "history": history,
    }
    return render(request, "quality/score_detail.html", context)


def _move(request, pk, name: str, done: str):
    score = get_visible(request.policy, _scores(), action=PUBLISH, pk=pk)
    form = PublishForm(request.POST)
    started_from = form.cleaned_data.get("row_version") if form.is_valid() else None
    try:
        score.perform(name, request.policy, by=request.user, started_from=started_from)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, done.format(month=score.month_label, unit=score.organisation.name))
    return redirect("quality:score", pk=pk)


@require_POST
@login_required
def score_publish(request, pk):
    return _move(request, pk, "publish", "Đã công khai điểm tháng {month} của {unit} trên Cổng công khai.")


@require_POST
@login_required
def score_withdraw(request, pk):
    return _move(request, pk, "withdraw", "Đã thu hồi công khai điểm tháng {month} của {unit}: có thể sửa lại.")


@login_required
def score_evidence(request, pk):
    score = get_visible(request.policy, ServiceIndexScore.objects, pk=pk)
    return serve_file(score.evidence)
