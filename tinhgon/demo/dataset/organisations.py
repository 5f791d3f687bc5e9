"""The organisation tree: the national oversight unit, each province with its office, departments and their
divisions, its communes after 01/07/2025, and the units that existed before: the provinces merged into it, their
districts and communes, each pre-2025 commune ending on 30/06/2025 with its successor set (the lineage that
`organisations.services.units_merge` records, written in bulk with the closure links `Organisation.save()` would
write)."""

from dataclasses import dataclass, field
from datetime import date

from tinhgon.core.text import fold_vn
from tinhgon.organisations.models import Organisation, OrganisationLink

from . import vocabulary as vocab

K = Organisation.Kind
OLD_SINCE = date(2008, 1, 1)
LEGACY_UNTIL = date(2025, 6, 30)
REFORM_DAY = date(2025, 7, 1)
NATION_CODE = "VPCP"
# Pre-2025 communes merged into each new one (about 10,000 became 3,321) and communes per district (about 700).
LEGACY_PER_COMMUNE = (1, 2, 3, 3, 4, 5)
COMMUNES_PER_DISTRICT = 14


@dataclass
class Tree:
    province: Organisation
    office: Organisation
    departments: list[Organisation]
    divisions: dict[int, list[Organisation]]  # department pk → its divisions
    communes: list[Organisation]
    legacy: list[Organisation] = field(default_factory=list)
    field_of: dict[int, str] = field(default_factory=dict)  # department pk → field code

    @property
    def all_divisions(self) -> list[Organisation]:
        return [d for ds in self.divisions.values() for d in ds]


def new_unit(code, name, kind, parent=None, since=OLD_SINCE, until=None, short_name="", **extra) -> Organisation:
    """An unsaved unit for bulk_create, with the derived column save() fills."""
    return Organisation(
        code=code,
        name=name,
        short_name=short_name,
        kind=kind,
        parent=parent,
        valid_from=since,
        valid_to=until,
        search_text=fold_vn(f"{name} {short_name} {code}"),
        row_version=1,
        **extra,
    )


def closure_links(units, known_parents: dict[int, int | None]) -> list[OrganisationLink]:
    """The links Organisation.save() writes for each unit: itself at depth 0 and every ancestor, valid while the
    unit is (each unit lies within its ancestors' validity)."""
    links = []
    for u in units:
        ancestor, depth = u.pk, 0
        while ancestor is not None:
            links.append(
                OrganisationLink(
                    ancestor_id=ancestor, descendant_id=u.pk, depth=depth, valid_from=u.valid_from, valid_to=u.valid_to
                )
            )
            ancestor, depth = known_parents.get(ancestor), depth + 1
    return links


def build_nation() -> Organisation:
    nation = new_unit(NATION_CODE, "Văn phòng Chính phủ", K.MINISTRY, short_name="VPCP", is_tthc_focal_unit=True)
    Organisation.objects.bulk_create([nation])
    OrganisationLink.objects.bulk_create(closure_links([nation], {nation.pk: None}))
    return nation


