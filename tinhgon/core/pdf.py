"""PDF files in the official font on any machine (issue 14 item 6).

Documents are set in Times New Roman (NĐ 30/2020, Phụ lục I). A Linux server rarely has it, and a fresh one often
has no metric-compatible substitute either: WeasyPrint then fell back to DejaVu Sans, whose wider letters move every
line and page break. Tinos (Google's Times-metric design; the files in static/fonts/tinos/ are licensed under the
SIL Open Font License 1.1, OFL.txt beside them) is shipped with the application and declared to WeasyPrint under
the names the print stylesheets ask for ("Times New Roman", Tinos, "Liberation Serif"), so that `make run` needs
nothing from apt. LibreOffice (the rendering tests, the printed samples) finds the same files through
`fontconfig_env()`, which adds the folder to the system's fontconfig configuration and maps Times New Roman to it."""

import os
import tempfile
from functools import cache
from pathlib import Path

from django.conf import settings

FONT_DIR = Path(settings.BASE_DIR) / "tinhgon" / "static" / "fonts" / "tinos"
FACES = {  # (weight, style) -> file
    ("normal", "normal"): "Tinos-Regular.ttf",
    ("bold", "normal"): "Tinos-Bold.ttf",
    ("normal", "italic"): "Tinos-Italic.ttf",
    ("bold", "italic"): "Tinos-BoldItalic.ttf",
}
FAMILIES = ("Tinos",)  # the name the print stylesheets give after "Times New Roman", which a server seldom has


def font_faces_css() -> str:
    """@font-face rules binding each family the stylesheets name to the shipped files."""
    rules = []
    for family in FAMILIES:
        for (weight, style), name in FACES.items():
            rules.append(
                f'@font-face {{ font-family: "{family}"; font-weight: {weight}; font-style: {style}; '
                f'src: url("{(FONT_DIR / name).as_uri()}"); }}'
            )
    return "\n".join(rules)


def write_pdf(html: str) -> bytes:
    """`html` (a print page) as PDF bytes, in the shipped Times-metric font whatever the machine has."""
    from weasyprint import CSS, HTML  # imported here: loading Pango is slow and most requests never need it
    from weasyprint.text.fonts import FontConfiguration

    from tinhgon.core.word import nfc

    fonts = FontConfiguration()
    faces = CSS(string=font_faces_css(), font_config=fonts)
    return HTML(string=nfc(html)).write_pdf(stylesheets=[faces], font_config=fonts)


@cache
def fontconfig_file() -> str:
    """A fontconfig configuration: the system's, plus the shipped folder, with Times New Roman (and the serif
    default) resolved to Tinos. Written once per process to a temporary file."""
    config = f"""<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
  <dir>{FONT_DIR}</dir>
  <alias binding="same"><family>Times New Roman</family><prefer><family>Tinos</family></prefer></alias>
  <alias binding="same"><family>serif</family><prefer><family>Tinos</family></prefer></alias>
</fontconfig>
"""
    handle, path = tempfile.mkstemp(prefix="tinhgon-fonts-", suffix=".conf")
    with os.fdopen(handle, "w") as out:
        out.write(config)
    return path


def fontconfig_env(base: dict | None = None) -> dict:
    """The environment for a LibreOffice (or any fontconfig) process that must find the shipped font."""
    return {**(os.environ if base is None else base), "FONTCONFIG_FILE": fontconfig_file()}
