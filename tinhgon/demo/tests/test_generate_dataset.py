"""The generated data set (`manage.py generate_dataset`, tinhgon/demo/dataset/) at the small profile: its counts
follow the profile, its rows keep the app's invariants, and the same seed and day give the same data."""

from datetime import date

from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Count, Q

import pytest

from tinhgon.demo.dataset import generate
from tinhgon.demo.dataset.profiles import PROFILES
from tinhgon.organisations.models import Organisation
from tinhgon.plans.constants import StatusClass
from tinhgon.plans.models import Assignment
from tinhgon.procedures.constants import DecisionStatus, Status
from tinhgon.procedures.models import DecisionItem, Procedure, ProcedureVersion, SearchEntry

DAY = date(2026, 12, 4)
SMALL = PROFILES["small"]


@pytest.fixture(scope="module")
def small(django_db_setup, django_db_blocker):
    """The small profile generated once for the module, rolled back at its end."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        ctx = generate("small", seed=7, today=DAY)
    try:
        yield ctx
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def test_counts_are_the_profile_per_province_times_its_provinces(small, db):
    assert Procedure.objects.count() == SMALL.procedures * SMALL.provinces
    assert (
        Organisation.objects.filter(kind=Organisation.Kind.PROVINCE, valid_to__isnull=True).count() == SMALL.provinces
    )
    assert Organisation.objects.filter(kind=Organisation.Kind.DEPARTMENT).count() == SMALL.departments * SMALL.provinces
    assert small.counts["users"] == SMALL.users * SMALL.provinces
    expected_tasks = 2 * SMALL.provinces * (SMALL.province_tasks + SMALL.departments * SMALL.department_tasks)
    assert small.counts["tasks"] == expected_tasks


def test_every_procedure_is_owned_by_a_unit_of_today(small, db):
    owners = Organisation.objects.filter(pk__in=Procedure.objects.values("owner")).as_of(DAY)
    assert owners.count() == Procedure.objects.values("owner").distinct().count()


def test_every_version_in_force_was_brought_in_by_an_applied_decision(small, db):
    in_force = ProcedureVersion.objects.filter(status=Status.PUBLISHED)
    without = in_force.exclude(
        decision_items__in=DecisionItem.objects.filter(
            decision__status=DecisionStatus.APPLIED, change__in=("new", "amended")
        )
    )
    assert in_force.exists() and not without.exists()


def test_every_amended_version_is_ended_by_the_item_of_its_successor(small, db):
    amended = DecisionItem.objects.filter(change="amended")
    assert amended.exists()
    assert not amended.annotate(n=Count("ends")).filter(n=0).exists()


def test_each_procedure_has_at_most_one_version_in_force_and_the_public_search_has_it(small, db):
    assert (
        not Procedure.objects.annotate(n=Count("versions", filter=Q(versions__status=Status.PUBLISHED)))
        .filter(n__gt=1)
        .exists()
    )
    assert SearchEntry.objects.count() == ProcedureVersion.objects.filter(is_public=True).count() > 0


def test_every_pre_2025_commune_names_a_successor_valid_from_the_reform(small, db):
    old = Organisation.objects.filter(kind=Organisation.Kind.COMMUNE, valid_to=date(2025, 6, 30))
    assert old.exists()
    assert not old.filter(successor__isnull=True).exists()
    assert not old.exclude(successor__valid_from=date(2025, 7, 1)).exists()


def test_assignments_fall_in_every_status_class(small, db):
    for status_class in StatusClass:
        assert Assignment.objects.of_status(status_class, on=DAY).exists(), status_class


def test_the_command_refuses_a_database_that_already_has_organisations(small, db):
    with pytest.raises(CommandError, match="cơ sở dữ liệu trống"):
        call_command("generate_dataset", "--profile", "small", "--no-progress")


def test_the_sweep_finds_each_of_its_personas_in_a_generated_data_set(small, db):
    from tinhgon.demo.tests import bench_scripts

    sweep = bench_scripts.load("sweep")
    found = sweep.memberships()
    assert set(found) == set(sweep.PERSONAS)
    assert found["nation"].organisation.parent_id is None  # the whole country: the largest lists
