"""The field catalogue pages (/thu-tuc/linh-vuc/): the tree with the number of procedures in each field, each field's
history, and the forms that change it (rule `fields.manage`, procedures/fields.py says who and why)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from tinhgon.core.visibility import get_visible, require_somewhere
from tinhgon.procedures import fields as catalogue
from tinhgon.procedures.forms import FieldCreateForm, FieldMergeForm, FieldMoveForm, FieldRenameForm
from tinhgon.procedures.models import MANAGE_FIELDS, Field, FieldChange, ProcedureVersion

VIEW = "procedures.view"


def tree_rows(fields: list[Field], counts: dict[int, int]) -> list[tuple[Field, int, int]]:
    """(field, depth, procedures) in tree order: each field followed by its children, by name."""
    children: dict[int | None, list[Field]] = {}
    for f in fields:
        children.setdefault(f.parent_id, []).append(f)
    rows, todo = [], [(f, 0) for f in reversed(children.get(None, []))]
    while todo:
        f, depth = todo.pop()
        rows.append((f, depth, counts.get(f.pk, 0)))
        todo += [(c, depth + 1) for c in reversed(children.get(f.pk, []))]
    return rows


def _apply(form, change) -> bool:
    """Run a catalogue service; its refusal goes on the form, which keeps what was typed."""
    try:
        change()
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            for name, errors in error.message_dict.items():
                form.add_error(name if name in form.fields else None, errors)
        else:
            form.add_error(None, error.messages)
        return False
    return True


def _changed(form) -> dict:
    data = form.cleaned_data
    return {"on": data.get("on") or None, "note": data.get("note", ""), "row_version": data.get("row_version")}


@login_required
def field_list(request):
    require_somewhere(request.policy, VIEW)
    fields = list(Field.objects.select_related("merged_into"))
    counts = ProcedureVersion.objects.registry(request.policy).count_by_field()
    context = {"rows": tree_rows(fields, counts), "manage": request.policy.can_anywhere(MANAGE_FIELDS)}
    return render(request, "procedures/field_list.html", context)


@login_required
def field_create(request):
    require_somewhere(request.policy, MANAGE_FIELDS)
    form = FieldCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if _apply(
            form,
            lambda: catalogue.field_create(
                name=data["name"],
                code=data["code"],
                parent=data["parent"],
                by=request.user,
                on=data["on"],
                note=data["note"],
            ),
        ):
            messages.success(request, f"Đã thêm lĩnh vực “{data['name']}”.")
            return redirect("procedures:fields")
    return render(request, "procedures/field_form.html", {"form": form, "title": "Thêm lĩnh vực"})


def _detail(request, field, **forms):
    manage = field.permits(request.policy, MANAGE_FIELDS)
    context = {
        "field": field,
        "ancestors": field.ancestors(),
        "children": field.children.order_by("name"),
        "history": FieldChange.objects.filter(field=field).select_related("by", "old_parent", "new_parent", "into"),
        "merged_here": FieldChange.objects.filter(into=field).select_related("field", "by"),
        "procedures": ProcedureVersion.objects.registry(request.policy).filter(field=field).count(),
        "manage": manage and field.is_active,
        "reactivate": manage and not field.is_active and not field.merged_into_id,
        "rename_form": forms.get("rename") or FieldRenameForm(field=field, initial={"name": field.name}),
        "move_form": forms.get("move") or FieldMoveForm(field=field, initial={"parent": field.parent_id}),
    }
    return render(request, "procedures/field_detail.html", context, status=400 if forms else 200)


@login_required
def field_detail(request, pk):
    require_somewhere(request.policy, VIEW)
    return _detail(request, get_visible(request.policy, Field.objects.select_related("merged_into"), pk=pk))


@login_required
@require_POST
def field_rename(request, pk):
    field = get_visible(request.policy, Field.objects, action=MANAGE_FIELDS, pk=pk)
    form = FieldRenameForm(request.POST, field=field)
    if form.is_valid() and _apply(
        form,
        lambda: catalogue.field_rename(field=field, name=form.cleaned_data["name"], by=request.user, **_changed(form)),
    ):
        messages.success(request, f"Đã đổi tên lĩnh vực thành “{form.cleaned_data['name']}”; tên cũ vẫn được nhận.")
        return redirect("procedures:field", pk=field.pk)
    return _detail(request, field, rename=form)


@login_required
@require_POST
def field_move(request, pk):
    field = get_visible(request.policy, Field.objects, action=MANAGE_FIELDS, pk=pk)
    form = FieldMoveForm(request.POST, field=field)
    if form.is_valid() and _apply(
        form,
        lambda: catalogue.field_move(
            field=field, parent=form.cleaned_data["parent"], by=request.user, **_changed(form)
        ),
    ):
        messages.success(request, "Đã chuyển nhóm lĩnh vực.")
        return redirect("procedures:field", pk=field.pk)
    return _detail(request, field, move=form)


@login_required
def field_merge(request, pk):
    """Two steps: the chosen target, then a confirmation that says how many procedure versions move."""
    field = get_visible(request.policy, Field.objects, action=MANAGE_FIELDS, pk=pk)
    form = FieldMergeForm(request.POST or None, field=field)
    context = {"field": field, "form": form}
    if request.method == "POST" and form.is_valid():
        target = form.cleaned_data["target"]
        problems = catalogue.merge_problems(field, target)
        if problems:
            form.add_error("target", problems)
        elif not form.cleaned_data["confirmed"]:
            context["confirm"] = {"target": target, **_moving(field)}
        elif _apply(
            form, lambda: catalogue.field_merge(source=field, target=target, by=request.user, **_changed(form))
        ):
            messages.success(request, f"Đã hợp nhất “{field.name}” vào “{target.name}”.")
            return redirect("procedures:field", pk=target.pk)
    return render(request, "procedures/field_merge.html", context)


def _moving(field: Field) -> dict:
    """What a merge of `field` moves, across every unit (the catalogue is shared)."""
    versions = ProcedureVersion.objects.filter(field=field)
    return {
        "versions": versions.count(),
        "procedures": versions.values("procedure").distinct().count(),
        "children": field.children.count(),
    }


@login_required
@require_POST
def field_state(request, pk):
    """Stop using an active field, or use again a deactivated one."""
    field = get_visible(request.policy, Field.objects, action=MANAGE_FIELDS, pk=pk)
    change = catalogue.field_deactivate if field.is_active else catalogue.field_reactivate
    started = request.POST.get("row_version", "")
    try:
        change(field=field, by=request.user, row_version=int(started) if started.isdigit() else None)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Đã cập nhật trạng thái sử dụng của lĩnh vực.")
    return redirect("procedures:field", pk=field.pk)
