"""One flow for every spreadsheet import (the procedure registry, a plan's tasks): upload → preview → confirm once.

An app provides an *importer*: an object with
- `purpose` (the StagedFile purpose and the audit code prefix, "procedures.import"), `noun` ("thủ tục"),
  `about` (the record the import concerns, for the audit entry: the owner, the plan);
- `parse(workbook, result)`: reads and validates every row into `result` (rows with their action and their changes
  as before → after, or errors with row and column), writing nothing;
- `write(result, by=…)`: writes the rows of a valid result; raises `RowFailed` for a row the models refuse;
- optionally `lock()`: taken before parsing when the import is confirmed (one import at a time per target).

Here: the file checks (core.uploads.check_workbook, then openpyxl in read-only mode), the transaction (all or
nothing: parsed and written in one, any error rolls back everything), one audit entry for a confirmed import that
changed something (`<purpose>.confirmed` with its counts, written by the audit app on the `confirmed` signal; each
record written is audited by its own model), the
staged file between the preview and the confirmation (core.models.StagedFile, consumed once), and the result the
preview page (templates/core/import_preview.html) shows.
"""

from dataclasses import dataclass, field
from typing import Protocol

from django import forms
from django.contrib import messages
from django.db import transaction
from django.dispatch import Signal

from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from tinhgon.core import workbooks
from tinhgon.core.forms import StyledForm
from tinhgon.core.models import ALREADY_CLAIMED, StagedFile
from tinhgon.core.uploads import UploadRefused, check_workbook, max_upload_bytes

# Sent inside the import's transaction once its rows are written (when something changed), with `purpose`, `about`
# and `counts`; the audit app records it (audit/signals.py), as core stands below audit.
confirmed = Signal()

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SHOWN_ROWS = 500  # rows and errors listed on the preview page; the counts cover all

CREATE, UPDATE, UNCHANGED, SKIPPED = "create", "update", "unchanged", "skipped"
ACTION_LABELS = {CREATE: "tạo mới", UPDATE: "cập nhật", UNCHANGED: "không thay đổi", SKIPPED: "bỏ qua"}


@dataclass
class RowError:
    """One problem found in the file. `row` is None for problems with the file itself, `column` (a letter) is
    empty for problems with a whole row."""

    row: int | None
    message: str
    column: str = ""
    header: str = ""

    def __str__(self) -> str:
        where = f"cột {self.column} ({self.header})" if self.column else ""
        if self.row is None:
            return f"Cột {where[4:]}: {self.message}" if where else self.message
        return f"Dòng {self.row}, {where}: {self.message}" if where else f"Dòng {self.row}: {self.message}"


@dataclass(frozen=True)
class Change:
    """One field of a row as it is (`before`, empty for a new record) and as the file would make it (`after`)."""

    label: str
    before: str
    after: str


def changes(before: dict[str, str], after: dict[str, str]) -> list[Change]:
    """The fields whose text differs, in the order of `after` (labels → text as a reader sees it)."""
    return [
        Change(label, before.get(label, ""), text) for label, text in after.items() if before.get(label, "") != text
    ]


@dataclass(kw_only=True)
class Row:
    """What every importer's row carries besides its own data: what importing it does, the fields it changes and,
    for a row left out (a group heading, the template's example), why."""

    action: str = CREATE
    changes: list[Change] = field(default_factory=list)
    note: str = ""

    @property
    def action_label(self) -> str:
        return f"bỏ qua: {self.note}" if self.action == SKIPPED and self.note else ACTION_LABELS[self.action]


@dataclass
class ImportResult:
    noun: str
    rows: list = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    warnings: list[RowError] = field(default_factory=list)
    dry_run: bool = True

    @property
    def ok(self) -> bool:
        return not self.errors

    def _count(self, *actions: str) -> int:
        return sum(r.action in actions for r in self.rows)

    @property
    def created(self) -> int:
        return self._count(CREATE)

    @property
    def updated(self) -> int:
        return sum(r.action not in {CREATE, UNCHANGED, SKIPPED} for r in self.rows)

    @property
    def unchanged(self) -> int:
        return self._count(UNCHANGED)

    @property
    def skipped(self) -> int:
        return self._count(SKIPPED)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)

    def summary(self) -> str:
        verb = "Chạy thử (chưa ghi gì): sẽ" if self.dry_run else "Đã"
        skipped = f", bỏ qua {self.skipped} dòng" if self.skipped else ""
        return (
            f"{verb} tạo mới {self.created}, cập nhật {self.updated}, không thay đổi {self.unchanged} {self.noun} "
            f"({len(self.rows) - self.skipped} dòng{skipped})."
        )


class RowFailed(Exception):
    """A row the models refused while writing (the whole import is rolled back)."""

    def __init__(self, row: int | None, messages: list[str]):
        super().__init__(row)
        self.row, self.messages = row, messages


class Importer(Protocol):
    purpose: str
    noun: str
    about: object

    def parse(self, workbook, result: ImportResult) -> None: ...

    def write(self, result: ImportResult, *, by) -> None: ...


def read(importer: Importer, file) -> ImportResult:
    """Check, open and parse the file: every row validated, nothing written."""
    result = ImportResult(noun=importer.noun)
    try:
        check_workbook(file)
        wb = workbooks.open_workbook(file)
    except UploadRefused as refused:
        result.errors.append(RowError(None, " ".join(refused.messages)))
        return result
    try:
        importer.parse(wb, result)
    finally:
        wb.close()
    return result


