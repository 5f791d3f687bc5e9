"""The register of an agency's ISO 9001 processes (/chat-luong/): the list for the units the user may see, with the
processes whose review date has come and those with findings still open flagged; a process with its editions,
findings and history; the decisions announcing conformity; internal audits and their findings. The QĐ 766 index
is in index_views.py, its public page in public_views.py.

Every page finds its object with core.visibility.get_visible over the model's rule: 404 outside it, 403 when seen
but not the user's to change. A finding's page names its audit (title and date) to the process owner who corrects
it, who may not see the audit's other findings."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from tinhgon.audit.display import describe
from tinhgon.audit.models import AuditLogEntry
from tinhgon.core.dates import today
from tinhgon.core.files import download
from tinhgon.core.paging import PAGE, query_without_page
from tinhgon.core.visibility import get_visible, require_somewhere
from tinhgon.organisations.models import Organisation
from tinhgon.procedures.models import Procedure
from tinhgon.quality import services, workbook
from tinhgon.quality.constants import ProcessStatus
from tinhgon.quality.filters import ProcessFilter, with_findings
from tinhgon.quality.forms import (
    AbolishForm,
    AnnouncementForm,
    CorrectionForm,
    FindingForm,
    InternalAuditForm,
    ProcessForm,
    procedures_with_names,
    show_error,
)
from tinhgon.quality.models import (
    ENTER,
    MANAGE,
    VIEW,
    AuditFinding,
    ConformityAnnouncement,
    InternalAudit,
    QualityProcess,
)

PER_PAGE = 50


def _acting_unit(request, allowed):
    """The unit the user acts for, when it is among `allowed` (the initial choice of a unit picker)."""
    membership = request.acting_membership
    if membership is not None and allowed.filter(pk=membership.organisation_id).exists():
        return membership.organisation
    return None


def history_of(request, unit, model, ids) -> list | None:
    """The audit trail of the records `ids` of `model`, for who may read the trail of `unit` (None otherwise)."""
    if not request.policy.allows("audit.view", unit):
        return None
    entries = AuditLogEntry.objects.for_objects(model, ids)
    return describe(entries.select_related("organisation", "content_type")[:100])


# The register -----------------------------------------------------------------------------------------------------


def _register(request):
    """The processes the user may see, narrowed by the list's filters (in force unless a status is chosen)."""
    data = request.GET.copy()
    if "status" not in data:
        data["status"] = ProcessStatus.IN_FORCE
    visible = with_findings(QualityProcess.objects.visible_to(request.policy)).select_related(
        "organisation", "announcement"
    )
    filters = ProcessFilter(data, queryset=visible)
    found = filters.qs if filters.is_valid() else visible.none()
    return filters, found.order_by("code_key", "organisation__name", "-edition", "id")


def _summary(policy, day) -> dict:
    """The register's counts over every process the user may see, in one query."""
    processes = QualityProcess.objects.visible_to(policy)
    in_force = Q(status=ProcessStatus.IN_FORCE)
    counts = processes.aggregate(
        in_force=Count("pk", filter=in_force),
        review_due=Count("pk", filter=in_force & Q(next_review_on__lte=day)),
    )
    findings = (
        AuditFinding.objects.visible_to(policy)
        .open()
        .aggregate(open=Count("pk"), late=Count("pk", filter=Q(due_on__lt=day)))
    )
    return {**counts, "open_findings": findings["open"], "late_findings": findings["late"]}


@login_required
def process_list(request):
    require_somewhere(request.policy, VIEW)
    day = today()
    filters, found = _register(request)
    page = Paginator(found, PER_PAGE).get_page(request.GET.get(PAGE))
    rows = [{"process": p, "review_due": p.review_due_on(day)} for p in page.object_list]
    context = {
        "rows": rows,
        "page": page,
        "filters": filters.form,
        "query": query_without_page(request),
        "summary": _summary(request.policy, day),
        "can_manage": request.policy.can_anywhere(MANAGE),
        "today": day,
    }
    return render(request, "quality/process_list.html", context)


@login_required
def process_export(request):
    """The register as filtered on the page, as an Excel workbook."""
    require_somewhere(request.policy, VIEW)
    _, found = _register(request)
    visible = Procedure.objects.visible_to(request.policy).order_by("code")
    processes = found.prefetch_related(Prefetch("procedures", queryset=visible, to_attr="shown_procedures"))
    response = download(
        workbook.register_xlsx(processes, today()), f"Sổ quy trình ISO 9001 ngày {today():%d-%m-%Y}", "xlsx"
    )
    response["Cache-Control"] = "private, no-store"
    return response


