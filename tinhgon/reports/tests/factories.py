"""Data for the dashboard and report tests."""

from datetime import timedelta

from tinhgon.core.dates import today
from tinhgon.organisations.models import Organisation
from tinhgon.organisations.tests.factories import OrganisationFactory
from tinhgon.plans.tests import factories as pf
from tinhgon.reviews.tests import factories as rf
from tinhgon.test import SINCE


def grow_departments(world, n: int) -> None:
    """n new departments P-N0 … under P, each with a published procedure and a task overdue by 3 + i days."""
    for i in range(n):
        unit = OrganisationFactory(
            code=f"P-N{i}",
            name=f"Sở mới {i}",
            kind=Organisation.Kind.DEPARTMENT,
            parent=world.units["P"],
            valid_from=SINCE,
        )
        rf.publish(world, unit, f"Thủ tục {i}")
        plan = pf.plan(unit, year=today().year, number=f"{i}/KH")
        pf.task(plan, unit, code="1", deadline=today() - timedelta(days=3 + i))
