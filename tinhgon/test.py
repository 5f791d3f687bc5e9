"""Shared test support: the personas, the helper for races, and the names a download is saved under.

Personas: a small province P with two departments and a commune, and a second province Q whose
people are outsiders to everything in P.

    P (province) ─ P-VP (provincial office, focal unit)
                 ─ P-A (department) ─ P-A-1 (division)
                 ─ P-B (department)
                 ─ P-X (commune)
    Q (province) ─ Q-A (department)
"""

import re
import threading
from dataclasses import dataclass
from datetime import date, timedelta
from urllib.parse import unquote

from django.core.exceptions import ValidationError
from django.db import close_old_connections, connection
from django.db.models.signals import pre_save

import pytest

from tinhgon.accounts.models import Role
from tinhgon.accounts.tests.factories import MembershipFactory, UserFactory
from tinhgon.core.dates import today
from tinhgon.organisations.models import Organisation
from tinhgon.organisations.tests.factories import OrganisationFactory

K = Organisation.Kind
SINCE = date(2020, 1, 1)


@dataclass
class World:
    units: dict
    users: dict

    def __getattr__(self, name):
        users = self.__dict__.get("users", {})  # not self.users: a copy being made has no attributes yet
        if name in users:
            return users[name]
        raise AttributeError(name)


# What every decision needs before it is issued (căn cứ and the tờ trình, issue 14): tests that are not about them
# spread these into the decisions they create.
DECISION_GROUNDS = {
    "legal_bases": "Căn cứ Quyết định số 1085/QĐ-TTg ngày 15 tháng 9 năm 2022 của Thủ tướng Chính phủ",
    "proposal": "Tờ trình số 01/TTr-VP ngày 02/01/2025",
}


def build_world() -> World:
    def org(code, kind, parent=None, **extra):
        return OrganisationFactory(
            code=code, name=f"Đơn vị {code}", kind=kind, parent=parent, valid_from=SINCE, **extra
        )

    p = org("P", K.PROVINCE)
    units = {
        "P": p,
        "P-VP": org("P-VP", K.PROVINCIAL_OFFICE, p, is_tthc_focal_unit=True),
    }
    units["P-A"] = org("P-A", K.DEPARTMENT, p)
    units["P-A-1"] = org("P-A-1", K.DEPARTMENT_UNIT, units["P-A"])
    units["P-B"] = org("P-B", K.DEPARTMENT, p)
    units["P-X"] = org("P-X", K.COMMUNE, p)
    units["Q"] = org("Q", K.PROVINCE)
    units["Q-A"] = org("Q-A", K.DEPARTMENT, units["Q"])

    def person(username, code, role):
        user = UserFactory(username=username)
        MembershipFactory(user=user, organisation=units[code], role=role)
        return user

    users = {
        "admin": person("admin", "P", Role.ADMIN),
        "oversight": person("oversight", "P", Role.OVERSIGHT),
        "chair_p": person("chair_p", "P", Role.AGENCY_LEADER),
        "focal_p": person("focal_p", "P", Role.FOCAL_POINT),
        "leader_a": person("leader_a", "P-A", Role.AGENCY_LEADER),
        "focal_a": person("focal_a", "P-A", Role.FOCAL_POINT),
        "head_a1": person("head_a1", "P-A-1", Role.UNIT_HEAD),
        "officer_a1": person("officer_a1", "P-A-1", Role.OFFICER),
        "outsider": person("outsider", "Q-A", Role.OFFICER),
        "outsider_admin": person("outsider_admin", "Q", Role.ADMIN),
    }
    return World(units=units, users=users)


def joined_after_leaving(world) -> Organisation:
    """P-B moves from P to Q ten days ago, and a commune is created under it since: the commune was never under P, so
    P's members see P-B (it was under P) but not the commune. Returns the commune."""
    moved = world.units["P-B"]
    moved.parent, moved.move_on = world.units["Q"], today() - timedelta(days=10)
    moved.save()
    return OrganisationFactory(
        code="Q-NEW", name="Xã mới", kind=K.COMMUNE, parent=moved, valid_from=today() - timedelta(days=5)
    )


# Races: two requests at the same moment, each on its own connection ------------------------------------------------

RACE_MARKS = [
    pytest.mark.django_db(transaction=True),
    # SQLite serialises writers, so there is no race to lose there; rows are locked on PostgreSQL.
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are PostgreSQL's; SQLite serialises"),
    pytest.mark.race,  # counted in the suite's summary (conftest.py)
]


def race(test):
    """Mark a test as a race (PostgreSQL only, real transactions); a module of races sets
    `pytestmark = RACE_MARKS` instead."""
    for mark in RACE_MARKS:
        test = mark(test)
    return test


def at_once(*calls, slowed=None) -> list[str]:
    """Run the calls in threads released together, each on its own connection; the outcome of each is "done" or
    the class name of the ValidationError that refused it, sorted ("TransitionRefused" < "done"). Saves of
    `slowed` (a model, default every model) take 0.2 s longer, which widens the window in which two unlocked
    checks would both pass."""
    barrier = threading.Barrier(len(calls))
    outcomes = []

    def slow_save(sender, instance, **kwargs):
        if slowed is None or sender is slowed:
            threading.Event().wait(0.2)

    def run(call):
        try:
            barrier.wait()
            call()
            outcomes.append("done")
        except ValidationError as refused:
            outcomes.append(type(refused).__name__)
        finally:
            close_old_connections()
            connection.close()

    pre_save.connect(slow_save)
    try:
        threads = [threading.Thread(target=run, args=(call,)) for call in calls]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        pre_save.disconnect(slow_save)
    return sorted(outcomes)


def download_names(response) -> tuple[str, str]:
    """(the name a browser saves, the ASCII fallback) of a download, decoded by RFC 6266/5987 rather than by the
    code that wrote them: `filename*=utf-8''<percent-encoded>` wins, `filename="…"` is what older clients read."""
    header = response["Content-Disposition"]
    fallback = re.search(r'filename="((?:[^"\\]|\\.)*)"', header)
    encoded = re.search(r"filename\*=([\w-]+)'[\w-]*'([^;\s]+)", header)
    name = unquote(encoded[2], encoding=encoded[1], errors="strict") if encoded else fallback[1]
    return name, fallback[1] if fallback else ""
