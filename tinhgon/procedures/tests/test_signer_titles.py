"""Signer titles follow the issuer (issue 12): a decision's default title is its issuer's head, never a UBND title
for a ministry or a department."""

import importlib
from datetime import date

from django.apps import apps
from django.urls import reverse

import pytest

from tinhgon.core.dates import today
from tinhgon.organisations.models import Organisation
from tinhgon.procedures.documents import decision_docx
from tinhgon.procedures.models import PublicationDecision
from tinhgon.procedures.tests.test_documents import lines

K = Organisation.Kind


@pytest.mark.parametrize(
    "kind, head, deputy",
    [
        (K.PROVINCE, "CHỦ TỊCH", "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH"),
        (K.COMMUNE, "CHỦ TỊCH", "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH"),
        (K.DEPARTMENT, "GIÁM ĐỐC", "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC"),
        (K.MINISTRY, "BỘ TRƯỞNG", "KT. BỘ TRƯỞNG\nTHỨ TRƯỞNG"),
        (K.PROVINCIAL_OFFICE, "CHÁNH VĂN PHÒNG", "KT. CHÁNH VĂN PHÒNG\nPHÓ CHÁNH VĂN PHÒNG"),
    ],
)
def test_each_kind_of_unit_signs_under_its_head_or_a_deputy_for_the_head(kind, head, deputy):
    assert Organisation(kind=kind).signer_titles() == (head, deputy)


def test_a_ministry_decision_without_a_title_is_signed_by_the_minister(world, decision):
    world.units["P"].kind, world.units["P"].name = K.MINISTRY, "Bộ Nội vụ"
    world.units["P"].save()
    d = decision(number="101/QĐ-BNV", signed_on=date(2026, 1, 5))
    text = lines(decision_docx(d))
    assert "BỘ TRƯỞNG" in text and "BỘ TRƯỞNG BỘ NỘI VỤ" in text
    assert not any("CHỦ TỊCH" in line for line in text)


def test_the_form_gives_a_department_decision_its_directors_title(login, world):
    response = login(world.focal_a).post(
        reverse("procedures:decision-create"),
        {
            "number": "15/QĐ-SNV",
            "issuer": world.units["P-A"].pk,
            "signer": "Nguyễn Văn B",
            "signer_title": "",
            "effective_on": today().strftime("%d/%m/%Y"),
        },
    )
    assert response.status_code == 302
    assert PublicationDecision.objects.get(number="15/QĐ-SNV").signer_title == "GIÁM ĐỐC"


def test_the_form_keeps_a_deputy_signing_for_the_director(login, world):
    login(world.focal_a).post(
        reverse("procedures:decision-create"),
        {
            "number": "16/QĐ-SNV",
            "issuer": world.units["P-A"].pk,
            "signer": "Trần Thị C",
            "signer_title": "KT. GIÁM ĐỐC\r\nPHÓ GIÁM ĐỐC",
            "effective_on": today().strftime("%d/%m/%Y"),
        },
    )
    assert PublicationDecision.objects.get(number="16/QĐ-SNV").signer_title == "KT. GIÁM ĐỐC\r\nPHÓ GIÁM ĐỐC"


def test_the_api_gives_a_department_decision_its_directors_title(api, world):
    body = {"number": "17/QĐ-SNV", "issuer": "P-A", "signer": "Nguyễn Văn B", "effective_on": today().isoformat()}
    response = api(world.focal_a).post("/api/v1/decisions/", body, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["signer_title"] == "GIÁM ĐỐC"


def test_the_migration_gives_draft_department_decisions_left_with_chu_tich_their_directors_title(world, decision):
    draft = decision(issuer=world.units["P-A"], number="18/QĐ-SNV", signer_title="CHỦ TỊCH")
    province = decision(number="19/QĐ-UBND", signer_title="CHỦ TỊCH")
    migration = importlib.import_module("tinhgon.procedures.migrations.0012_fix_defaulted_signer_titles")
    migration.forward(apps, None)
    draft.refresh_from_db()
    province.refresh_from_db()
    assert (draft.signer_title, province.signer_title) == ("GIÁM ĐỐC", "CHỦ TỊCH")
