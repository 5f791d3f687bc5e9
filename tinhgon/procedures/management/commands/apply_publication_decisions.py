from django.core.management.base import BaseCommand

from tinhgon.audit import context as audit
from tinhgon.procedures.services import decisions_apply_due


class Command(BaseCommand):
    help = (
        "Áp dụng các quyết định công bố đã ban hành có ngày hiệu lực đến hôm nay (chạy hằng ngày, xem docs/deploy.md)."
    )

    def handle(self, **options):
        with audit.acting(user=None):
            applied = decisions_apply_due()
        for decision in applied:
            self.stdout.write(f"Đã áp dụng {decision.number} (hiệu lực {decision.effective_on:%d/%m/%Y}).")
        if not applied:
            self.stdout.write("Không có quyết định nào đến ngày hiệu lực.")
