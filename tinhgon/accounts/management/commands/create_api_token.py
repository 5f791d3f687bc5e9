from django.core.management.base import BaseCommand, CommandError

from rest_framework.authtoken.models import Token

from tinhgon.accounts.models import User
from tinhgon.audit.services import log_event


class Command(BaseCommand):
    help = "In ra khóa API của người dùng (tạo mới nếu chưa có). Chỉ in khóa, để dùng được trong script."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, username, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"Không có người dùng '{username}'.")
        token, created = Token.objects.get_or_create(user=user)
        if created:
            log_event("accounts.token.created", about=user)
        self.stdout.write(token.key)