def _process_form(request, data=None, *, instance=None, initial=None, edition_of=None):
    policy = request.policy
    managed = policy.organisations(MANAGE)
    return ProcessForm(
        data,
        instance=instance,
        initial=initial,
        organisations=managed.current().order_by("name"),
        announcements=ConformityAnnouncement.objects.visible_to(policy).filter(organisation__in=managed),
        procedures=Procedure.objects.visible_to(policy),
        edition_of=edition_of,
    )


def _chosen_procedures(request, form, process: QualityProcess | None):
    """The procedures chosen on the form, and those linked before that the user may not see (kept as they are)."""
    chosen = list(form.cleaned_data["procedures"])
    if process is None or process.pk is None:
        return chosen
    hidden = process.procedures.exclude(pk__in=Procedure.objects.visible_to(request.policy).values("pk"))
    return [*chosen, *hidden]


def _save_process(request, form, *, previous=None, started_from=None):
    """Save the form's process (or a new edition of `previous`); the process, or None when the form shows why not."""
    process = form.save(commit=False)
    if previous is None and not process.permits(request.policy, MANAGE):
        raise PermissionDenied  # a unit the user does not manage
    procedures = _chosen_procedures(request, form, previous or process)
    try:
        if previous is not None:
            return services.process_new_edition(
                previous=previous, process=process, procedures=procedures, by=request.user
            )
        return services.process_save(process=process, procedures=procedures, started_from=started_from, by=request.user)
    except ValidationError as error:
        show_error(form, error)
        return None


@login_required
def process_create(request):
    require_somewhere(request.policy, MANAGE)
    day = today()
    initial = {"effective_on": day, "next_review_on": day + timedelta(days=365), "edition": 1}
    form = _process_form(request, request.POST or None, initial=initial)
    unit = _acting_unit(request, form.fields["organisation"].queryset)
    if unit is not None:
        form.fields["organisation"].initial = unit
    if request.method == "POST" and form.is_valid():
        process = _save_process(request, form)
        if process is not None:
            messages.success(request, f"Đã thêm quy trình {process.code} vào sổ quy trình.")
            return redirect("quality:process", pk=process.pk)
    return render(request, "quality/process_form.html", {"form": form, "title": "Thêm quy trình ISO"})


def _processes():
    return QualityProcess.objects.select_related("organisation", "announcement__organisation", "previous")


@login_required
def process_detail(request, pk):
    process = get_visible(request.policy, _processes().select_related("created_by"), pk=pk)
    policy = request.policy
    editions = list(
        QualityProcess.objects.filter(organisation_id=process.organisation_id, code=process.code).order_by("-edition")
    )
    findings = process.findings.select_related("audit").order_by("-audit__conducted_on", "id")
    context = {
        "process": process,
        "editions": editions,
        "findings": findings,
        "audits": process.audits.visible_to(policy).order_by("-conducted_on"),
        "procedures": procedures_with_names(process.procedures.visible_to(policy)),
        "can_manage": process.permits(policy, MANAGE),
        "moves": process.available_transitions(policy),
        "abolish_form": AbolishForm(prefix="abolish"),
        "history": history_of(request, process.organisation, QualityProcess, [e.pk for e in editions]),
        "today": today(),
    }
    return render(request, "quality/process_detail.html", context)


@login_required
def process_edit(request, pk):
    process = get_visible(request.policy, _processes(), action=MANAGE, pk=pk)
    form = _process_form(request, request.POST or None, instance=process)
    if request.method == "POST" and form.is_valid():
        saved = _save_process(request, form, started_from=form.cleaned_data["row_version"])
        if saved is not None:
            messages.success(request, f"Đã lưu quy trình {saved.code}.")
            return redirect("quality:process", pk=pk)
    context = {"form": form, "process": process, "title": f"Sửa quy trình {process.code}"}
    return render(request, "quality/process_form.html", context)


