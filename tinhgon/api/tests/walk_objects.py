"""The objects the permission walk requests: one of each model in each place (tinhgon/api/tests/walk.py PLACES),
named with a marker so that any answer showing one the persona may not see is caught."""

from django.core.files.base import ContentFile

from tinhgon.accounts.models import Membership, Role, User
from tinhgon.api.tests import walk
from tinhgon.api.tests.walk import builder
from tinhgon.core.dates import today
from tinhgon.procedures.constants import Change, DecisionStatus, Status
from tinhgon.procedures.models import ProcedureForm, PublicationDecision
from tinhgon.procedures.services import decision_add_item, decision_issue
from tinhgon.procedures.tests.factories import complete_components, make_procedure
from tinhgon.test import DECISION_GROUNDS

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def named(label: str, place: str, text: str) -> str:
    return f"{text} {walk.marker(label, place)}"


@builder("organisations.Organisation")
def unit(world, unit, place, objects):
    return unit


@builder("accounts.User")
def person(world, unit, place, objects):
    user = User.objects.create_user(f"walk-person-{place}", full_name=named("accounts.User", place, "Cán bộ"))
    Membership.objects.create(user=user, organisation=unit, role=Role.OFFICER)
    objects.mark(walk.marker("accounts.User", place), "accounts.User", user)
    return user


@builder("accounts.Membership")
def membership(world, unit, place, objects):
    return User.objects.get(username=f"walk-person-{place}").memberships.get()


@builder("procedures.Procedure")
def procedure(world, unit, place, objects):
    components = complete_components(named("procedures.Procedure", place, "Thủ tục dự thảo"))
    draft = make_procedure(unit, components=components, code=f"WALK-{place}")
    objects.mark(walk.marker("procedures.Procedure", place), "procedures.Procedure", draft)
    return draft


@builder("procedures.ProcedureForm")
def form(world, unit, place, objects):
    version = procedure_of(place).latest_version()
    form = ProcedureForm(version=version, name=named("procedures.ProcedureForm", place, "Mẫu"), order=1)
    form.file.save("mau.pdf", ContentFile(PDF), save=False)
    form.save()
    objects.mark(walk.marker("procedures.ProcedureForm", place), "procedures.ProcedureForm", form)
    return form


@builder("procedures.PublicationDecision")
def draft_decision(world, unit, place, objects):
    """A draft decision of the place holding its own checked procedure; the parent's also holds the sibling's,
    which a P-A persona who sees the decision through their own procedure must not read."""
    decision = PublicationDecision.objects.create(
        number=f"1/QĐ-WALK-{place}",
        issuer=unit,
        signed_on=today(),
        signer="Nguyễn Văn A",
        effective_on=today(),
        **DECISION_GROUNDS,
    )
    holders = [unit] if place != "parent" else [world.units["P-A"], world.units["P-B"]]
    for n, holder in enumerate(holders):
        token = f"WALKCHECKED{place.upper()}{n}"
        checked = make_procedure(
            holder,
            status=Status.CHECKED,
            code=f"WALK-CHECKED-{place}-{n}",
            components=complete_components(f"Thủ tục chờ công bố {token}"),
        )
        objects.mark(token, "procedures.Procedure", checked)
        decision_add_item(decision=decision, version=checked.latest_version(), change=Change.NEW)
    return decision


@builder("procedures.Field")
def catalogue_field(world, unit, place, objects):
    """The catalogue is shared: every place gets a field, seen by everyone, changed only by whom fields.manage
    allows (a focal point or administrator of a top unit; the walk's personas act for P-A, so only superusers)."""
    from tinhgon.procedures.models import Field

    return Field.objects.create(code=f"walk-{place}", name=f"Lĩnh vực {place}")


@builder("portal.PublicProcedure")
def public_procedure(world, unit, place, objects):
    published = make_procedure(
        unit,
        status=Status.CHECKED,
        code=f"WALK-PUBLIC-{place}",
        components=complete_components(f"Thủ tục công khai {place}"),
    )
    decision = PublicationDecision.objects.create(
        number=f"2/QĐ-WALK-{place}",
        issuer=unit,
        signed_on=today(),
        signer="Nguyễn Văn A",
        effective_on=today(),
        **DECISION_GROUNDS,
    )
    decision_add_item(decision=decision, version=published.latest_version(), change=Change.NEW)
    decision_issue(decision=decision)
    return published


