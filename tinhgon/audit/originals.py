"""Signed originals (bản gốc đã ký): the signed scan, or the digitally signed PDF, of an issued publication decision,
an issued approval decision or a submitted report, attached to its record (issue 14 item 5).

- A model takes one by inheriting `SignedOriginal` and saying which states take it (`original_states`) and who may
  attach it (`original_permission`, checked by the record's own `permits`: the issuer's managers).
- `attach_original(record, upload)` checks the upload by content (core/uploads.py: a PDF only, no JavaScript, no
  encryption, the size limit), records its SHA-256, reads its digital signatures with pyHanko, and saves it under
  the audit action `<app>.<name>.original_attached` (or `original_replaced`): the trail keeps the previous file's
  name and hash beside the new ones.
- Files are stored privately (MEDIA_ROOT is never served) and served by the app's view through core.files.

Signatures are read once, when the file is attached, and kept with the record (`original_signatures`): for each,
the signer (the certificate's subject CN and organisation), the signing time the signer's software wrote, whether
the signed bytes are intact and whether anything was changed after signing. Whether the certificate chains to a
trusted authority cannot be established offline (no trust list, no revocation lookups): it is never claimed, and
pages say "chưa xác thực được chuỗi chứng thư" instead of "hợp lệ"."""

import hashlib
import logging
from datetime import datetime
from typing import ClassVar

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from tinhgon.audit import context as audit
from tinhgon.core.files import download_name, serve_file
from tinhgon.core.uploads import check_document

PDF_ONLY = frozenset({"pdf"})
CHUNK = 64 * 1024

# What a signature's state means, as pages print it.
INTACT = "intact"  # the signed bytes are unchanged and nothing but signatures or form fields came after
ALTERED = "altered"  # the signed bytes were changed, or the document was edited after signing
UNREADABLE = "unreadable"  # a signature field pyHanko could not check
STATE_LABELS = {
    INTACT: "Nguyên vẹn từ khi ký; chưa xác thực được chuỗi chứng thư",
    ALTERED: "Tài liệu đã bị thay đổi sau khi ký: chữ ký không còn giá trị",
    UNREADABLE: "Không đọc được chữ ký số",
}

log = logging.getLogger(__name__)


def original_path(instance, filename):
    meta = instance._meta
    return f"originals/{meta.app_label}/{meta.model_name}/{instance.pk}/{filename}"


class SignedOriginal(models.Model):
    """The fields of a record's signed original; subclasses set `original_states` and `original_permission`."""

    original = models.FileField("bản gốc đã ký (PDF)", upload_to=original_path, blank=True)
    original_sha256 = models.CharField("mã băm SHA-256 của bản gốc", max_length=64, blank=True)
    original_signatures = models.JSONField("chữ ký số trong bản gốc", default=list, blank=True)
    original_attached_at = models.DateTimeField("thời điểm đính kèm bản gốc", null=True, blank=True)

    original_states: ClassVar[frozenset[str]] = frozenset()
    original_permission: ClassVar[str] = ""
    original_refusal: ClassVar[str] = "Chỉ văn bản đã ban hành mới đính kèm được bản gốc đã ký."

    class Meta:
        abstract = True

    @property
    def takes_original(self) -> bool:
        return self.status in self.original_states

    def signatures(self) -> list[dict]:
        """The signatures read from the original, with their state in words and their time as a datetime."""
        return [
            {
                **signature,
                "state_label": STATE_LABELS.get(signature.get("state"), STATE_LABELS[UNREADABLE]),
                "signed_at": _parsed(signature.get("signed_at")),
            }
            for signature in self.original_signatures or []
        ]


def _parsed(value):
    try:
        return datetime.fromisoformat(value) if value else None
    except ValueError:
        return None


def sha256_of(stream) -> str:
    stream.seek(0)
    digest = hashlib.sha256()
    while chunk := stream.read(CHUNK):
        digest.update(chunk)
    stream.seek(0)
    return digest.hexdigest()


