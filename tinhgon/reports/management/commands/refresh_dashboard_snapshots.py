from django.core.management.base import BaseCommand

from tinhgon.core.dates import today
from tinhgon.organisations.models import Organisation
from tinhgon.reports.dashboard import store_snapshot


class Command(BaseCommand):
    help = (
        "Tính lại số liệu bảng điều khiển của Văn phòng UBND tỉnh (và cấp trên) cho hôm nay, để trang mở nhanh. "
        "Chạy định kỳ vài phút một lần (docs/deploy.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--org", action="append", default=[], help="mã đơn vị (mặc định: mọi tỉnh và bộ)")

    def handle(self, *args, org, **options):
        units = Organisation.objects.current()
        units = units.filter(code__in=org) if org else units.filter(kind__in=["province", "ministry"])
        day = today()
        for unit in units.order_by("code"):
            store_snapshot(unit, day)
            self.stdout.write(f"{unit.code}: đã tính lại")
