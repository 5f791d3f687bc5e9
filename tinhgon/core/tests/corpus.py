"""The corpus of hostile and good uploads (tests/bad_files, made by bad_files/make_corpus.py), for any test that
must prove an upload path refuses what it should:

    for item in bad_files():                       # refused by check_document
        with override_settings(**item.settings):
            response = client.post(url, {"file": item.upload()})
        assert item.document.message in page

`entries()` lists everything, `bad_files(check)` what `check` ("document" or "workbook") must refuse,
`good_files(check)` what it must accept. Files the manifest marks as generated (too big to commit) are built on
first use in a temporary folder.
"""

import hashlib
import json
import os
import tempfile
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile

from tinhgon.core.tests.bad_files import make_corpus

FOLDER = Path(__file__).resolve().parent / "bad_files"
CHECKS = ("document", "workbook")


@dataclass(frozen=True)
class Expected:
    """How one check must treat a file: refused with `message` in its text, or accepted (for check_document, with
    that kind, content type and sanitised name)."""

    refused: bool
    message: str = ""
    kind: str = ""
    content_type: str = ""
    name: str = ""


@dataclass(frozen=True)
class CorpusFile:
    path: Path
    upload_name: str  # the name the browser sends (may hold what no file system allows: NUL, “/”)
    made: str
    document: Expected
    workbook: Expected
    settings: dict = field(default_factory=dict)  # to apply while checking (override_settings)

    @property
    def id(self) -> str:
        return self.path.name

    def expected(self, check: str) -> Expected:
        return getattr(self, check)

    def data(self) -> bytes:
        return self.path.read_bytes()

    def upload(self) -> SimpleUploadedFile:
        """The file as a form would receive it (note: Django keeps only the last part of a name with “/”)."""
        return SimpleUploadedFile(self.upload_name, self.data())


def entries() -> list[CorpusFile]:
    return list(_entries())


def bad_files(check: str = "document") -> list[CorpusFile]:
    return [item for item in _entries() if item.expected(check).refused]


def good_files(check: str = "document") -> list[CorpusFile]:
    return [item for item in _entries() if not item.expected(check).refused]


@cache
def _entries() -> tuple[CorpusFile, ...]:
    manifest = json.loads((FOLDER / "manifest.json").read_text())
    return tuple(_corpus_file(item) for item in manifest["files"])


def _corpus_file(item: dict) -> CorpusFile:
    path = _generated(item["file"], item["generated"]) if item.get("generated") else FOLDER / item["file"]
    return CorpusFile(
        path=path,
        upload_name=item["upload_name"],
        made=item["made"],
        document=_expected(item["document"]),
        workbook=_expected(item["workbook"]),
        settings=item.get("settings", {}),
    )


def _expected(outcome: dict) -> Expected:
    if "refused" in outcome:
        return Expected(refused=True, message=outcome["refused"])
    return Expected(refused=False, **{k: v for k, v in outcome.items() if k != "accepted"})


def _generated(file: str, builder: str) -> Path:
    """The generated file, built once per machine (parallel test workers write it atomically)."""
    version = hashlib.sha256(Path(make_corpus.__file__).read_bytes()).hexdigest()[:12]  # a new script, new files
    folder = Path(tempfile.gettempdir()) / f"tinhgon-corpus-{os.getuid()}-{version}"
    folder.mkdir(exist_ok=True)
    path = folder / file
    if not path.exists():
        partial = folder / f".{file}.{os.getpid()}"
        partial.write_bytes(make_corpus.GENERATED[builder]())
        partial.replace(path)
    return path
