"""Users of a province and their memberships: oversight and focal points at the province office, a leader and a
focal point per department, a head per division, an officer per commune, the rest officers spread over divisions and
communes; one in ten holds a second membership. One password for all (DATASET_PASSWORD), hashed once with a fixed
salt so that the rows are the same from run to run."""

from django.contrib.auth.hashers import make_password

from tinhgon.accounts.models import Membership, Role, User
from tinhgon.core.text import fold_vn

from . import vocabulary as vocab

DATASET_PASSWORD = "TinhGon@2026"
_HASH: dict[str, str] = {}


def password_hash() -> str:
    if "h" not in _HASH:
        _HASH["h"] = make_password(DATASET_PASSWORD, salt="tinhgondataset")
    return _HASH["h"]


def person_name(rng) -> str:
    family = rng.choices([f for f, _ in vocab.FAMILY_NAMES], weights=[w for _, w in vocab.FAMILY_NAMES])[0]
    return f"{family} {rng.choice(vocab.MIDDLE_NAMES)} {rng.choice(vocab.GIVEN_NAMES)}"


def build(ctx, tree) -> list[User]:
    rng = ctx.rng(tree.province.code, "accounts")
    slots = [(tree.province, Role.ADMIN), (tree.province, Role.OVERSIGHT), (tree.office, Role.OVERSIGHT)]
    slots += [(tree.office, Role.FOCAL_POINT)] * 3
    for d in tree.departments:
        slots += [(d, Role.AGENCY_LEADER), (d, Role.FOCAL_POINT)]
    slots += [(u, Role.UNIT_HEAD) for u in tree.all_divisions]
    slots += [(c, Role.OFFICER) for c in tree.communes]
    rank_and_file = [*tree.all_divisions, *tree.communes]
    code = tree.province.code.lower()
    users, memberships = [], []
    for i in range(ctx.profile.users):
        full_name = person_name(rng)
        family, *middle, given = fold_vn(full_name).split()
        user = User(
            username=f"{given}{family[0]}{''.join(m[0] for m in middle)}.{code}{i + 1:05d}",
            full_name=full_name,
            email=f"{given}.{code}{i + 1:05d}@{code}.gov.vn",
            password=password_hash(),
            is_staff=False,
        )
        org, role = slots[i] if i < len(slots) else (rng.choice(rank_and_file), Role.OFFICER)
        user.created_in = org
        users.append(user)
        memberships.append(Membership(user=user, organisation=org, role=role))
        if rng.random() < 0.1:
            other = rng.choice(rank_and_file)
            if other != org:
                memberships.append(Membership(user=user, organisation=other, role=Role.OFFICER))
    User.objects.bulk_create(users, batch_size=ctx.profile.users_in_bulk)
    for m in memberships:
        m.user_id = m.user.pk
    Membership.objects.bulk_create(memberships, batch_size=ctx.profile.users_in_bulk)
    ctx.count("users", len(users))
    ctx.count("memberships", len(memberships))
    return users