def read_signatures(stream) -> list[dict]:
    """The digital signatures of a PDF (empty for a scan), each as a JSON-safe dict: field, signer, organisation,
    signed_at (ISO, as the signer's software wrote it), state (INTACT, ALTERED or UNREADABLE), covers_whole_file.
    Never raises on a malformed file: what cannot be read is reported as such."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    stream.seek(0)
    try:
        embedded = list(PdfFileReader(stream, strict=False).embedded_signatures)
    except Exception:  # noqa: BLE001 - a scan pyHanko cannot parse is still a scan; it just has no signature
        log.info("PDF not readable for signatures", exc_info=True)
        stream.seek(0)
        return []
    found = []
    for signature in embedded:
        entry = {"field": signature.field_name or "", "signer": "", "organisation": "", "signed_at": None}
        try:
            subject = signature.signer_cert.subject.native
            entry["signer"] = str(subject.get("common_name") or "")
            entry["organisation"] = str(subject.get("organization_name") or "")
            stamped = signature.self_reported_timestamp
            entry["signed_at"] = stamped.isoformat() if stamped else None
            # no trust roots and no fetching: the chain is never called trusted here (see the module docstring)
            status = validate_pdf_signature(signature, ValidationContext(trust_roots=[], allow_fetching=False))
            whole = status.coverage.name == "ENTIRE_FILE"
            edited = status.modification_level is not None and status.modification_level.name not in (
                "NONE",
                "LTA_UPDATES",
                "FORM_FILLING",
            )
            entry["covers_whole_file"] = whole
            entry["state"] = INTACT if status.intact and status.valid and not edited else ALTERED
        except Exception:  # noqa: BLE001 - one unreadable signature must not hide the others
            log.info("signature not readable", exc_info=True)
            entry["state"] = UNREADABLE
        found.append(entry)
    stream.seek(0)
    return found


def attach_original(record: SignedOriginal, upload) -> SignedOriginal:
    """Attach (or replace) the signed original of `record` (whose permission the caller has checked): refused, in
    Vietnamese, unless the record takes one now and the upload is a safe PDF within the size limit."""
    if not record.takes_original:
        raise ValidationError(record.original_refusal)
    checked = check_document(upload, allowed=PDF_ONLY)
    upload.name = checked.name
    digest = sha256_of(upload)
    signatures = read_signatures(upload)
    verb = "original_replaced" if record.original else "original_attached"
    with transaction.atomic(), audit.action(record.audit_code(verb)):
        record.original.save(checked.name, upload, save=False)
        record.original_sha256 = digest
        record.original_signatures = signatures
        record.original_attached_at = timezone.now()
        record.save(update_fields=["original", "original_sha256", "original_signatures", "original_attached_at"])
    return record


def serve_original(record: SignedOriginal, title: str):
    """The original of a record the caller found through its visibility rule, named after the record."""
    return serve_file(record.original, download_name(f"{title} (bản gốc đã ký)", "pdf"))


# --------------------------------------------------------------------------------------------------------------
# Pages: one address per record, GET to read the original, POST to attach or replace it
# --------------------------------------------------------------------------------------------------------------


def original_view(request, record: SignedOriginal, *, title: str, back: str):
    """GET: the original of a record found through its visibility rule (back to `back`, saying so, when none is
    attached yet); POST: attach or replace it (403 unless the record permits `original_permission`). Refusals
    come back to the record's page as a Vietnamese message."""
    from django.contrib import messages
    from django.core.exceptions import PermissionDenied
    from django.shortcuts import redirect

    if request.method == "POST":
        if not record.permits(request.policy, record.original_permission):
            raise PermissionDenied
        upload = request.FILES.get("original")
        if upload is None:
            messages.error(request, "Hãy chọn tệp PDF bản gốc đã ký.")
            return redirect(back)
        replacing = bool(record.original)
        try:
            attach_original(record, upload)
        except ValidationError as refused:
            messages.error(request, " ".join(refused.messages))
        else:
            messages.success(request, "Đã thay bản gốc đã ký." if replacing else "Đã đính kèm bản gốc đã ký.")
        return redirect(back)
    if not record.original:
        messages.info(request, "Văn bản chưa có bản gốc đã ký.")
        return redirect(back)
    return serve_original(record, title)


def card(record: SignedOriginal, url: str, policy=None) -> dict:
    """What components/signed_original.html shows: the record, the address of its original, and whether the
    upload form is offered (the record takes an original now and the user may attach it; never on the portal)."""
    from tinhgon.core.uploads import max_upload_bytes

    can_attach = bool(
        policy is not None and record.takes_original and record.permits(policy, record.original_permission)
    )
    return {"record": record, "url": url, "can_attach": can_attach, "max_mb": max_upload_bytes() // 1024 // 1024}