def build_province(ctx, index: int, nation: Organisation) -> Tree:
    code, name, merged, _, city = vocab.PROVINCES[index]
    rng = ctx.rng(code, "organisations")
    p = ctx.profile
    created: list[Organisation] = []
    parents = {nation.pk: None}

    def create(rows):
        Organisation.objects.bulk_create(rows, batch_size=1000)
        created.extend(rows)
        parents.update({u.pk: u.parent_id for u in rows})
        return rows

    title = vocab.province_name(name, city)
    (province,) = create(
        [new_unit(code, title, K.PROVINCE, nation, short_name=title.replace("Ủy ban nhân dân", "UBND"))]
    )
    office = new_unit(
        f"{code}-VP",
        "Văn phòng Ủy ban nhân dân " + ("thành phố" if city else "tỉnh"),
        K.PROVINCIAL_OFFICE,
        province,
        short_name="VP UBND",
        is_tthc_focal_unit=True,
    )
    departments, field_of = [], {}
    for d_code, d_name, _field, _own in vocab.DEPARTMENTS[: p.departments]:
        since = REFORM_DAY if d_code in {"SNNMT", "SDTTG", "SXD", "SKHCN", "STC"} else OLD_SINCE
        departments.append(new_unit(f"{code}-{d_code}", d_name, K.DEPARTMENT, province, since=since, short_name=d_code))
    # Before 2025 the merged provinces were units of their own: they end on 30/06/2025 with this one as successor.
    old_provinces = [
        new_unit(
            f"{code}-CU{i}", vocab.province_name(old, False), K.PROVINCE, nation, until=LEGACY_UNTIL, successor=province
        )
        for i, old in enumerate(merged)
        if old != name and not old.endswith(name)
    ]
    create([office, *departments, *old_provinces])
    for d, (_c, _n, field_code, _own) in zip(departments, vocab.DEPARTMENTS, strict=False):
        field_of[d.pk] = field_code

    office_units = [
        new_unit(
            f"{office.code}-KSTT",
            "Phòng Kiểm soát thủ tục hành chính",
            K.DEPARTMENT_UNIT,
            office,
            is_tthc_focal_unit=True,
        ),
        new_unit(
            f"{office.code}-HCC", "Trung tâm Phục vụ hành chính công", K.DEPARTMENT_UNIT, office, is_state_agency=False
        ),
    ]
    divisions: dict[int, list[Organisation]] = {}
    rows = list(office_units)
    for d, (_c, _n, _f, own) in zip(departments, vocab.DEPARTMENTS, strict=False):
        names = (vocab.COMMON_DIVISIONS + own)[: p.divisions]
        divisions[d.pk] = [
            new_unit(f"{d.code}-P{j + 1:02d}", n, K.DEPARTMENT_UNIT, d, since=d.valid_from, is_state_agency=False)
            for j, n in enumerate(names)
        ]
        rows += divisions[d.pk]
    n_communes = max(2, round(vocab.commune_counts()[index] * p.commune_share))
    kinds = [k for k, _ in vocab.COMMUNE_KINDS]
    weights = [w for _, w in vocab.COMMUNE_KINDS]
    communes = []
    used = set()
    for i in range(n_communes):
        commune_name = _place_name(rng, used)
        kind = "Phường" if city and rng.random() < 0.5 else rng.choices(kinds, weights=weights)[0]
        communes.append(
            new_unit(f"{code}-X{i + 1:04d}", f"{kind} {commune_name}", K.COMMUNE, province, since=REFORM_DAY)
        )
    rows += communes
    create(rows)

    # Pre-2025: districts under the province (or under the merged province they belonged to), their communes under
    # them, each ending on 30/06/2025 with the new commune it was merged into as successor.
    legacy_communes = []
    for c in communes:
        for _ in range(rng.choice(LEGACY_PER_COMMUNE)):
            legacy_communes.append((c, _place_name(rng, set())))
    n_districts = max(1, len(legacy_communes) // COMMUNES_PER_DISTRICT)
    owners = [province, *old_provinces]
    districts = [
        new_unit(
            f"{code}-H{i + 1:03d}",
            f"Ủy ban nhân dân huyện {_place_name(rng, set())}",
            K.DISTRICT,
            owners[i % len(owners)],
            until=LEGACY_UNTIL,
        )
        for i in range(n_districts)
    ]
    create(districts)
    old = [
        new_unit(
            f"{code}-H{1 + i % n_districts:03d}-X{i + 1:05d}",
            f"{rng.choices(kinds[:2], weights=[85, 15])[0]} {old_name}",
            K.COMMUNE,
            districts[i % n_districts],
            until=LEGACY_UNTIL,
            successor=target,
        )
        for i, (target, old_name) in enumerate(legacy_communes)
    ]
    create(old)
    OrganisationLink.objects.bulk_create(closure_links(created, parents), batch_size=2000)
    return Tree(
        province=province,
        office=office,
        departments=departments,
        divisions=divisions,
        communes=communes,
        legacy=[*old_provinces, *districts, *old],
        field_of=field_of,
    )


def _place_name(rng, used: set) -> str:
    for _ in range(50):
        name = f"{rng.choice(vocab.PLACE_1)} {rng.choice(vocab.PLACE_2)}"
        if name.split()[0] != name.split()[1] and name not in used:
            break
    used.add(name)
    return name