def run(importer: Importer, file, *, by=None, dry_run: bool = False) -> ImportResult:
    """Parse the file and, unless `dry_run` or any error, write it: all or nothing, in one transaction.

    Side effects (confirmed, valid, something to change): what the importer's `write` does, and one audit entry
    `<purpose>.confirmed` about `importer.about` with the counts. A file that changes nothing writes nothing."""
    with transaction.atomic():
        if not dry_run and hasattr(importer, "lock"):
            importer.lock()
        result = read(importer, file)
        result.dry_run = dry_run
        if dry_run or not result.ok or not result.changed:
            return result
        try:
            with transaction.atomic():
                importer.write(result, by=by)
                counts = {"tạo mới": result.created, "cập nhật": result.updated, "không thay đổi": result.unchanged}
                confirmed.send(type(importer), purpose=importer.purpose, about=importer.about, counts=counts)
        except RowFailed as failed:
            result.errors.append(RowError(failed.row, " ".join(failed.messages)))
    return result


# The template's sheets --------------------------------------------------------------------------------------------

BOLD = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")


def header_row(ws, columns) -> None:
    """Row 1 of an import sheet: each column's `header` in bold on the fill, its `width`, frozen below, filtered and
    repeated on printed pages (a sheet filled afterwards calls workbooks.print_setup again to filter every row)."""
    ws.append([c.header for c in columns])
    for i, column in enumerate(columns, start=1):
        cell = ws.cell(row=1, column=i)
        cell.font, cell.fill = BOLD, HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.column_dimensions[get_column_letter(i)].width = column.width
    workbooks.print_setup(ws, header_row=1, columns=len(columns), frozen_columns=0)
    ws.row_dimensions[1].height = 32


def help_sheet(ws, title: str, rules: list[str], columns, header_width: int = 34) -> None:
    """The “Hướng dẫn” sheet: the title, the numbered general rules, then one line per column (letter, header,
    required, how to fill it in, an example). The caller may append more below."""
    for letter, width in zip("ABCDE", (8, header_width, 10, 80, 60), strict=True):
        ws.column_dimensions[letter].width = width
    ws.append([title])
    ws["A1"].font = Font(bold=True, size=13)
    ws.append([])
    ws.append(["Quy định chung"])
    ws.cell(row=ws.max_row, column=1).font = BOLD
    for i, rule in enumerate(rules, start=1):
        ws.append([f"{i}.", rule])
        ws.merge_cells(start_row=ws.max_row, start_column=2, end_row=ws.max_row, end_column=5)
        ws.cell(row=ws.max_row, column=2).alignment = workbooks.WRAP
        ws.row_dimensions[ws.max_row].height = 48
    ws.append([])
    ws.append(["Cột", "Tiêu đề", "Bắt buộc", "Cách nhập", "Ví dụ"])
    for cell in ws[ws.max_row]:
        cell.font, cell.fill = BOLD, HEADER_FILL
    for i, column in enumerate(columns, start=1):
        ws.append([get_column_letter(i), column.header, "Có" if column.required else "", column.help, column.example])
        for cell in ws[ws.max_row]:
            cell.alignment = workbooks.WRAP


# Views: the upload form, staging for the preview, the confirmation ------------------------------------------------


class UploadForm(StyledForm, forms.Form):
    file = forms.FileField(
        label="Tệp Excel (.xlsx) theo mẫu",
        allow_empty_file=True,  # refused by check_workbook with its own message
        widget=forms.ClearableFileInput(attrs={"accept": f".xlsx,{XLSX_TYPE}"}),
    )


def max_mb() -> int:
    return max_upload_bytes() // 1024 // 1024


def stage(request, importer: Importer, form: UploadForm, *, target) -> tuple[ImportResult, str] | None:
    """Check the uploaded file and preview it (dry run). A refused file is a form error (None is returned); a
    valid preview keeps the file as a StagedFile and returns its token; a preview with errors keeps nothing."""
    upload = form.cleaned_data["file"]
    try:
        check_workbook(upload)
    except UploadRefused as refused:
        form.add_error("file", refused)
        return None
    staged = StagedFile.stage(upload, user=request.user, purpose=importer.purpose, target=target)
    with staged.file.open("rb") as handle:  # from any storage: the disk, or an S3 bucket shared by app servers
        result = run(importer, handle, by=request.user, dry_run=True)
    if not result.ok:
        staged.discard()
        return result, ""
    return result, str(staged.token)


def confirm(request, importer: Importer, *, target) -> ImportResult | None:
    """Import the staged file named by the POSTed token, once: None (and a message) when it was confirmed already
    (a double click, another tab) or abandoned for more than a day."""
    staged = StagedFile.objects.claim(
        request.POST.get("token", ""), user=request.user, purpose=importer.purpose, target=target
    )
    if staged is None:
        messages.error(request, ALREADY_CLAIMED)
        return None
    try:
        with staged.file.open("rb") as handle:
            return run(importer, handle, by=request.user)
    finally:
        staged.discard()


def preview_context(result: ImportResult, token: str = "", **extra) -> dict:
    """The context of templates/core/import_preview.html (apps add the page's title, links and hidden fields)."""
    return {
        "result": result,
        "token": token,
        "rows": result.rows[:SHOWN_ROWS],
        "errors": result.errors[:SHOWN_ROWS],
        "more_rows": max(len(result.rows) - SHOWN_ROWS, 0),
        "more_errors": max(len(result.errors) - SHOWN_ROWS, 0),
        **extra,
    }
