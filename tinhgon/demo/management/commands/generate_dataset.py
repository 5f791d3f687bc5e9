import sys
import time
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from tinhgon.demo.dataset import NotEmpty, generate
from tinhgon.demo.dataset.profiles import PROFILES


class Command(BaseCommand):
    help = (
        "Sinh bộ dữ liệu đo hiệu năng (small: vài giây; province: một tỉnh đủ mật độ; national: 34 tỉnh, "
        "3.321 xã, khoảng 80.000 thủ tục, 300.000 nhiệm vụ được giao, 50.000 người dùng) vào cơ sở dữ liệu trống. "
        "Cùng hồ sơ, hạt giống và ngày cho cùng dữ liệu. Xem docs/performance.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("--profile", choices=sorted(PROFILES), default="small")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--today", help="ngày làm mốc (yyyy-mm-dd); mặc định hôm nay", default=None)
        parser.add_argument("--digest", action="store_true", help="in mã băm của dữ liệu đã sinh")
        parser.add_argument("--no-progress", action="store_true", help="không hiện thanh tiến trình")

    def handle(self, *, profile, seed, today, digest, no_progress, **options):
        try:
            day = date.fromisoformat(today) if today else None
        except ValueError:
            raise CommandError(f"Ngày không hợp lệ: {today!r} (dạng yyyy-mm-dd).") from None
        started = time.perf_counter()
        with _progress(enabled=not no_progress) as report:
            try:
                ctx = generate(profile, seed=seed, today=day, progress=report)
            except NotEmpty as e:
                raise CommandError(str(e)) from None
        elapsed = time.perf_counter() - started
        self.stdout.write(f"Hồ sơ {profile}, hạt giống {seed}, ngày mốc {ctx.today:%d/%m/%Y}: {elapsed:.1f} giây")
        for name, n in sorted(ctx.counts.items()):
            self.stdout.write(f"  {name:<24} {n:>10,}".replace(",", "."))
        for stage, seconds in ctx.timings.items():
            self.stdout.write(f"  [{stage}] {seconds:.1f} giây")
        if digest:
            from tinhgon.demo.dataset.digest import digest as compute

            self.stdout.write(f"digest {compute()}")


class _progress:
    """One line per step on stderr ("[3/12] procedures"): readable in a terminal and in a CI log alike."""

    def __init__(self, enabled: bool):
        self.enabled = enabled

    def __enter__(self):
        return self.report

    def report(self, stage: str, done: int, total: int) -> None:
        if self.enabled:
            sys.stderr.write(f"[{done}/{total}] {stage}\n")
            sys.stderr.flush()

    def __exit__(self, *exc):
        return False
