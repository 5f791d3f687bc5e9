"""Indicator values (computed from the app's data or entered by hand) and scorecards."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from tinhgon.audit import context as audit
from tinhgon.audit.services import log_action
from tinhgon.core import formatting
from tinhgon.core.dates import today
from tinhgon.core.uploads import checked
from tinhgon.organisations.models import Organisation
from tinhgon.plans.constants import DEFAULT_BANDS, Source
from tinhgon.plans.models import Assignment, Indicator, IndicatorValue, Scorecard, ScoreCriterion
from tinhgon.plans.periods import Span, spans
from tinhgon.reviews.costs import percent


def publication_coverage(org: Organisation, day: date) -> Decimal:
    """K1: procedures with a version in force on or before `day` ÷ procedures inventoried by then (their
    `inventoried_on`, the day the unit listed them, not the day they were typed into the app)."""
    from tinhgon.procedures.models import Procedure
    from tinhgon.reviews.ledger import Filters, in_scope

    inventoried = (
        Procedure.objects.internal()
        .filter(owner__in=Organisation.objects.ever_under([org]), is_template=False, inventoried_on__lte=day)
        .count()
    )
    return percent(in_scope(Filters(roots=(org,), as_of=day)).count(), inventoried)


def on_time_task_rate(org: Organisation, span: Span) -> Decimal:
    """K7: assignments of units under `org` due in the period (up to today) done by their deadline ÷ those due."""
    end = min(span.end, today())
    due = Assignment.objects.within(Organisation.objects.ever_under([org])).filter(
        due_on__gte=span.start, due_on__lte=end
    )
    done = sum(1 for a in due.only("due_on", "completed_on") if a.completed_on and a.completed_on <= a.due_on)
    return percent(done, due.count())


def _ledger_metric(name: str):
    def compute(org: Organisation, span: Span) -> Decimal:
        from tinhgon.reviews.ledger import ledger_for

        return getattr(ledger_for(org, as_of=min(span.end, today())), name)

    return compute


COMPUTATIONS = {
    Source.PUBLICATION_COVERAGE: lambda org, span: publication_coverage(org, min(span.end, today())),
    Source.REVIEW_COVERAGE: _ledger_metric("reviewed_pct"),
    Source.PROCEDURE_REDUCTION: _ledger_metric("simplified_pct"),
    Source.COST_REDUCTION: _ledger_metric("cost_saving_pct"),
    Source.IMPLEMENTATION_RATE: _ledger_metric("implemented_pct"),
    Source.ON_TIME_TASK_RATE: on_time_task_rate,
}


def periods_of(indicator: Indicator, year: int | None = None) -> list[Span]:
    """The indicator's periods in its plan's period (or the given / current year), up to the current one."""
    if indicator.plan_id and year is None:
        start, end = indicator.plan.period_start, indicator.plan.period_end
    else:
        year = year or today().year
        start, end = date(year, 1, 1), date(year, 12, 31)
    return [s for s in spans(indicator.period, start, end) if s.start <= today()]


def _lock(indicator: Indicator) -> None:
    """Values of one indicator are written one request at a time: two entries for one period make one row."""
    list(Indicator.objects.select_for_update().filter(pk=indicator.pk).values_list("pk", flat=True))


@transaction.atomic
def indicator_refresh(indicator: Indicator, year: int | None = None) -> list[IndicatorValue]:
    """Recompute the values of a computed indicator for each of its periods so far."""
    if indicator.source == Source.MANUAL:
        return list(indicator.values.all())
    _lock(indicator)
    compute = COMPUTATIONS[indicator.source]
    out = []
    for span in periods_of(indicator, year):
        value = compute(indicator.organisation, span)
        row, created = IndicatorValue.objects.get_or_create(
            indicator=indicator,
            period_start=span.start,
            defaults={"period_end": span.end, "period_label": span.label, "value": value, "computed": True},
        )
        if not created and row.value != value:
            with audit.action("plans.indicator_value.computed"):
                row.value, row.period_end = value, span.end
                row.save()
        out.append(row)
    return out


@transaction.atomic
def indicator_value_enter(
    *, indicator: Indicator, span: Span, value, note: str = "", evidence=None, by=None
) -> IndicatorValue:
    """A value entered by hand, with who entered it and its evidence; re-entering a period replaces it."""
    if indicator.source != Source.MANUAL:
        raise ValidationError("Chỉ tiêu này được tính tự động từ dữ liệu, không nhập tay.")
    try:
        value = Decimal(str(value).replace(",", "."))
    except ArithmeticError:
        raise ValidationError({"value": "Giá trị phải là số."}) from None
    if indicator.unit.strip() == "%" and not 0 <= value <= 100:
        raise ValidationError({"value": "Tỷ lệ phải từ 0 đến 100%."})
    _lock(indicator)
    row = IndicatorValue.objects.filter(indicator=indicator, period_start=span.start).first() or IndicatorValue(
        indicator=indicator, period_start=span.start
    )
    row.period_end, row.period_label, row.value, row.note, row.entered_by = span.end, span.label, value, note, by
    if evidence is not None:  # the one place an indicator value's evidence upload is saved
        row.evidence = checked(evidence)
    with audit.action("plans.indicator_value.entered"):
        row.save()
    return row


# Scorecards -------------------------------------------------------------------------------------------------------


@dataclass
class Node:
    criterion: ScoreCriterion
    children: list
    max_points: Decimal
    self_score: Decimal | None
    appraised_score: Decimal | None


def _sum(values):
    values = [v for v in values if v is not None]
    return sum(values, Decimal(0)) if values else None


def scorecard_tree(scorecard: Scorecard) -> list[Node]:
    """The criteria as a tree with parents summing their children, from one query."""
    rows = list(scorecard.criteria.all())
    by_parent = {}
    for row in rows:
        by_parent.setdefault(row.parent_id, []).append(row)

    def build(row):
        kids = [build(c) for c in by_parent.get(row.pk, [])]
        if not kids:
            return Node(row, [], row.max_points, row.self_score, row.appraised_score)
        return Node(
            row,
            kids,
            sum((k.max_points for k in kids), Decimal(0)),
            _sum(k.self_score for k in kids),
            _sum(k.appraised_score for k in kids),
        )

    return [build(r) for r in by_parent.get(None, [])]


def scorecard_totals(scorecard: Scorecard) -> dict:
    tree = scorecard_tree(scorecard)
    total = {
        "max_points": sum((n.max_points for n in tree), Decimal(0)),
        "self_score": _sum(n.self_score for n in tree),
        "appraised_score": _sum(n.appraised_score for n in tree),
    }
    final = total["appraised_score"] if total["appraised_score"] is not None else total["self_score"]
    # The share of the maximum the band is read from, by the one rounding rule (core.formatting.share).
    total["share"] = formatting.share(final, total["max_points"]) if final is not None else None
    total["band"] = scorecard.band(final, out_of=total["max_points"])
    total["share_rule"] = formatting.share_rule()
    return total


@transaction.atomic
def criterion_score(*, criterion: ScoreCriterion, self_score=None, evidence=None, appraised_score=None, note=None):
    """Score a leaf criterion, within 0 and its maximum. The scorecard's row is locked: a self-assessment and an
    appraisal of the same criterion saved at once are written one after the other, neither lost."""
    list(Scorecard.objects.select_for_update().filter(pk=criterion.scorecard_id).values_list("pk", flat=True))
    criterion.refresh_from_db()
    if criterion.children.exists():
        raise ValidationError("Chỉ chấm điểm ở tiêu chí thành phần; tiêu chí cha được cộng tự động.")
    for name, value in (("self_score", self_score), ("appraised_score", appraised_score)):
        if value is not None and not 0 <= Decimal(value) <= criterion.max_points:
            raise ValidationError({name: f"Điểm phải từ 0 đến {criterion.max_points}."})
    if self_score is not None:
        criterion.self_score = self_score
    if evidence is not None:
        criterion.evidence = evidence
    if appraised_score is not None:
        criterion.appraised_score = appraised_score
    if note is not None:
        criterion.appraisal_note = note
    criterion.save()
    log_action(
        criterion.scorecard,
        verb="scored",
        action="plans.scorecard.scored",
        changes={"criterion": [None, criterion.code], "self_score": [None, str(criterion.self_score)]},
    )
    return criterion


@transaction.atomic
def scorecard_copy(*, source: Scorecard, year: int, organisation: Organisation | None = None) -> Scorecard:
    """Next year's scorecard with the same criteria tree and bands, without scores. The source's row is locked
    while the copy is looked for: a double click makes one copy."""
    list(Scorecard.objects.select_for_update().filter(pk=source.pk).values_list("pk", flat=True))
    organisation = organisation or source.organisation
    if Scorecard.objects.filter(organisation=organisation, year=year, title=source.title).exists():
        raise ValidationError({"year": f"Đã có bộ chỉ số này cho năm {year}."})
    copy = Scorecard.objects.create(
        organisation=organisation,
        year=year,
        title=source.title,
        bands=source.bands or DEFAULT_BANDS,
    )
    new_ids = {}
    pending = list(source.criteria.all())
    while pending:
        ready = [r for r in pending if r.parent_id is None or r.parent_id in new_ids]
        for row in ready:
            new_ids[row.pk] = ScoreCriterion.objects.create(
                scorecard=copy,
                parent_id=new_ids.get(row.parent_id),
                code=row.code,
                title=row.title,
                order=row.order,
                max_points=row.max_points,
            ).pk
        pending = [r for r in pending if r.pk not in new_ids]
    return copy
