from django.core.management.base import BaseCommand

from tinhgon.plans import reminders


class Command(BaseCommand):
    help = (
        "Gửi thư nhắc hạn hằng ngày: nhiệm vụ quá hạn và đến hạn trong N ngày tới của các đơn vị mỗi người tham gia; "
        "lãnh đạo, đầu mối nhận thêm danh sách quá hạn ở đơn vị cấp dưới. Chạy hằng ngày lúc 07:00."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=reminders.DEFAULT_DAYS, help="số ngày tới (mặc định 7)")
        parser.add_argument("--dry-run", action="store_true", help="chỉ in danh sách thư, không gửi")

    def handle(self, *, days, dry_run, **options):
        outcome = reminders.send_deadline_digests(days=days, dry_run=dry_run)
        for message in outcome.messages:
            self.stdout.write(f"{'(thử) ' if dry_run else ''}{', '.join(message.to)}: {message.subject}")
        self.stdout.write(
            f"{'Sẽ gửi' if dry_run else 'Đã gửi'} {len(outcome.messages) if dry_run else outcome.sent} thư; "
            f"{outcome.skipped_empty} người không có nhiệm vụ cần nhắc, {outcome.skipped_no_email} người chưa có "
            "địa chỉ thư."
        )
