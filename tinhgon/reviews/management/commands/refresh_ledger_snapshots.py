from django.core.management.base import BaseCommand
from django.db.models import Count

from tinhgon.core.dates import today
from tinhgon.organisations.models import Organisation, OrganisationLink
from tinhgon.reviews.ledger import Filters, snapshot_units, store_snapshot


class Command(BaseCommand):
    help = (
        "Tính lại sổ theo dõi chỉ tiêu hôm nay của các đơn vị rất lớn (từ TINHGON_LEDGER_SNAPSHOT_UNITS đơn vị trực "
        "thuộc trở lên, như toàn quốc), để trang mở nhanh. Chạy định kỳ vài phút một lần (docs/deploy.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--org", action="append", default=[], help="mã đơn vị (mặc định: mọi đơn vị rất lớn)")

    def handle(self, *args, org, **options):
        units = Organisation.objects.current()
        if org:
            units = units.filter(code__in=org)
        else:
            large = OrganisationLink.objects.values("ancestor").annotate(n=Count("pk")).filter(n__gte=snapshot_units())
            units = units.filter(pk__in=large.values("ancestor"))
        day = today()
        for unit in units.order_by("code"):
            store_snapshot(Filters(roots=(unit,), as_of=day))
            self.stdout.write(f"{unit.code}: đã tính lại")
