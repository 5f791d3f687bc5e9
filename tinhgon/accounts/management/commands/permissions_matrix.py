from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from tinhgon.accounts.endpoints import endpoints_markdown
from tinhgon.accounts.permissions import matrix_markdown

DOC = Path(settings.BASE_DIR) / "docs" / "permissions.md"
TABLES = {"matrix": matrix_markdown, "endpoints": endpoints_markdown}


def render_doc(current: str) -> str:
    for name, table in TABLES.items():
        begin, end = f"<!-- {name}:begin -->", f"<!-- {name}:end -->"
        head, rest = current.split(begin, 1)
        _, tail = rest.split(end, 1)
        current = f"{head}{begin}\n{table()}{end}{tail}"
    return current


class Command(BaseCommand):
    help = (
        "Cập nhật bảng phân quyền và bảng địa chỉ trong docs/permissions.md từ RULES (accounts/permissions.py) và "
        "ENDPOINTS (accounts/endpoints.py)."
    )

    def handle(self, **options):
        DOC.write_text(render_doc(DOC.read_text(encoding="utf-8")), encoding="utf-8")
        self.stdout.write(f"Đã cập nhật {DOC}")
