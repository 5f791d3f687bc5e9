from django.core.management.base import BaseCommand
from django.db import transaction

from tinhgon.audit import context as audit
from tinhgon.demo import accounts, organisations, plans, procedures, quality, reports, reviews


class Command(BaseCommand):
    help = "Nạp dữ liệu trình diễn (tỉnh Vĩnh Long sau sắp xếp 2025). Chạy nhiều lần không tạo bản ghi trùng."

    @transaction.atomic
    def handle(self, **options):
        with audit.acting(user=None):
            organisations.seed()
            users = accounts.seed()
            procedures.seed()
            reviews.seed()
            plans.seed()
            reports.seed()
            quality.seed()
        self.stdout.write("Dữ liệu trình diễn đã sẵn sàng. Tài khoản (chỉ dùng để trình diễn):")
        for username, roles in users:
            self.stdout.write(f"  {username:<22} mật khẩu {accounts.DEMO_PASSWORD:<14} {roles}")