@login_required
def process_new_edition(request, pk):
    """The next edition of a process in force, prefilled from it; saving it supersedes the one in force."""
    previous = get_visible(request.policy, _processes(), action=MANAGE, pk=pk)
    if previous.status != ProcessStatus.IN_FORCE:
        messages.error(request, "Chỉ ban hành lần mới cho quy trình đang áp dụng.")
        return redirect("quality:process", pk=pk)
    day = today()
    initial = {
        "name": previous.name,
        "edition": previous.edition + 1,
        "effective_on": day,
        "next_review_on": day + timedelta(days=365),
        "announcement": previous.announcement_id,
        "scope": previous.scope,
        "procedures": list(previous.procedures.values_list("pk", flat=True)),
    }
    form = _process_form(request, request.POST or None, initial=initial, edition_of=previous)
    if request.method == "POST" and form.is_valid():
        process = _save_process(request, form, previous=previous)
        if process is not None:
            messages.success(request, f"Đã ban hành quy trình {process.code} lần {process.edition}.")
            return redirect("quality:process", pk=process.pk)
    title = f"Ban hành lần mới quy trình {previous.code}"
    return render(request, "quality/process_form.html", {"form": form, "process": previous, "title": title})


@require_POST
@login_required
def process_abolish(request, pk):
    process = get_visible(request.policy, _processes(), action=MANAGE, pk=pk)
    form = AbolishForm(request.POST, prefix="abolish")
    if not form.is_valid():
        messages.error(request, "Cần nêu lý do bãi bỏ quy trình.")
        return redirect("quality:process", pk=pk)
    try:
        process.perform("abolish", request.policy, form.cleaned_data["reason"])
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, f"Đã bãi bỏ quy trình {process.code}.")
    return redirect("quality:process", pk=pk)


# Announcements ----------------------------------------------------------------------------------------------------


def _announcement_form(request, data=None, instance=None):
    organisations = request.policy.organisations(MANAGE).current().order_by("name")
    form = AnnouncementForm(data, instance=instance, organisations=organisations)
    if instance is None:
        form.fields["organisation"].initial = _acting_unit(request, organisations)
    return form


def _save_announcement(request, form, started_from=None):
    announcement = form.save(commit=False)
    if not announcement.permits(request.policy, MANAGE):
        raise PermissionDenied
    try:
        return services.announcement_save(announcement=announcement, started_from=started_from)
    except ValidationError as error:
        show_error(form, error)
        return None


@login_required
def announcement_list(request):
    require_somewhere(request.policy, VIEW)
    policy = request.policy
    form = _announcement_form(request, request.POST or None) if policy.can_anywhere(MANAGE) else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid() and _save_announcement(request, form) is not None:
            messages.success(request, f"Đã ghi quyết định công bố số {form.instance.number}.")
            return redirect("quality:announcements")
    announcements = (
        ConformityAnnouncement.objects.visible_to(policy)
        .select_related("organisation")
        .annotate(n_processes=Count("processes", filter=Q(processes__status=ProcessStatus.IN_FORCE)))
    )
    context = {"announcements": announcements, "form": form}
    return render(request, "quality/announcement_list.html", context)


@login_required
def announcement_edit(request, pk):
    queryset = ConformityAnnouncement.objects.select_related("organisation")
    announcement = get_visible(request.policy, queryset, action=MANAGE, pk=pk)
    form = _announcement_form(request, request.POST or None, instance=announcement)
    submitted = request.method == "POST" and form.is_valid()
    if submitted and _save_announcement(request, form, form.cleaned_data["row_version"]) is not None:
        messages.success(request, f"Đã lưu quyết định công bố số {announcement.number}.")
        return redirect("quality:announcements")
    return render(request, "quality/announcement_form.html", {"form": form, "announcement": announcement})


# Internal audits and findings -------------------------------------------------------------------------------------


def _audit_form(request, data=None, instance=None):
    policy = request.policy
    organisations = policy.organisations(MANAGE).current().order_by("name")
    processes = QualityProcess.objects.visible_to(policy).filter(organisation__in=policy.organisations(MANAGE))
    if instance is None:
        processes = processes.in_force()
    else:
        processes = processes.filter(Q(status=ProcessStatus.IN_FORCE) | Q(audits=instance)).distinct()
    form = InternalAuditForm(data, instance=instance, organisations=organisations, processes=processes)
    if instance is None:
        form.fields["organisation"].initial = _acting_unit(request, organisations)
    return form


def _save_audit(request, form, started_from=None):
    internal_audit = form.save(commit=False)
    if not internal_audit.permits(request.policy, MANAGE):
        raise PermissionDenied
    try:
        return services.internal_audit_save(
            internal_audit=internal_audit,
            processes=form.cleaned_data["processes"],
            started_from=started_from,
            by=request.user,
        )
    except ValidationError as error:
        show_error(form, error)
        return None


