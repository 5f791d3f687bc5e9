"""A task for tinhgon/core/tests/test_several_machines.py: each run appends its number to a file, so that a job
taken twice shows as a number written twice."""

import time

from django_tasks import task


@task()
def record_run(number: int, path: str) -> int:
    time.sleep(0.1)  # the jobs last long enough (2 s in all) for the two workers to overlap
    with open(path, "a", encoding="utf-8") as out:
        out.write(f"{number}\n")
    return number
