"""Every upload path of the application, fed the whole corpus of bad files (tinhgon/core/tests/bad_files): each one
refused with its Vietnamese message, no record written and no file left in storage. Good files go through.

Document uploads: a procedure's form, a plan's attachment, an assignment's evidence, an indicator value's evidence, a
month's QĐ 766 scores' evidence.
Workbook uploads: the registry's Excel import and a plan's task import (the staged file is removed on every path).
"""

from pathlib import Path

from django.test import override_settings
from django.utils.text import get_valid_filename

import pytest

from tinhgon.core.models import StagedFile
from tinhgon.core.tests.corpus import bad_files, good_files
from tinhgon.plans.models import Evidence, IndicatorValue, PlanAttachment
from tinhgon.plans.tests import factories as plan_factories
from tinhgon.procedures.models import ProcedureForm
from tinhgon.procedures.tests.factories import make_procedure
from tinhgon.quality.models import ServiceIndexScore

pytestmark = pytest.mark.django_db

BAD_DOCUMENTS = bad_files("document")
BAD_WORKBOOKS = bad_files("workbook")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def stored(media: Path) -> list[Path]:
    return [p for p in media.rglob("*") if p.is_file()]


@pytest.fixture
def paths(world):
    """(name, client user, url, form data builder, records that must stay empty) for each document upload."""
    procedure = make_procedure(world.units["P-A"])
    plan = plan_factories.plan(world.units["P-A"], title="Kế hoạch")
    task = plan_factories.task(plan, world.units["P-A"], executing=[world.units["P-A-1"]])
    part = task.assignments.get(organisation=world.units["P-A-1"])
    from tinhgon.plans.models import Indicator

    indicator = Indicator.objects.create(name="Tỷ lệ", target=90, organisation=world.units["P-A"])
    period = indicator_period(indicator)
    return [
        ("procedure form", world.focal_a, f"/thu-tuc/{procedure.pk}/mau-don/", lambda f: {"name": "Mẫu", "file": f},
         ProcedureForm),
        ("plan attachment", world.focal_a, f"/ke-hoach/{plan.pk}/", lambda f: {"attachment-title": "Tài liệu",
         "attachment-file": f}, PlanAttachment),
        ("evidence", world.officer_a1, f"/ke-hoach/phan-cong/{part.pk}/", lambda f: {"section": "evidence",
         "evidence-title": "Minh chứng", "evidence-file": f}, Evidence),
        ("indicator evidence", world.focal_a, f"/ke-hoach/chi-tieu/{indicator.pk}/", lambda f: {"section": "value",
         "value-period": period, "value-value": "95", "value-evidence": f}, IndicatorValue),
        ("766 evidence", world.focal_a, "/chat-luong/chi-so-766/nhap/", lambda f: {**score_entry(world),
         "evidence": f}, ServiceIndexScore),
    ]  # fmt: skip


def score_entry(world) -> dict:
    from tinhgon.quality.services import active_components

    points = {f"c_{c.code}": "10" for c in active_components()}
    return {"organisation": world.units["P-A"].pk, "month": "05/2026", **points}


def indicator_period(indicator) -> str:
    from tinhgon.plans import indicators

    return indicators.periods_of(indicator)[0].start.isoformat()


@pytest.mark.parametrize("item", BAD_DOCUMENTS, ids=lambda i: i.id)
def test_every_document_upload_path_refuses_the_bad_file(login, paths, media, item, record_property):
    for name, user, url, data, model in paths:
        with override_settings(**item.settings):
            response = login(user).post(url, data(item.upload()), follow=True)
        page = response.content.decode()
        assert response.status_code == 200, name
        assert item.document.message in page, f"{name}: {item.document.message!r} not shown"
        assert model.objects.count() == 0, name
    assert stored(media) == []
    record_property("bad_uploads", len(paths))


@pytest.mark.parametrize("item", good_files("document"), ids=lambda i: i.id)
def test_a_good_document_is_stored_under_its_safe_name(login, paths, media, item):
    name, user, url, data, model = paths[2]  # evidence
    login(user).post(url, data(item.upload()), follow=True)
    safe = get_valid_filename(item.document.name)  # the storage's own cleaning, after check_document's
    assert Path(model.objects.get().file.name).name.startswith(Path(safe).stem[:20])


@pytest.mark.parametrize("item", BAD_WORKBOOKS, ids=lambda i: i.id)
def test_every_import_refuses_the_bad_workbook_and_keeps_nothing(login, world, media, item, record_property):
    plan = plan_factories.plan(world.units["P-A"], title="Kế hoạch")
    imports = [
        ("/thu-tuc/nhap-excel/", {"owner": world.units["P-A"].pk}),
        (f"/ke-hoach/{plan.pk}/nhap-excel/", {}),
    ]
    for url, fields in imports:
        with override_settings(**item.settings):
            response = login(world.focal_a).post(url, {**fields, "file": item.upload()})
        assert response.status_code == 200
        assert item.workbook.message in response.content.decode(), url
    assert StagedFile.objects.count() == 0
    assert stored(media) == []
    record_property("bad_uploads", len(imports))
