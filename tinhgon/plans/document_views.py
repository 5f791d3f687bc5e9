"""Enter a plan's tasks from its document (Word, PDF or pasted text): upload, review every task beside the text it
was read from, confirm once. Nothing is saved before the confirmation; the saving is the Excel task import's
(plans/document_import.py). Only managers of the plan's issuer reach these pages (the Excel import's rule)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse

from tinhgon.core.models import ALREADY_CLAIMED, StagedFile
from tinhgon.core.visibility import get_visible
from tinhgon.plans import document_import, extraction
from tinhgon.plans.forms import UNITS_ID, DocumentSourceForm, TaskReviewFormSet, unit_choices
from tinhgon.plans.models import Plan

MANAGE = "plans.manage"
GONE = "Phiên nhập đã hết hạn hoặc đã được xác nhận. Hãy tải văn bản lên lại nếu cần."


def _plan(request, pk) -> Plan:
    """The plan, if the user may manage it (as for the Excel import): 404 unseen, 403 seen but not managed."""
    return get_visible(request.policy, Plan.objects.select_related("issuer"), action=MANAGE, pk=pk)


@login_required
def document_upload(request, pk):
    """GET: the form; POST: read the document (a refused one: the form again, with why) and stage it."""
    plan = _plan(request, pk)
    form = DocumentSourceForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload, text = form.cleaned_data["file"], form.cleaned_data["text"]
        try:
            document_import.read_source(upload=upload, text=text)
        except extraction.DocumentRefused as refused:
            form.add_error("file" if upload else "text", str(refused))
        else:
            staged = document_import.stage(plan=plan, user=request.user, upload=upload, text=text)
            return redirect(f"{reverse('plans:document-review', args=[plan.pk])}?token={staged.token}")
    context = {"plan": plan, "form": form}
    return render(request, "plans/document_import.html", context)


@login_required
def document_review(request, pk):
    """GET: the tasks found, each beside its text; POST: check them and, when valid, save them once."""
    plan = _plan(request, pk)
    token = request.POST.get("token") if request.method == "POST" else request.GET.get("token", "")
    staged = document_import.staged_source(token, plan=plan, user=request.user)
    if staged is None:  # confirmed already (a double click, another tab), abandoned, or another user's
        messages.error(request, GONE)
        return redirect("plans:plan", pk=plan.pk)
    result, parents = document_import.extract(staged, plan)
    units = unit_choices(document_import.province_units(plan))
    formset = _formset(request, plan, result, parents, units)
    problems = []
    if request.method == "POST" and formset.is_valid():
        rows = _reviewed(formset, plan, result)
        checked, where = document_import.save(rows, plan=plan, by=request.user, dry_run=True)
        problems = _show_errors(formset, checked, where)
        if not problems and not any(formset.errors):
            return _confirm(request, plan, staged, rows)
    context = {
        "plan": plan,
        "token": staged.token,
        "result": result,
        "tasks": [_task_view(result, t, f) for t, f in zip(result.tasks, formset.forms, strict=True)],
        "formset": formset,
        "problems": problems,
        "units": units,  # once for every picker of the page (SharedOptionsSelect)
        "units_id": UNITS_ID,
    }
    return render(request, "plans/document_review.html", context)


def _formset(request, plan: Plan, result, parents, units):
    parent_tasks = list(plan.parent_plan.tasks.all()) if plan.parent_plan_id else None
    kwargs = {"units": units, "parent_tasks": parent_tasks}
    if request.method == "POST":
        formset = TaskReviewFormSet(request.POST, form_kwargs=kwargs)
        if formset.is_bound and formset.total_form_count() != len(result.tasks):
            # a form of another reading of the document (it cannot change: a forged count)
            formset = TaskReviewFormSet(initial=document_import.initial(result, parents, plan), form_kwargs=kwargs)
        return formset
    return TaskReviewFormSet(initial=document_import.initial(result, parents, plan), form_kwargs=kwargs)


def _reviewed(formset, plan: Plan, result) -> list[document_import.Reviewed]:
    included = formset.included()
    codes = {c for _, d in included for c in [d["lead"], *d["coordinating"], *d["executing"]]}
    # the units the pickers offered (the form refused any other code): the province's, by the same rule
    units = {u.code: u for u in document_import.province_units(plan).filter(code__in=codes)}
    parents = {str(t.pk): t for t in plan.parent_plan.tasks.all()} if plan.parent_plan_id else {}
    return [
        document_import.Reviewed(
            index=i,
            code=d["code"],
            title=d["title"],
            lead=units[d["lead"]],
            coordinating=[units[c] for c in d["coordinating"]],
            executing=[units[c] for c in d["executing"]],
            executing_rule=d["executing_rule"],
            deadline=d["deadline"],
            recurrence=d["recurrence"],
            product=d["product"],
            implements=parents.get(d.get("implements") or ""),
            heading=result.tasks[i].heading,
        )
        for i, d in included
    ]


def _show_errors(formset, checked, where) -> list[str]:
    """Put the import's messages on the fields of the tasks they are about; the others are returned."""
    problems = []
    for error in checked.errors:
        index = where.get(error.row)
        field = document_import.FIELD_OF_HEADER.get(error.header)
        if index is None:
            problems.append(error.message)
        else:
            form = formset.forms[index]
            form.add_error(field if field in form.fields else None, error.message)
    return problems


def _confirm(request, plan: Plan, staged: StagedFile, rows):
    """Save the rows once: the staged source is claimed first, so a double click or a second tab saves nothing."""
    claimed = StagedFile.objects.claim(staged.token, user=request.user, purpose=document_import.PURPOSE, target=plan.pk)
    if claimed is None:
        messages.error(request, ALREADY_CLAIMED)
        return redirect("plans:plan", pk=plan.pk)
    claimed.discard()
    saved, _ = document_import.save(rows, plan=plan, by=request.user)
    if not saved.ok:  # the plan changed between the check and the confirmation: nothing was saved
        messages.error(request, "Chưa nhập được: " + " ".join(str(e) for e in saved.errors))
        return redirect("plans:document-import", pk=plan.pk)
    messages.success(request, f"Đã nhập {saved.created} nhiệm vụ từ văn bản vào kế hoạch {plan}.")
    return redirect("plans:plan", pk=plan.pk)


def _task_view(result, task, form) -> dict:
    return {"task": task, "form": form, "excerpt": document_import.excerpt(result, task), "unmatched": task.unmatched}
