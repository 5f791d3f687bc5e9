"""PDFs are set in a Times-metric font on any machine (issue 14 item 6): the shipped Tinos (core/pdf.py), never the
DejaVu Sans a fresh server falls back to."""

import io
import os
import shutil
import subprocess
import sys

from django.conf import settings

import pytest
from pypdf import PdfReader

from tinhgon.core.pdf import FACES, FONT_DIR, fontconfig_env, write_pdf

PAGE = (
    "<html><body style=\"font-family: 'Times New Roman', Tinos, 'Liberation Serif', serif\">"
    "<p>Quyết định số 12/QĐ-UBND <b>CHỦ TỊCH</b> <i>Nơi nhận</i></p></body></html>"
)
# A machine with no Times-metric font: fontconfig knows only the DejaVu folder (if even that exists), with the
# system's rules, which resolve Times New Roman to DejaVu Serif.
FRESH_MACHINE = """<?xml version="1.0"?>
<fontconfig><dir>/usr/share/fonts/truetype/dejavu</dir>
<include ignore_missing="yes">/etc/fonts/conf.d</include><cachedir>{cache}</cachedir></fontconfig>
"""
FONTS_OF = """
import io, sys, django
django.setup()
from pypdf import PdfReader
from tinhgon.core.pdf import write_pdf
pdf = PdfReader(io.BytesIO(write_pdf(sys.stdin.read())))
fonts = {str(f.get_object()["/BaseFont"]) for p in pdf.pages for f in p["/Resources"]["/Font"].values()}
print(" ".join(sorted(fonts)))
"""


def fonts_of(pdf: bytes) -> set[str]:
    """The fonts a PDF embeds, without the subset prefix (ABCDEF+Tinos-Bold → Tinos-Bold)."""
    reader = PdfReader(io.BytesIO(pdf))
    return {
        str(font.get_object()["/BaseFont"]).lstrip("/").split("+")[-1]
        for page in reader.pages
        for font in page["/Resources"].get("/Font", {}).values()
    }


def test_the_font_files_and_their_licence_are_shipped():
    assert all((FONT_DIR / name).stat().st_size > 100_000 for name in FACES.values())
    assert "SIL OPEN FONT LICENSE" in (FONT_DIR / "OFL.txt").read_text()


def test_a_print_page_is_set_in_tinos():
    fonts = fonts_of(write_pdf(PAGE))
    assert fonts == {"Tinos", "Tinos-Bold", "Tinos-Italic"}


def test_a_machine_without_a_times_metric_font_still_prints_in_tinos(tmp_path):
    config = tmp_path / "fonts.conf"
    config.write_text(FRESH_MACHINE.format(cache=tmp_path / "cache"))
    env = {**os.environ, "FONTCONFIG_FILE": str(config), "DJANGO_SETTINGS_MODULE": "tinhgon.settings_test"}
    result = subprocess.run(
        [sys.executable, "-c", FONTS_OF],
        input=PAGE,
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    fonts = {name.lstrip("/").split("+")[-1] for name in result.stdout.split()}
    assert fonts == {"Tinos", "Tinos-Bold", "Tinos-Italic"}, result.stdout


@pytest.mark.skipif(not shutil.which("fc-match"), reason="fontconfig tools not installed")
def test_libreoffice_is_given_tinos_for_times_new_roman():
    found = subprocess.run(
        ["fc-match", "-f", "%{family}|%{file}", "Times New Roman"],
        env=fontconfig_env(),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout
    assert found.startswith("Tinos")


@pytest.mark.django_db
def test_a_procedure_pdf_uses_no_dejavu(world):
    from tinhgon.procedures.documents import procedure_pdf
    from tinhgon.procedures.tests.factories import make_procedure

    fonts = fonts_of(procedure_pdf(make_procedure(world.units["P-A"]).latest_version()))
    assert fonts and all(name.startswith("Tinos") for name in fonts), fonts
