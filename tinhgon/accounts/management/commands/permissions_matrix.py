from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from tinhgon.accounts.permissions import matrix_markdown

DOC = Path(settings.BASE_DIR) / "docs" / "permissions.md"
BEGIN, END = "<!-- matrix:begin -->", "<!-- matrix:end -->"


def render_doc(current: str) -> str:
    head, rest = current.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    return f"{head}{BEGIN}\n{matrix_markdown()}{END}{tail}"


class Command(BaseCommand):
    help = "Cập nhật bảng phân quyền trong docs/permissions.md từ RULES trong tinhgon/accounts/permissions.py."

    def handle(self, **options):
        DOC.write_text(render_doc(DOC.read_text(encoding="utf-8")), encoding="utf-8")
        self.stdout.write(f"Đã cập nhật {DOC}")