@builder("portal.PublicDecision")
def applied_decision(world, unit, place, objects):
    """The issued decision of public_procedure, with its signed original (public record, like the decision)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tinhgon.audit.originals import attach_original

    decision = PublicationDecision.objects.get(number=f"2/QĐ-WALK-{place}")
    return attach_original(decision, SimpleUploadedFile("ban-goc.pdf", PDF, content_type="application/pdf"))


def procedure_of(place: str):
    from tinhgon.procedures.models import Procedure

    return Procedure.objects.get(code=f"WALK-{place}")


def build_objects(world) -> walk.Objects:
    """Every model in every place. Organisations carry no marker: a visible plan names its issuer, a visible review
    its procedure's owner, by design."""
    objects = walk.Objects()
    for label, build in walk.BUILDERS.items():
        for place, code in walk.PLACES.items():
            objects.add(label, place, build(world, world.units[code], place, objects))
    return objects


def is_public_procedure(policy, procedure) -> bool:
    return procedure.versions.filter(is_public=True).exists()


def is_public_decision(policy, decision) -> bool:
    return decision.status != DecisionStatus.DRAFT


SPECIAL = {"portal.PublicProcedure": is_public_procedure, "portal.PublicDecision": is_public_decision}


def visible_of(label: str):
    return SPECIAL.get(label) or walk.default_visible(label)


# Reviews: a round of each place reviewing its published procedure, with its sheet and proposal, an approval
# decision drafted by the place, an implementation item it owns and its own parameter set.


@builder("reviews.ReviewRound")
def review_round(world, unit, place, objects):
    from tinhgon.reviews import services

    title = named("reviews.ReviewRound", place, "Kế hoạch rà soát")
    found = services.round_create(organisation=unit, title=title, year=2026)
    objects.mark(walk.marker("reviews.ReviewRound", place), "reviews.ReviewRound", found)
    return found


@builder("reviews.Review")
def review(world, unit, place, objects):
    from tinhgon.procedures.models import Procedure
    from tinhgon.reviews import services
    from tinhgon.reviews.models import ReviewRound

    round_ = ReviewRound.objects.get(title=named("reviews.ReviewRound", place, "Kế hoạch rà soát"))
    procedure = Procedure.objects.get(code=f"WALK-PUBLIC-{place}")
    return services.round_add_procedure(round=round_, procedure=procedure)


@builder("reviews.CostParameterSet")
def cost_parameters(world, unit, place, objects):
    from tinhgon.reviews.tests.factories import parameters

    found = parameters(organisation=unit, name=named("reviews.CostParameterSet", place, "Tham số"))
    objects.mark(walk.marker("reviews.CostParameterSet", place), "reviews.CostParameterSet", found)
    return found


@builder("reviews.Milestone")
def milestone(world, unit, place, objects):
    from datetime import date

    from tinhgon.reviews.models import Milestone

    source = named("reviews.Milestone", place, "Kế hoạch của đơn vị")
    found = Milestone.objects.create(
        organisation=unit, metric="published_pct", target=100, due_on=date(2023, 4, 1), source=source
    )
    objects.mark(walk.marker("reviews.Milestone", place), "reviews.Milestone", found)
    return found


@builder("reviews.CostSheet")
def cost_sheet(world, unit, place, objects):
    from tinhgon.reviews import services
    from tinhgon.reviews.constants import Scenario
    from tinhgon.reviews.tests.factories import WORKED_BEFORE

    found = review_of(place)
    return services.sheet_save(
        procedure=found.procedure,
        scenario=Scenario.CURRENT,
        rows=WORKED_BEFORE,
        parameters=objects.by_model["reviews.CostParameterSet"][place],
        review=found,
    )


@builder("reviews.Proposal")
def proposal(world, unit, place, objects):
    from tinhgon.reviews import services
    from tinhgon.reviews.constants import Action

    return services.proposal_save(review=review_of(place), action=Action.KEEP)


@builder("reviews.ApprovalDecision")
def approval(world, unit, place, objects):
    from tinhgon.reviews.models import ApprovalDecision

    title = named("reviews.ApprovalDecision", place, "Phê duyệt phương án")
    found = ApprovalDecision.objects.create(number=f"3/QĐ-WALK-{place}", title=title, issuer=unit, signer="A")
    objects.mark(walk.marker("reviews.ApprovalDecision", place), "reviews.ApprovalDecision", found)
    return found


