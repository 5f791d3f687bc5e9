"""The printed samples of the default documents in docs/documents/ (issue 14, proof): each default template
rendered with the sample data of core.doctemplates, printed by LibreOffice, reads as the committed text of its PDF
(pdftotext -layout), so a change of layout shows in review and a stale sample fails here (`make documents`)."""

import io
import shutil
import zipfile
from pathlib import Path

import pytest

from tinhgon.core import doctemplates
from tinhgon.core.docx_templates import build

KINDS = list(doctemplates.KINDS.values())


def test_every_kind_has_a_sample_pdf_and_its_text_in_docs():
    for kind in KINDS:
        assert (build.SAMPLES / f"{kind.code}.pdf").stat().st_size > 10_000, kind.code
        assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in (build.SAMPLES / f"{kind.code}.txt").read_text(), kind.code


def test_every_default_renders_its_sample_data_with_each_table_in_its_place():
    for kind in KINDS:
        xml = zipfile.ZipFile(io.BytesIO(doctemplates.sample_docx(kind))).read("word/document.xml").decode()
        assert "[[bảng:" not in xml and "{{" not in xml and "{%" not in xml, kind.code
        assert "STT" in xml, kind.code  # a generated table is there


def test_the_readme_documents_every_variable_and_table_placeholder():
    readme = (build.SAMPLES / "README.md").read_text()
    for kind in KINDS:
        assert kind.label in readme
        for name in (*kind.variables, *kind.blocks):
            assert f"`{name}`" in readme, (kind.code, name)


@pytest.mark.rendering
@pytest.mark.skipif(not shutil.which("soffice") or not shutil.which("pdftotext"), reason="LibreOffice not installed")
def test_each_sample_printed_again_reads_as_the_committed_text(tmp_path: Path):
    paths = []
    for kind in KINDS:
        path = tmp_path / f"{kind.code}.docx"
        path.write_bytes(doctemplates.sample_docx(kind))
        paths.append(path)
    build.to_pdf(paths, tmp_path)
    for path in paths:
        committed = (build.SAMPLES / f"{path.stem}.txt").read_text()
        assert build.pdf_text(path.with_suffix(".pdf")) == committed, f"{path.stem}: run `make documents`"
