"""The objects the permission walk requests: one of each model in each place (tinhgon/api/tests/walk.py PLACES),
named with a marker so that any answer showing one the persona may not see is caught."""

from django.core.files.base import ContentFile

from tinhgon.accounts.models import Membership, Role, User
from tinhgon.api.tests import walk
from tinhgon.api.tests.walk import builder
from tinhgon.core.dates import today
from tinhgon.procedures.constants import Change, DecisionStatus, Status
from tinhgon.procedures.models import ProcedureForm, PublicationDecision
from tinhgon.procedures.services import decision_add_item, decision_issue
from tinhgon.procedures.tests.factories import complete_components, make_procedure

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def named(label: str, place: str, text: str) -> str:
    return f"{text} {walk.marker(label, place)}"


@builder("organisations.Organisation")
def unit(world, unit, place, objects):
    return unit


@builder("accounts.User")
def person(world, unit, place, objects):
    user = User.objects.create_user(f"walk-person-{place}", full_name=named("accounts.User", place, "Cán bộ"))
    Membership.objects.create(user=user, organisation=unit, role=Role.OFFICER)
    objects.mark(walk.marker("accounts.User", place), "accounts.User", user)
    return user


@builder("accounts.Membership")
def membership(world, unit, place, objects):
    return User.objects.get(username=f"walk-person-{place}").memberships.get()


@builder("procedures.Procedure")
def procedure(world, unit, place, objects):
    components = complete_components(named("procedures.Procedure", place, "Thủ tục dự thảo"))
    draft = make_procedure(unit, components=components, code=f"WALK-{place}")
    objects.mark(walk.marker("procedures.Procedure", place), "procedures.Procedure", draft)
    return draft


@builder("procedures.ProcedureForm")
def form(world, unit, place, objects):
    version = procedure_of(place).latest_version()
    form = ProcedureForm(version=version, name=named("procedures.ProcedureForm", place, "Mẫu"), order=1)
    form.file.save("mau.pdf", ContentFile(PDF), save=False)
    form.save()
    objects.mark(walk.marker("procedures.ProcedureForm", place), "procedures.ProcedureForm", form)
    return form


@builder("procedures.PublicationDecision")
def draft_decision(world, unit, place, objects):
    """A draft decision of the place holding its own checked procedure; the parent's also holds the sibling's,
    which a P-A persona who sees the decision through their own procedure must not read."""
    decision = PublicationDecision.objects.create(
        number=f"1/QĐ-WALK-{place}", issuer=unit, signed_on=today(), signer="Nguyễn Văn A", effective_on=today()
    )
    holders = [unit] if place != "parent" else [world.units["P-A"], world.units["P-B"]]
    for n, holder in enumerate(holders):
        token = f"WALKCHECKED{place.upper()}{n}"
        checked = make_procedure(
            holder,
            status=Status.CHECKED,
            code=f"WALK-CHECKED-{place}-{n}",
            components=complete_components(f"Thủ tục chờ công bố {token}"),
        )
        objects.mark(token, "procedures.Procedure", checked)
        decision_add_item(decision=decision, version=checked.latest_version(), change=Change.NEW)
    return decision


@builder("portal.PublicProcedure")
def public_procedure(world, unit, place, objects):
    published = make_procedure(
        unit,
        status=Status.CHECKED,
        code=f"WALK-PUBLIC-{place}",
        components=complete_components(f"Thủ tục công khai {place}"),
    )
    decision = PublicationDecision.objects.create(
        number=f"2/QĐ-WALK-{place}", issuer=unit, signed_on=today(), signer="Nguyễn Văn A", effective_on=today()
    )
    decision_add_item(decision=decision, version=published.latest_version(), change=Change.NEW)
    decision_issue(decision=decision)
    return published


@builder("portal.PublicDecision")
def applied_decision(world, unit, place, objects):
    return PublicationDecision.objects.get(number=f"2/QĐ-WALK-{place}")


def procedure_of(place: str):
    from tinhgon.procedures.models import Procedure

    return Procedure.objects.get(code=f"WALK-{place}")


def build_objects(world) -> walk.Objects:
    """Every model in every place. Organisations carry no marker: a visible plan names its issuer, a visible review
    its procedure's owner, by design."""
    objects = walk.Objects()
    for label, build in walk.BUILDERS.items():
        for place, code in walk.PLACES.items():
            objects.add(label, place, build(world, world.units[code], place, objects))
    return objects


def is_public_procedure(policy, procedure) -> bool:
    return procedure.versions.filter(is_public=True).exists()


def is_public_decision(policy, decision) -> bool:
    return decision.status != DecisionStatus.DRAFT


SPECIAL = {"portal.PublicProcedure": is_public_procedure, "portal.PublicDecision": is_public_decision}


def visible_of(label: str):
    return SPECIAL.get(label) or walk.default_visible(label)