@builder("reviews.ImplementationItem")
def implementation(world, unit, place, objects):
    from tinhgon.reviews.models import ImplementationItem

    act = named("reviews.ImplementationItem", place, "Văn bản sửa đổi")
    found = ImplementationItem.objects.create(proposal=review_of(place).proposal, act=act, owner=unit)
    objects.mark(walk.marker("reviews.ImplementationItem", place), "reviews.ImplementationItem", found)
    return found


def review_of(place: str):
    from tinhgon.reviews.models import Review

    return Review.objects.get(procedure__code=f"WALK-PUBLIC-{place}")


# Reports: a yearly report of each place; generated files of the personas' own (own) and of someone else.


@builder("reports.Report")
def report(world, unit, place, objects):
    from tinhgon.reports import services
    from tinhgon.reports.periods import Kind

    found = services.report_create(organisation=unit, kind=Kind.ANNUAL, year=2026)
    found = services.report_write(report=found, results=named("reports.Report", place, "Kết quả"))
    objects.mark(walk.marker("reports.Report", place), "reports.Report", found)
    return found


# Plans: a plan of each place with a task led by the place. In the parent's plan the task is executed by the
# sibling P-B, and its assignment is P-B's part of P's plan: a P-A persona sees the plan, not P-B's report.


@builder("plans.Plan")
def plan(world, unit, place, objects):
    from tinhgon.plans.tests import factories

    found = factories.plan(unit, title=named("plans.Plan", place, "Kế hoạch CCHC"), number=f"{place}/KH")
    objects.mark(walk.marker("plans.Plan", place), "plans.Plan", found)
    return found


@builder("plans.PlanAttachment")
def plan_attachment(world, unit, place, objects):
    from tinhgon.plans import services

    return services.attachment_add(
        plan=objects.by_model["plans.Plan"][place], title="Tài liệu", file=ContentFile(PDF, name="tai-lieu.pdf")
    )


@builder("plans.Task")
def task(world, unit, place, objects):
    from tinhgon.plans.tests import factories

    executing = [world.units["P-B"]] if place == "parent" else []
    return factories.task(
        objects.by_model["plans.Plan"][place], unit, title=named("plans.Task", place, "Nhiệm vụ"), executing=executing
    )


@builder("plans.Assignment")
def assignment(world, unit, place, objects):
    from tinhgon.plans import services

    task = objects.by_model["plans.Task"][place]
    part = task.assignments.get(organisation=world.units["P-B"] if place == "parent" else unit)
    part = services.assignment_report(assignment=part, progress=40, report=named("plans.Assignment", place, "Đã làm"))
    objects.mark(walk.marker("plans.Assignment", place), "plans.Assignment", part)
    return part


@builder("plans.Evidence")
def evidence(world, unit, place, objects):
    from tinhgon.plans import services

    title = named("plans.Evidence", place, "Minh chứng")
    found = services.evidence_add(
        assignment=objects.by_model["plans.Assignment"][place], title=title, file=ContentFile(PDF, name="mc.pdf")
    )
    objects.mark(walk.marker("plans.Evidence", place), "plans.Evidence", found)
    return found


@builder("plans.ExtensionRequest")
def extension(world, unit, place, objects):
    from datetime import date

    from tinhgon.plans import services

    return services.extension_request(
        assignment=objects.by_model["plans.Assignment"][place],
        new_due_on=date(2026, 12, 30),
        reason="Cần thêm thời gian",
    )


@builder("plans.Indicator")
def indicator(world, unit, place, objects):
    from tinhgon.plans.models import Indicator

    found = Indicator.objects.create(name=named("plans.Indicator", place, "Chỉ tiêu"), target=95, organisation=unit)
    objects.mark(walk.marker("plans.Indicator", place), "plans.Indicator", found)
    return found


@builder("plans.IndicatorValue")
def indicator_value(world, unit, place, objects):
    from datetime import date

    from tinhgon.plans.models import IndicatorValue

    found = IndicatorValue(
        indicator=objects.by_model["plans.Indicator"][place],
        period_start=date(2026, 1, 1),
        period_end=date(2026, 12, 31),
        period_label="năm 2026",
        value=90,
    )
    found.evidence.save("so-lieu.pdf", ContentFile(PDF), save=False)
    found.save()
    return found


