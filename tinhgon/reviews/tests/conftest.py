import pytest

from tinhgon.reviews.constants import Action
from tinhgon.reviews.tests import factories as f


@pytest.fixture
def portfolio(world):
    """domain.md §6.3: five procedures of one unit, annual costs 160,000,000 → 97,700,000."""
    unit = world.units["P-A-1"]
    return [
        f.reviewed(world, unit, "T1", Action.AMEND, 88_800_000, 40_500_000),
        f.reviewed(world, unit, "T2", Action.ABOLISH, 12_000_000),
        f.reviewed(world, unit, "T3", Action.KEEP, 30_000_000),
        f.reviewed(world, unit, "T4", Action.AMEND, 20_000_000, 18_000_000),
        f.reviewed(world, unit, "T5", Action.KEEP, 9_200_000),
    ]
