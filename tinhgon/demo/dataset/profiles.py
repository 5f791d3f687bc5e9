"""The three sizes of the generated data set. Every count is per province, so a profile's totals are its per-province
figures times its number of provinces (the ratio the tests check)."""

from dataclasses import dataclass, replace


@dataclass(frozen=True)
class Profile:
    name: str
    provinces: int  # the first N of vocabulary.PROVINCES (province: one province at full density)
    departments: int  # per province, at most len(vocabulary.DEPARTMENTS)
    divisions: int  # per department, at most the common divisions plus the department's own
    commune_share: float  # share of each province's real number of communes
    procedures: int  # per province
    province_tasks: int  # per yearly province plan
    executing_per_task: int  # units each province task is assigned to, besides its lead
    department_tasks: int  # per yearly department plan (each assigned to every division of the department)
    users: int  # per province
    users_in_bulk: int = 2000  # rows per bulk_create batch


# A province at full density: the national profile is 34 of them.
PROVINCE = Profile(
    name="province",
    provinces=1,
    departments=25,
    divisions=8,
    commune_share=1.0,
    procedures=2350,
    province_tasks=60,
    executing_per_task=48,
    department_tasks=8,
    users=1470,
)

PROFILES = {
    "small": Profile(
        name="small",
        provinces=2,
        departments=4,
        divisions=3,
        commune_share=0.08,
        procedures=60,
        province_tasks=6,
        executing_per_task=6,
        department_tasks=2,
        users=40,
    ),
    # One province at the density of the national profile.
    "province": PROVINCE,
    "national": replace(PROVINCE, name="national", provinces=34),
    # The growth curve of docs/performance.md: about 10 % and 30 % of the nation (3 and 10 of its 34 provinces).
    "national-10": replace(PROVINCE, name="national-10", provinces=3),
    "national-30": replace(PROVINCE, name="national-30", provinces=10),
}
