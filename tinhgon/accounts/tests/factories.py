import time

import factory
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from tinhgon.accounts.models import Membership, Role, User
from tinhgon.organisations.tests.factories import OrganisationFactory

PASSWORD = "Mat-khau-thu-2026"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"Người dùng {n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.test")
    password = factory.django.Password(PASSWORD)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.OFFICER


def totp_device(user, *, confirmed=True):
    """An authenticator app of `user` (django-otp's TOTP device)."""
    return TOTPDevice.objects.create(user=user, name="Điện thoại", confirmed=confirmed)


def totp_code(device, *, steps_ahead: int = 0) -> str:
    """The code the app shows now, or `steps_ahead` periods of 30 s later: a code is accepted once, and the next
    period's is still accepted (tolerance 1), so a test that needs two codes in a row takes 0 then 1."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"
