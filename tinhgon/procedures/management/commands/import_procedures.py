from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tinhgon.audit import context as audit
from tinhgon.core.dates import today
from tinhgon.organisations.models import Organisation
from tinhgon.procedures.excel import import_procedures


class Command(BaseCommand):
    help = (
        "Nhập danh mục thủ tục nội bộ từ tệp Excel (.xlsx) theo mẫu, cho một cơ quan quản lý. Tất cả hoặc không: "
        "có lỗi thì không ghi gì và in từng lỗi (dòng, cột). Nhập lại cùng tệp không tạo bản trùng."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="đường dẫn tệp .xlsx theo mẫu (tải ở /thu-tuc/mau-nhap-excel.xlsx)")
        parser.add_argument("--org", required=True, help="mã cơ quan quản lý các thủ tục (Organisation.code)")
        parser.add_argument("--dry-run", action="store_true", help="chỉ kiểm tra và báo cáo, không ghi gì")
        parser.add_argument(
            "--template", action="store_true", help="nhập vào danh mục thủ tục mẫu (dùng chung) thay vì của cơ quan"
        )

    def handle(self, *args, file, org, dry_run, template, **options):
        owner = Organisation.objects.filter(code=org).first()
        if owner is None:
            raise CommandError(f"Không tìm thấy cơ quan có mã “{org}”.")
        if not owner.is_valid_on(today()):
            raise CommandError(f"Cơ quan “{owner}” đã hết hiệu lực; hãy nhập cho cơ quan kế thừa.")
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"Không tìm thấy tệp “{file}”.")
        with audit.acting(user=None):
            result = import_procedures(path, owner=owner, dry_run=dry_run, template=template)
        if not result.ok:
            for error in result.errors:
                self.stderr.write(str(error))
            raise CommandError(f"Tệp có {len(result.errors)} lỗi; chưa ghi thủ tục nào.")
        for warning in result.warnings:
            self.stderr.write(f"Lưu ý: {warning}")
        if dry_run:
            for row in result.rows:
                self.stdout.write(f"Dòng {row.row}: {row.code} · {row.name} · {row.action_label}")
        self.stdout.write(f"{owner}: {result.summary()}")
