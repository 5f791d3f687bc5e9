"""Procedures of a province with their versions and components, and the publication decisions that brought every
version into force (applied, with the items that ended the versions they amended or abolished), written as
`procedures.services` would leave them: the derived columns through `ProcedureVersion.prepare_save()`, the public
search entries rebuilt at the end of the run (`SearchEntry.objects.rebuild()`)."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from tinhgon.procedures.constants import Change, DecisionStatus, Status
from tinhgon.procedures.models import (
    DecisionItem,
    DossierItem,
    LegalBasis,
    Procedure,
    ProcedureForm,
    ProcedureVersion,
    PublicationDecision,
    Step,
)

from . import vocabulary as vocab
from .accounts import person_name

FIRST_PUBLICATION = date(2025, 7, 1)
IN_PROGRESS = (Status.DRAFT, Status.SUBMITTED, Status.RETURNED, Status.CHECKED)
CHANNELS = (["in_person"], ["in_person", "post"], ["in_person", "online"], ["online"], ["in_person", "post", "online"])


@dataclass
class Published:
    """What the reviews and plans of the province need to know of a procedure in force."""

    procedure: Procedure
    version: ProcedureVersion


def build(ctx, tree) -> list[Published]:
    p = tree.province.code
    rng = ctx.rng(p, "procedures")
    today = ctx.today
    owners = [(d, tree.field_of[d.pk], "province") for d in tree.departments]
    divisions = [(u, tree.field_of[d.pk], "province") for d in tree.departments for u in tree.divisions[d.pk]]
    communes = [(c, "chinh-quyen-dia-phuong", "commune") for c in tree.communes]
    last_day = today - timedelta(days=5)
    # Decisions take effect on the 1st of a month, from the reform to a few days ago.
    days = [m for m in _months(FIRST_PUBLICATION, last_day) if m <= last_day]

    procedures, histories = [], []
    for i in range(ctx.profile.procedures):
        roll = rng.random()
        owner, field_code, level = rng.choice(divisions if roll < 0.1 else communes if roll < 0.25 else owners)
        objects = (
            vocab.COMMUNE_OBJECTS
            if level == "commune"
            else vocab.OBJECTS.get(field_code, vocab.OBJECTS["kiem-soat-tthc"])
        )
        scope = "" if level == "commune" else rng.choice(vocab.SCOPES)
        name = f"{rng.choice(vocab.ACTIONS)} {rng.choice(objects)}{scope}"
        if name.endswith(" năm"):
            name += f" {rng.choice((2025, 2026))}"
        procedure = Procedure(
            code=f"{p}-{i + 1:06d}",
            national_code=f"2.{rng.randint(0, 999999):06d}" if rng.random() < 0.6 else "",
            owner=owner,
        )
        procedures.append(procedure)
        fields = dict(
            name=name,
            group="A" if rng.random() < 0.55 else "B",
            level=level,
            field=ctx.fields[field_code],
            channels=rng.choice(CHANNELS),
            processing_time_value=Decimal(rng.choice((3, 5, 7, 10, 15, 20, 30))),
            processing_time_unit="working_days",
            performers=rng.choice(("Cơ quan, đơn vị thuộc tỉnh", "Ủy ban nhân dân cấp xã", "Cán bộ, công chức")),
            authority=tree.province.name if rng.random() < 0.6 else owner.name,
            performing_body=owner.name,
            result=rng.choice(("Quyết định phê duyệt", "Văn bản chấp thuận", "Văn bản trả lời")),
            executions_per_year=rng.randint(1, 4),
            subjects_per_year=rng.randint(5, 300),
        )
        histories.append((procedure, fields, _history(rng, days)))
    Procedure.objects.bulk_create(procedures, batch_size=2000)

    versions, components, published = [], [], []
    for procedure, fields, history in histories:
        for number, (status, start, end) in enumerate(history, start=1):
            v = ProcedureVersion(
                procedure=procedure, number=number, status=status, effective_from=start, effective_to=end, **fields
            )
            v.prepare_save()
            versions.append(v)
            if status == Status.PUBLISHED:
                published.append(Published(procedure, v))
    ProcedureVersion.objects.bulk_create(versions, batch_size=2000)
    for v in versions:
        components += _components(rng, v)
    for model, label in (
        (Step, "steps"),
        (DossierItem, "dossier items"),
        (LegalBasis, "legal bases"),
        (ProcedureForm, "forms"),
    ):
        rows = [c for c in components if isinstance(c, model)]
        model.objects.bulk_create(rows, batch_size=5000)
        ctx.count(label, len(rows))
    _decisions(ctx, rng, tree, versions)
    ctx.count("procedures", len(procedures))
    ctx.count("versions", len(versions))
    return published


def _months(start: date, end: date):
    day = start.replace(day=1)
    while day <= end:
        yield day
        day = (day + timedelta(days=32)).replace(day=1)


def _history(rng, days) -> list[tuple[str, date | None, date | None]]:
    """(status, effective_from, effective_to) of each version, oldest first."""
    roll = rng.random()
    if roll >= 0.9 or len(days) < 6:
        return [(rng.choice(IN_PROGRESS), None, None)]
    d1 = rng.choice(days[: len(days) // 2])
    later = [d for d in days if d > d1 + timedelta(days=60)]
    if roll < 0.5 or not later:
        return [(Status.PUBLISHED, d1, None)]
    d2 = rng.choice(later)
    if roll < 0.7:
        return [(Status.AMENDED, d1, d2 - timedelta(days=1)), (Status.PUBLISHED, d2, None)]
    if roll < 0.75:
        even_later = [d for d in days if d > d2 + timedelta(days=45)]
        if even_later:
            d3 = rng.choice(even_later)
            return [
                (Status.AMENDED, d1, d2 - timedelta(days=1)),
                (Status.AMENDED, d2, d3 - timedelta(days=1)),
                (Status.PUBLISHED, d3, None),
            ]
        return [(Status.AMENDED, d1, d2 - timedelta(days=1)), (Status.PUBLISHED, d2, None)]
    if roll < 0.8:
        return [(Status.ABOLISHED, d1, d2 - timedelta(days=1))]
    return [(Status.PUBLISHED, d1, None), (rng.choice(IN_PROGRESS), None, None)]


def _components(rng, v: ProcedureVersion) -> list:
    rows = []
    n_steps = rng.randint(3, 5)
    for order, (actor, action) in enumerate(vocab.STEPS[:n_steps], start=1):
        rows.append(
            Step(version=v, order=order, actor=actor, action=action, duration=f"{rng.randint(1, 5)} ngày làm việc")
        )
    for order, name in enumerate(rng.sample(vocab.DOSSIER_ITEMS, rng.randint(2, 4)), start=1):
        rows.append(
            DossierItem(
                version=v,
                order=order,
                name=name,
                originals=1,
                copies=rng.randint(0, 2),
                obtainable_from_data=rng.random() < 0.2,
            )
        )
    for order, (number, title, issuer) in enumerate(rng.sample(vocab.LEGAL_BASES, rng.randint(1, 2)), start=1):
        rows.append(LegalBasis(version=v, order=order, number=number, title=title, issuer=issuer))
    if rng.random() < 0.6:
        rows.append(ProcedureForm(version=v, order=1, name=rng.choice(vocab.FORMS)))
    return rows


def _decisions(ctx, rng, tree, versions: list[ProcedureVersion]) -> None:
    """One applied decision of the provincial People's Committee per department (the communes together) and
    effective day: items NEW for first versions, AMENDED for later ones (ending the item that published the
    version before), ABOLISHED for abolished versions (ending the item that published them)."""
    province = tree.province
    department_of = {u.pk: d for d in tree.departments for u in [d, *tree.divisions[d.pk]]}
    events: dict[tuple[int, date], list[tuple[ProcedureVersion, str, ProcedureVersion | None]]] = {}
    previous = {}
    for v in versions:
        owner = v.procedure.owner
        group = department_of.get(owner.pk, tree.office).pk
        if v.effective_from is not None:
            change = Change.NEW if v.number == 1 else Change.AMENDED
            events.setdefault((group, v.effective_from), []).append((v, change, previous.get(v.procedure_id)))
        if v.status == Status.ABOLISHED:
            events.setdefault((group, v.effective_to + timedelta(days=1)), []).append((v, Change.ABOLISHED, v))
        previous[v.procedure_id] = v
    names = {d.pk: d.name for d in tree.departments} | {tree.office.pk: "Ủy ban nhân dân cấp xã"}
    decisions, items, ends = [], [], []
    for n, ((group, day), rows) in enumerate(sorted(events.items(), key=lambda e: (e[0][1], e[0][0])), start=1):
        signed = day - timedelta(days=rng.randint(5, 20))
        at = datetime.combine(signed, time(9), tzinfo=UTC)
        decision = PublicationDecision(
            number=f"{n}/QĐ-UBND",
            title=f"Quyết định công bố danh mục thủ tục hành chính nội bộ thuộc phạm vi quản lý của {names[group]}",
            issuer=province,
            signed_on=signed,
            signer=person_name(rng),
            signer_title="CHỦ TỊCH" if rng.random() < 0.4 else "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH",
            effective_on=day,
            status=DecisionStatus.APPLIED,
            issued_at=at,
            applied_at=datetime.combine(day, time(0, 5), tzinfo=UTC),
            row_version=1,
        )
        decisions.append(decision)
        for order, (v, change, ended) in enumerate(rows, start=1):
            items.append((decision, DecisionItem(decision=decision, order=order, version=v, change=change), ended))
    PublicationDecision.objects.bulk_create(decisions, batch_size=2000)
    for decision, item, _ in items:
        item.decision_id = decision.pk
    DecisionItem.objects.bulk_create([i for _, i, _ in items], batch_size=5000)
    publishing_item = {}
    for _, item, ended in items:
        if ended is not None and ended.pk in publishing_item:
            ends.append(
                DecisionItem.ends.through(from_decisionitem_id=item.pk, to_decisionitem_id=publishing_item[ended.pk])
            )
        if item.change != Change.ABOLISHED:
            publishing_item[item.version.pk] = item.pk
    DecisionItem.ends.through.objects.bulk_create(ends, batch_size=5000)
    ctx.count("publication decisions", len(decisions))
    ctx.count("decision items", len(items))
