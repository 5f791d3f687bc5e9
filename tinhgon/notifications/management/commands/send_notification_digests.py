from django.core.management.base import BaseCommand

from tinhgon.notifications import mail


class Command(BaseCommand):
    help = (
        "Gửi thư tổng hợp thông báo hằng ngày cho người chọn nhận thư mỗi ngày (các thông báo chưa gửi thư). "
        "Chạy hằng ngày, ví dụ lúc 07:00, cùng send_deadline_digests."
    )

    def handle(self, **options):
        self.stdout.write(f"Đã gửi {mail.send_daily_digests()} thư tổng hợp thông báo.")