@builder("plans.Scorecard")
def scorecard(world, unit, place, objects):
    from tinhgon.plans.models import Scorecard

    found = Scorecard.objects.create(organisation=unit, year=2026, title=named("plans.Scorecard", place, "Chỉ số"))
    objects.mark(walk.marker("plans.Scorecard", place), "plans.Scorecard", found)
    return found


@builder("notifications.Notification")
def notification(world, unit, place, objects):
    """The own place's is the P-A officer persona's, the others belong to the place's person: a notification is its
    recipient's alone."""
    from tinhgon.notifications.models import Notification

    name = "walk-officer" if place == "own" else f"walk-person-{place}"
    recipient = User.objects.filter(username=name).first() or User.objects.create_user(name)
    found = Notification.objects.create(
        recipient=recipient,
        kind="reports.report.returned",
        verb="trả lại báo cáo định kỳ",
        title=named("notifications.Notification", place, "Báo cáo quý"),
        url="/bao-cao/",
        organisation=unit,
    )
    objects.mark(walk.marker("notifications.Notification", place), "notifications.Notification", found)
    return found


# Quality: each place's announcement, a process it owns, an internal audit of it with one finding past its due date,
# and a month of QĐ 766 scores entered (not published) with its evidence.


@builder("quality.ConformityAnnouncement")
def announcement(world, unit, place, objects):
    from tinhgon.quality.models import ConformityAnnouncement

    found = ConformityAnnouncement.objects.create(
        organisation=unit,
        number=f"{place}/QĐ-ISO",
        signed_on=today(),
        signer="Giám đốc",
        scope=named("quality.ConformityAnnouncement", place, "Phạm vi"),
    )
    objects.mark(walk.marker("quality.ConformityAnnouncement", place), "quality.ConformityAnnouncement", found)
    return found


@builder("quality.QualityProcess")
def quality_process(world, unit, place, objects):
    from tinhgon.quality import services
    from tinhgon.quality.models import QualityProcess

    found = services.process_save(
        process=QualityProcess(
            organisation=unit,
            code="QT-01",
            name=named("quality.QualityProcess", place, "Quy trình"),
            effective_on=today(),
            announcement=objects.by_model["quality.ConformityAnnouncement"][place],
        )
    )
    objects.mark(walk.marker("quality.QualityProcess", place), "quality.QualityProcess", found)
    return found


@builder("quality.InternalAudit")
def internal_audit(world, unit, place, objects):
    from tinhgon.quality import services
    from tinhgon.quality.models import InternalAudit

    found = services.internal_audit_save(
        internal_audit=InternalAudit(
            organisation=unit,
            title=named("quality.InternalAudit", place, "Đánh giá nội bộ"),
            conducted_on=today(),
            auditors="Trưởng đoàn",
        ),
        processes=[objects.by_model["quality.QualityProcess"][place]],
    )
    objects.mark(walk.marker("quality.InternalAudit", place), "quality.InternalAudit", found)
    return found


@builder("quality.AuditFinding")
def audit_finding(world, unit, place, objects):
    from datetime import timedelta

    from tinhgon.quality import services
    from tinhgon.quality.constants import FindingCategory
    from tinhgon.quality.models import AuditFinding

    found = services.finding_save(
        finding=AuditFinding(
            audit=objects.by_model["quality.InternalAudit"][place],
            process=objects.by_model["quality.QualityProcess"][place],
            category=FindingCategory.MINOR,
            description=named("quality.AuditFinding", place, "Thiếu hồ sơ"),
            due_on=today() - timedelta(days=1),
        )
    )
    objects.mark(walk.marker("quality.AuditFinding", place), "quality.AuditFinding", found)
    return found


@builder("quality.ServiceIndexScore")
def service_index_score(world, unit, place, objects):
    from decimal import Decimal

    from tinhgon.quality import services
    from tinhgon.quality.models import ServiceIndexScore

    components = services.active_components()
    found = services.score_save(
        score=ServiceIndexScore(
            organisation=unit, month=today(), note=named("quality.ServiceIndexScore", place, "Giải trình")
        ),
        points={c: Decimal(10) for c in components},
        evidence=ContentFile(PDF, name="minh-chung.pdf"),
    )
    objects.mark(walk.marker("quality.ServiceIndexScore", place), "quality.ServiceIndexScore", found)
    return found
