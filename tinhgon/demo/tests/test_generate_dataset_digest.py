"""Determinism of the generated data set: the same profile, seed and day give the same rows (compared through
`tinhgon.demo.dataset.digest`, which does not depend on the primary keys the database hands out). In a module of
its own: the data set is generated into an empty database, which the module fixture of test_generate_dataset.py is
not."""

from datetime import date

from django.db import transaction

from tinhgon.demo.dataset import generate
from tinhgon.demo.dataset.digest import digest

DAY = date(2026, 12, 4)


def test_the_same_seed_and_day_give_the_same_data_and_another_seed_does_not(db):
    def once(seed):
        with transaction.atomic():
            generate("small", seed=seed, today=DAY)
            found = digest()
            transaction.set_rollback(True)
        return found

    first = once(3)
    assert once(3) == first
    assert once(4) != first