@login_required
def audit_list(request):
    require_somewhere(request.policy, VIEW)
    policy = request.policy
    form = _audit_form(request, request.POST or None) if policy.can_anywhere(MANAGE) else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            saved = _save_audit(request, form)
            if saved is not None:
                messages.success(request, f"Đã ghi đợt đánh giá “{saved.title}”. Ghi các điểm phát hiện bên dưới.")
                return redirect("quality:audit", pk=saved.pk)
    day = today()
    audits = (
        InternalAudit.objects.visible_to(policy)
        .select_related("organisation")
        .annotate(
            n_processes=Count("processes", distinct=True),
            n_findings=Count("findings", distinct=True),
            n_open=Count("findings", filter=Q(findings__closed_on__isnull=True), distinct=True),
            n_late=Count(
                "findings", filter=Q(findings__closed_on__isnull=True, findings__due_on__lt=day), distinct=True
            ),
        )
    )
    return render(request, "quality/audit_list.html", {"audits": audits, "form": form})


def _audits():
    return InternalAudit.objects.select_related("organisation", "created_by")


def _finding_processes(internal_audit: InternalAudit, current: int | None = None):
    """The processes a finding of this audit may be about: those it covered, any of the agency's in force, and the
    one it is about already."""
    under = Organisation.objects.ever_under([internal_audit.organisation_id])
    return QualityProcess.objects.filter(
        Q(audits=internal_audit) | Q(organisation__in=under, status=ProcessStatus.IN_FORCE) | Q(pk=current)
    ).distinct()


@login_required
def audit_detail(request, pk):
    internal_audit = get_visible(request.policy, _audits(), pk=pk)
    can_manage = internal_audit.permits(request.policy, MANAGE)
    form = None
    if can_manage:
        form = FindingForm(request.POST or None, processes=_finding_processes(internal_audit), prefix="finding")
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            finding = form.save(commit=False)
            finding.audit = internal_audit
            try:
                services.finding_save(finding=finding)
            except ValidationError as error:
                show_error(form, error)
            else:
                messages.success(request, f"Đã ghi: {finding.get_category_display().lower()}.")
                return redirect("quality:audit", pk=pk)
    day = today()
    findings = internal_audit.findings.select_related("process__organisation").order_by("id")
    context = {
        "audit": internal_audit,
        "processes": internal_audit.processes.select_related("organisation").order_by("code_key"),
        "findings": [{"finding": f, "late": f.is_late(day)} for f in findings],
        "form": form,
        "can_manage": can_manage,
        "history": history_of(request, internal_audit.organisation, InternalAudit, [internal_audit.pk]),
    }
    return render(request, "quality/audit_detail.html", context)


@login_required
def audit_edit(request, pk):
    internal_audit = get_visible(request.policy, _audits(), action=MANAGE, pk=pk)
    form = _audit_form(request, request.POST or None, instance=internal_audit)
    submitted = request.method == "POST" and form.is_valid()
    if submitted and _save_audit(request, form, form.cleaned_data["row_version"]) is not None:
        messages.success(request, "Đã lưu đợt đánh giá.")
        return redirect("quality:audit", pk=pk)
    return render(request, "quality/audit_form.html", {"form": form, "audit": internal_audit})


@login_required
def finding_detail(request, pk):
    """A finding: the audited agency's managers edit all of it, the process owner its corrective action and the day
    it was closed; others read it."""
    queryset = AuditFinding.objects.select_related("audit__organisation", "process__organisation")
    finding = get_visible(request.policy, queryset, pk=pk)
    policy = request.policy
    data = request.POST or None
    if policy.allows(MANAGE, finding.audit.organisation):
        processes = _finding_processes(finding.audit, finding.process_id)
        form = FindingForm(data, instance=finding, processes=processes)
    elif finding.permits(policy, ENTER):
        form = CorrectionForm(data, instance=finding)
    else:
        form = None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.finding_save(finding=form.save(commit=False), started_from=form.cleaned_data["row_version"])
            except ValidationError as error:
                show_error(form, error)
            else:
                messages.success(request, "Đã lưu điểm phát hiện.")
                return redirect("quality:finding", pk=pk)
    context = {
        "finding": finding,
        "form": form,
        "late": finding.is_late(today()),
        "audit_shown": finding.audit.permits(policy, VIEW),
        "history": history_of(request, finding.audit.organisation, AuditFinding, [finding.pk]),
    }
    return render(request, "quality/finding_detail.html", context)
