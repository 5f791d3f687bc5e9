"""Signed originals (issue 14 item 5): the signed PDF of an issued publication decision, an issued approval decision
or a submitted report is attached by the issuer's managers, checked by content, hashed, its digital signatures read
with pyHanko, shown on the staff pages and (for a publication decision) on the portal, and served privately."""

import datetime
import hashlib
import io
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

import pytest
from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import signers
from pypdf import PdfWriter

from tinhgon.audit.models import AuditLogEntry
from tinhgon.audit.originals import ALTERED, INTACT, attach_original, read_signatures
from tinhgon.procedures.constants import Change, Status
from tinhgon.procedures.services import decision_add_item, decision_issue
from tinhgon.procedures.tests.factories import make_procedure
from tinhgon.reviews.constants import ApprovalStatus
from tinhgon.reviews.models import ApprovalDecision

pytestmark = pytest.mark.django_db

BAD = Path(__file__).parents[2] / "core" / "tests" / "bad_files"  # the shared corpus of hostile uploads
SIGNER, AGENCY = "Nguyễn Văn An", "Ủy ban nhân dân tỉnh P"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def pdf_upload(content: bytes, name="Quyết định 12.pdf", content_type="application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def plain_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def signed_pdf() -> bytes:
    """A one-page PDF signed with pyHanko by a self-signed certificate made here (CN and O of a signer)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name(
        [x509.NameAttribute(NameOID.COMMON_NAME, SIGNER), x509.NameAttribute(NameOID.ORGANIZATION_NAME, AGENCY)]
    )
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    signer = signers.SimpleSigner(
        signing_cert=asn1_x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER)),
        signing_key=asn1_keys.PrivateKeyInfo.load(
            key.private_bytes(
                serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            )
        ),
        cert_registry=None,
    )
    writer = IncrementalPdfFileWriter(io.BytesIO(plain_pdf()))
    meta = signers.PdfSignatureMetadata(field_name="ChuKy1")
    return signers.sign_pdf(writer, meta, signer=signer).getvalue()


def tampered(signed: bytes) -> bytes:
    """The signed PDF with one byte of the signed page changed (its width), length unchanged."""
    at = signed.index(b"/MediaBox")
    return signed[:at] + signed[at:].replace(b"595", b"596", 1)


@pytest.fixture
def issued(world, decision):
    """An issued decision of the province P publishing a procedure of P-A."""
    procedure = make_procedure(world.units["P-A"], status=Status.CHECKED)
    d = decision(number="12/QĐ-UBND")
    decision_add_item(decision=d, version=procedure.latest_version(), change=Change.NEW)
    decision_issue(decision=d)
    d.refresh_from_db()
    return d


def page(decision):
    return reverse("procedures:decision-original", args=[decision.pk])


def portal_page(decision):
    return reverse("portal:decision-original", args=[decision.pk])


# Attaching ----------------------------------------------------------------------------------------------------


def test_the_original_is_stored_with_its_sha256(issued):
    content = plain_pdf()
    attach_original(issued, pdf_upload(content))
    issued.refresh_from_db()
    assert issued.original_sha256 == hashlib.sha256(content).hexdigest()
    assert issued.original.read() == content
    assert issued.original_signatures == []  # a scan: no digital signature


def test_a_draft_decision_takes_no_original(world, decision):
    with pytest.raises(ValidationError, match="Chỉ văn bản đã ban hành"):
        attach_original(decision(), pdf_upload(plain_pdf()))


def test_the_issuers_focal_point_attaches_the_original_from_the_decision_page(login, world, issued):
    response = login(world.focal_p).post(page(issued), {"original": pdf_upload(plain_pdf())})
    assert response.status_code == 302
    issued.refresh_from_db()
    assert issued.original
    shown = login(world.focal_p).get(reverse("procedures:decision", args=[issued.pk])).content.decode()
    assert issued.original_sha256 in shown
    assert "Thay bản gốc đã ký" in shown  # the form is offered again, to replace it


def test_a_leader_of_a_unit_whose_procedure_is_in_it_may_not_attach(login, world, issued):
    response = login(world.leader_a).post(page(issued), {"original": pdf_upload(plain_pdf())})
    assert response.status_code == 403
    issued.refresh_from_db()
    assert not issued.original


def test_replacing_keeps_the_previous_hash_in_the_audit_trail(issued):
    first, second = plain_pdf(), plain_pdf() + b"\n% rescanned\n"
    attach_original(issued, pdf_upload(first))
    attach_original(issued, pdf_upload(second))
    entry = AuditLogEntry.objects.filter(action="procedures.decision.original_replaced").get()
    assert entry.changes["original_sha256"] == [
        hashlib.sha256(first).hexdigest(),
        hashlib.sha256(second).hexdigest(),
    ]
    assert AuditLogEntry.objects.filter(action="procedures.decision.original_attached").count() == 1


# Who reads it -------------------------------------------------------------------------------------------------


def test_the_original_of_an_issued_decision_is_public_on_the_portal(client, issued):
    content = plain_pdf()
    attach_original(issued, pdf_upload(content))
    response = client.get(portal_page(issued))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == content
    assert response["Content-Type"] == "application/pdf"
    assert "sandbox" in response["Content-Security-Policy"]
    shown = client.get(reverse("portal:decision", args=[issued.pk])).content.decode()
    assert issued.original_sha256 in shown and portal_page(issued) in shown
    assert "Thay bản gốc đã ký" not in shown and "Đính kèm bản gốc" not in shown  # no upload form on the portal


def test_a_drafts_original_is_a_404_for_visitors_and_outsiders(client, login, world, decision):
    draft = decision()
    assert client.get(portal_page(draft)).status_code == 404
    assert login(world.outsider).get(page(draft)).status_code == 404


def test_an_issued_decisions_staff_address_is_for_signed_in_users_only(client, issued):
    attach_original(issued, pdf_upload(plain_pdf()))
    response = client.get(page(issued))
    assert response.status_code == 302 and "/dang-nhap/" in response["Location"]


def test_an_outsider_reads_an_issued_original_only_through_the_portal(login, world, issued):
    attach_original(issued, pdf_upload(plain_pdf()))
    outsider = login(world.outsider)
    assert outsider.get(page(issued)).status_code == 404
    assert outsider.get(portal_page(issued)).status_code == 200


def test_the_storage_path_serves_nothing(login, world, issued):
    attach_original(issued, pdf_upload(plain_pdf()))
    assert login(world.focal_p).get(f"/media/{issued.original.name}").status_code == 404


# Hostile uploads ----------------------------------------------------------------------------------------------


def test_a_program_renamed_pdf_is_refused(login, world, issued):
    exe = (BAD / "exe_as.pdf").read_bytes()
    response = login(world.focal_p).post(page(issued), {"original": pdf_upload(exe)}, follow=True)
    assert "chương trình chạy được" in response.content.decode()
    issued.refresh_from_db()
    assert not issued.original


def test_a_pdf_with_javascript_is_refused(issued):
    with pytest.raises(ValidationError, match="JavaScript|mã chạy|mã lệnh"):
        attach_original(issued, pdf_upload((BAD / "javascript.pdf").read_bytes()))


def test_a_word_file_is_refused_as_an_original(issued):
    with pytest.raises(ValidationError, match="Tệp không phải tài liệu PDF"):
        attach_original(issued, pdf_upload((BAD / "good.docx").read_bytes(), name="quyet-dinh.docx"))


def test_a_file_over_the_size_limit_is_refused(settings, issued):
    settings.TINHGON_MAX_UPLOAD_MB = 0.001  # about 1 kB
    with pytest.raises(ValidationError, match="Tệp quá lớn"):
        attach_original(issued, pdf_upload(plain_pdf() + b"%" + b"x" * 4096 + b"\n"))


# Digital signatures -------------------------------------------------------------------------------------------


def test_the_signer_and_time_of_a_digitally_signed_pdf_are_read():
    before = datetime.datetime.now(datetime.UTC).replace(microsecond=0)
    [signature] = read_signatures(io.BytesIO(signed_pdf()))
    after = datetime.datetime.now(datetime.UTC)
    assert (signature["signer"], signature["organisation"]) == (SIGNER, AGENCY)
    assert before <= datetime.datetime.fromisoformat(signature["signed_at"]) <= after
    assert signature["state"] == INTACT


def test_a_tampered_signed_pdf_is_reported_as_altered():
    [signature] = read_signatures(io.BytesIO(tampered(signed_pdf())))
    assert signature["state"] == ALTERED
    assert signature["signer"] == SIGNER  # who signed is still read: what they signed is not what is there


def test_a_signature_whose_chain_is_unknown_is_never_called_valid(login, world, issued):
    attach_original(issued, pdf_upload(signed_pdf()))
    shown = login(world.focal_p).get(reverse("procedures:decision", args=[issued.pk])).content.decode()
    assert SIGNER in shown and AGENCY in shown
    assert "chưa xác thực được chuỗi chứng thư" in shown
    assert "hợp lệ" not in shown.lower()


def test_a_tampered_original_is_shown_as_altered_on_the_portal(client, issued):
    attach_original(issued, pdf_upload(tampered(signed_pdf())))
    shown = client.get(reverse("portal:decision", args=[issued.pk])).content.decode()
    assert "đã bị thay đổi sau khi ký" in shown


# The API ------------------------------------------------------------------------------------------------------


def test_the_api_shows_the_originals_address_hash_and_signer(api, world, issued):
    attach_original(issued, pdf_upload(signed_pdf()))
    data = api(world.focal_p).get(f"/api/v1/decisions/{issued.pk}/").json()["original"]
    assert data["url"] == f"/api/v1/decisions/{issued.pk}/original/"
    assert data["sha256"] == issued.original_sha256
    assert [(s["signer"], s["state"]) for s in data["signatures"]] == [(SIGNER, INTACT)]
    assert api(world.focal_p).get(data["url"]).status_code == 200


def test_the_api_upload_attaches_and_refuses_with_the_reason(api, world, issued):
    client = api(world.focal_p)
    url = f"/api/v1/decisions/{issued.pk}/original/"
    refused = client.post(url, {"file": pdf_upload((BAD / "exe_as.pdf").read_bytes())}, format="multipart")
    assert refused.status_code == 400 and "chương trình chạy được" in str(refused.json())
    accepted = client.post(url, {"file": pdf_upload(plain_pdf())}, format="multipart")
    assert accepted.status_code == 200 and accepted.json()["original"]["sha256"]


def test_the_api_says_when_a_draft_has_no_original(api, world, decision):
    response = api(world.focal_p).get(f"/api/v1/decisions/{decision().pk}/original/")
    assert response.status_code == 404


# Approval decisions and reports -------------------------------------------------------------------------------


def test_an_issued_approval_decision_takes_an_original_from_its_issuers_approver(login, world):
    approval = ApprovalDecision.objects.create(number="5/QĐ-UBND", issuer=world.units["P"], signer="Nguyễn Văn A")
    url = reverse("reviews:approval-original", args=[approval.pk])
    login(world.chair_p).post(url, {"original": pdf_upload(plain_pdf())})
    approval.refresh_from_db()
    assert not approval.original  # a draft takes none
    ApprovalDecision.objects.filter(pk=approval.pk).update(status=ApprovalStatus.ISSUED)
    login(world.chair_p).post(url, {"original": pdf_upload(plain_pdf())})
    approval.refresh_from_db()
    assert approval.original_sha256 == hashlib.sha256(plain_pdf()).hexdigest()


def test_a_submitted_report_takes_an_original_and_shows_it(login, world):
    from tinhgon.reports import services
    from tinhgon.reports.periods import Kind

    report = services.report_create(organisation=world.units["P-A"], kind=Kind.ANNUAL, year=2026, number=1)
    report = services.report_write(report=report, results="Đã hoàn thành các nhiệm vụ.")
    with pytest.raises(ValidationError, match="Chỉ báo cáo đã gửi"):
        attach_original(report, pdf_upload(plain_pdf()))
    report.submit(by=world.leader_a)
    login(world.leader_a).post(reverse("reports:original", args=[report.pk]), {"original": pdf_upload(plain_pdf())})
    report.refresh_from_db()
    assert report.original
    shown = login(world.leader_a).get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert report.original_sha256 in shown
