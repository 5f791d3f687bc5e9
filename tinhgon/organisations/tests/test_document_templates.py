"""An organisation's own Word templates (issue 14, item 1): an administrator downloads the default of each kind of
document, uploads a version with the unit's own logo line, signer titles or căn cứ, and can go back to the default;
the template a document is printed with is the unit's own, else its nearest parent's, else the default; a template
that would not render (not a .docx, a Jinja error, an unknown variable, a table placeholder missing) is refused at
upload with the error in Vietnamese."""

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

import pytest

from tinhgon.core import doctemplates
from tinhgon.core.tests.corpus import bad_files
from tinhgon.organisations.models import DocumentTemplate, template_bytes

pytestmark = pytest.mark.django_db
KIND = "ke-hoach"


def url(name, code="P-A", kind=KIND):
    if name == "templates":
        return reverse("organisations:templates", args=[code])
    return reverse(f"organisations:template-{name}", args=[code, kind])


def edited(old: str, new: str, kind: str = KIND) -> bytes:
    """The default template of `kind` with `old` replaced by `new` in its text (word/document.xml)."""
    source = zipfile.ZipFile(io.BytesIO(doctemplates.KINDS[kind].default_bytes()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "word/document.xml":
                text = data.decode()
                assert old in text
                data = text.replace(old, new).encode()
            target.writestr(item, data)
    return out.getvalue()


def upload(client, data: bytes, name="mau-ke-hoach.docx", code="P-A"):
    return client.post(url("upload", code), {"file": SimpleUploadedFile(name, data)})


def refusal(response) -> str:
    assert response.status_code == 200
    return " ".join(response.context["form"].errors["file"])


def test_the_page_lists_every_kind_of_document_with_the_default_in_use(world, login):
    html = login(world.admin).get(url("templates")).content.decode()
    for kind in doctemplates.KINDS.values():
        assert kind.label in html
    assert html.count("Mẫu mặc định<") + html.count("Mẫu mặc định\n") >= 1


def test_the_default_template_downloads_as_a_word_file_named_after_its_kind(world, login):
    response = login(world.admin).get(url("default"))
    assert response.status_code == 200 and response.content == doctemplates.KINDS[KIND].default_bytes()
    assert "M%E1%BA%ABu%20m%E1%BA%B7c%20%C4%91%E1%BB%8Bnh" in response["Content-Disposition"]


def test_an_uploaded_template_is_used_by_the_unit_and_the_units_under_it_only(world, login):
    response = upload(login(world.admin), edited("Phụ lục", "Phụ lục của Sở A"))
    assert response.status_code == 302
    own = DocumentTemplate.objects.get(organisation=world.units["P-A"], kind=KIND)
    assert own.uploaded_by == world.admin
    assert b"Ph\xe1\xbb\xa5 l\xe1\xbb\xa5c c\xe1\xbb\xa7a S\xe1\xbb\x9f A" in zipfile.ZipFile(
        io.BytesIO(template_bytes(world.units["P-A-1"], KIND))
    ).read("word/document.xml")
    assert template_bytes(world.units["P-B"], KIND) == doctemplates.KINDS[KIND].default_bytes()
    client = login(world.admin)
    assert "Mẫu riêng của đơn vị, tải lên ngày" in client.get(url("templates")).content.decode()
    assert "Mẫu của Đơn vị P-A" in client.get(url("templates", code="P-A-1")).content.decode()


def test_a_nearer_units_template_wins_over_its_parents(world, login):
    client = login(world.admin)
    upload(client, edited("Phụ lục", "Phụ lục của tỉnh"), code="P")
    upload(client, edited("Phụ lục", "Phụ lục của Sở A"), code="P-A")
    assert DocumentTemplate.objects.nearest(world.units["P-A-1"], KIND).organisation == world.units["P-A"]
    assert DocumentTemplate.objects.nearest(world.units["P-B"], KIND).organisation == world.units["P"]


def test_the_template_in_use_downloads_and_reverting_goes_back_to_the_default(world, login):
    client = login(world.admin)
    data = edited("Phụ lục", "Phụ lục của Sở A")
    upload(client, data)
    assert b"".join(client.get(url("current")).streaming_content) == data
    assert client.post(url("revert")).status_code == 302
    assert not DocumentTemplate.objects.filter(organisation=world.units["P-A"]).exists()
    assert client.get(url("current")).content == doctemplates.KINDS[KIND].default_bytes()


def test_a_file_that_is_not_a_word_document_is_refused(world, login):
    response = upload(login(world.admin), b"%PDF-1.4\n%%EOF\n", name="mau.pdf")
    assert "Word" in refusal(response) or "docx" in refusal(response)
    assert not DocumentTemplate.objects.exists()


def test_a_jinja_syntax_error_is_refused_in_vietnamese(world, login):
    response = upload(login(world.admin), edited("{{ trich_yeu }}", "{{ trich_yeu + }}"))
    assert "Mẫu không dùng được: Mẫu sai cú pháp" in refusal(response)
    assert not DocumentTemplate.objects.exists()


def test_an_unknown_variable_is_refused_with_its_name(world, login):
    response = upload(login(world.admin), edited("{{ trich_yeu }}", "{{ ten_ke_hoach }}"))
    assert "Mẫu dùng biến không có: {{ ten_ke_hoach }}" in refusal(response)


def test_a_template_without_its_table_placeholder_is_refused(world, login):
    response = upload(login(world.admin), edited("{{ bang_nhiem_vu }}", "Bảng nhiệm vụ"))
    assert "Mẫu thiếu chỗ đặt bảng {{ bang_nhiem_vu }}" in refusal(response)


def test_an_unknown_kind_is_a_404(world, login):
    assert login(world.admin).get(url("default", kind="khong-co")).status_code == 404


@pytest.mark.parametrize("name", ["templates", "default", "current", "upload"])
def test_an_outsider_gets_404_and_a_member_without_the_right_403(world, login, client, name):
    assert login(world.outsider_admin).get(url(name)).status_code == 404
    assert login(world.leader_a).get(url(name)).status_code == 403


def test_an_outsider_cannot_upload_or_revert(world, login):
    DocumentTemplate.objects.create(
        organisation=world.units["P-A"], kind=KIND, file=SimpleUploadedFile("m.docx", edited("Phụ lục", "X"))
    )
    client = login(world.outsider_admin)
    assert upload(client, edited("Phụ lục", "Y")).status_code == 404
    assert client.post(url("revert")).status_code == 404
    assert DocumentTemplate.objects.filter(organisation=world.units["P-A"]).exists()


def test_a_loop_left_open_is_refused_naming_the_closing_tag(world, login):
    response = upload(login(world.admin), edited("{{ trich_yeu }}", "{%p if trich_yeu %}"))
    assert "thiếu thẻ đóng {% endif %}" in refusal(response)


def test_a_template_reaching_into_python_is_refused(world, login):
    """Templates run in Jinja's sandbox: an administrator's template cannot reach Python's internals."""
    response = upload(login(world.admin), edited("{{ trich_yeu }}", "{{ trich_yeu.__class__.__mro__ }}"))
    assert "Mẫu" in refusal(response)
    assert not DocumentTemplate.objects.exists()


@pytest.mark.parametrize("item", bad_files("document"), ids=lambda i: i.id)
def test_every_bad_file_of_the_corpus_is_refused_and_nothing_is_kept(world, login, settings, tmp_path, item):
    """The hostile files of core/tests/bad_files (polyglots, macros, XXE, ZIP bombs, traversal…) through the
    template upload: core/uploads.py refuses them before docxtpl opens anything."""
    settings.MEDIA_ROOT = tmp_path
    with override_settings(**item.settings):
        response = login(world.admin).post(url("upload"), {"file": item.upload()})
    assert response.status_code == 200 and response.context["form"].errors["file"]
    assert not DocumentTemplate.objects.exists()
    assert not [p for p in tmp_path.rglob("*") if p.is_file()]


def test_a_template_that_fails_on_real_data_gives_way_to_the_default_and_is_logged(world, caplog):
    """Uploads are tried on sample data only: a template whose expression fails on a real plan (here a variable the
    documents never give, stored without the upload's check) must not turn the clerk's download into an error."""
    from django.core.files.base import ContentFile

    from tinhgon.plans.appendix import plan_docx
    from tinhgon.plans.tests.factories import plan

    broken = edited("Phụ lục", "{{ bien_khong_co }}")
    DocumentTemplate.objects.create(
        organisation=world.units["P-A"], kind=KIND, file=ContentFile(broken, name="mau-hong.docx")
    )
    with caplog.at_level("WARNING", logger="tinhgon.organisations.models"):
        data = plan_docx(plan(world.units["P-A"]))
    assert b"bien_khong_co" not in zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml")
    assert "in bằng mẫu mặc định" in caplog.text
