from django.core.management.base import BaseCommand
from django.db import transaction

from tinhgon.procedures.models import SearchEntry


class Command(BaseCommand):
    help = (
        "Dựng lại bảng tra cứu công khai (SearchEntry) từ các phiên bản thủ tục đang có hiệu lực: sau khi nạp dữ liệu "
        "hàng loạt bằng SQL, hoặc khi nghi ngờ bảng tra cứu không khớp với sổ thủ tục."
    )

    def add_arguments(self, parser):
        parser.add_argument("--database", default="default", help="Bí danh cơ sở dữ liệu (mặc định: default).")

    def handle(self, *, database, **options):
        with transaction.atomic(using=database):
            written = SearchEntry.objects.using(database).rebuild()
        self.stdout.write(f"Đã dựng lại {written} mục tra cứu công khai.")
