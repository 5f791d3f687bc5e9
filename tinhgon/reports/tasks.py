"""Background work of the reports: a long document made by the worker (python manage.py db_worker) while the page
shows its progress. `generate_file.enqueue(file.pk)` queues it; with the immediate backend it runs at once."""

import logging

from django.core.files.base import ContentFile
from django.utils import timezone

from django_tasks import task

from tinhgon.accounts.permissions import Policy
from tinhgon.reports.models import FileStatus, GeneratedFile, Report

logger = logging.getLogger(__name__)


def _progress(generated: GeneratedFile, **fields) -> None:
    """Saved at once (one UPDATE, outside any transaction in the worker) so the status page sees it."""
    for key, value in fields.items():
        setattr(generated, key, value)
    GeneratedFile.objects.filter(pk=generated.pk).update(**fields)


@task()
def generate_file(file_id: int) -> str:
    """Render the report of GeneratedFile `file_id` in its format, store it, and record progress and outcome.
    Returns the final status."""
    from tinhgon.reports import documents  # imported here: python-docx, openpyxl and WeasyPrint load slowly

    file = GeneratedFile.objects.select_related("user").filter(pk=file_id).first()
    if file is None:
        logger.warning("generate_file: no GeneratedFile %s", file_id)
        return "missing"
    _progress(file, status=FileStatus.RUNNING, progress=10, message="")
    try:
        # The file is made for its user: the report (and the children's reports it aggregates) as they see it now.
        policy = Policy(user=file.user, memberships=list(file.user.memberships_in_force()))
        report = Report.objects.visible_to(policy).select_related("organisation").filter(pk=file.report_id).first()
        if report is None:
            raise LookupError("Báo cáo của tệp này không còn trong hệ thống hoặc bạn không còn quyền xem.")
        render = documents.RENDERERS.get(file.format)
        if render is None:
            raise LookupError(f"Định dạng “{file.format}” không được hỗ trợ.")
        data = render(report, policy)
        _progress(file, progress=60)
        file.file.save(documents.storage_name(report, file.format), ContentFile(data), save=False)
        _progress(file, file=file.file.name, progress=100, status=FileStatus.DONE, finished_at=timezone.now())
    except LookupError as error:
        _progress(file, status=FileStatus.FAILED, message=str(error), finished_at=timezone.now())
    except Exception:
        logger.exception("generate_file %s failed", file_id)
        _progress(
            file,
            status=FileStatus.FAILED,
            message="Không tạo được tệp do lỗi hệ thống. Vui lòng thử lại sau hoặc liên hệ quản trị viên.",
            finished_at=timezone.now(),
        )
    return file.status
