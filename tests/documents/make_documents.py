"""Makes the small documents in this folder, one of each kind the site converts to PDF.

Run from the repository root when they need to change (they are committed, so the tests
need neither tool):

    .venv/bin/python tests/documents/make_documents.py

The Office and ODF files are written by LibreOffice itself (Debian's libreoffice-*-nogui
packages) from the flat ODF text below; HWP 5 and HWPX by `hwp-converter-ai` (PyPI, a
Markdown to HWP/HWPX writer; install it in a scratch virtualenv, not in the project's:
`python3 -m venv /tmp/hwp && /tmp/hwp/bin/pip install hwp-converter-ai==0.2.0`, then
pass HWP_PYTHON=/tmp/hwp/bin/python). No document is downloaded.
"""

import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))
# The sentence every document holds, which must come out of every PDF (tests/documents/__init__.py).
from tests.documents import HANGUL_SENTENCE, marker  # noqa: E402

NAMESPACES = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
    'xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" '
    'xmlns:presentation="urn:oasis:names:tc:opendocument:xmlns:presentation:1.0"'
)


def flat(kind, body):
    mimetype = f"application/vnd.oasis.opendocument.{kind}"
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document {NAMESPACES} office:version="1.2" '
        f'office:mimetype="{mimetype}"><office:body>{body}</office:body></office:document>\n'
    )


def paragraphs(name):
    return f"Gwangju innovation notes ({name}). {HANGUL_SENTENCE} Keyword: {marker(name)}."


SOURCES = {
    "text": lambda name: flat(
        "text",
        f'<office:text><text:h text:outline-level="1">Budget notes</text:h><text:p>{paragraphs(name)}</text:p>'
        "</office:text>",
    ),
    "spreadsheet": lambda name: flat(
        "spreadsheet",
        '<office:spreadsheet><table:table table:name="Budget"><table:table-row>'
        f'<table:table-cell office:value-type="string"><text:p>{paragraphs(name)}</text:p></table:table-cell>'
        "</table:table-row></table:table></office:spreadsheet>",
    ),
    "presentation": lambda name: flat(
        "presentation",
        '<office:presentation><draw:page draw:name="Slide 1"><draw:frame svg:x="1cm" svg:y="2cm" '
        f'svg:width="24cm" svg:height="8cm"><draw:text-box><text:p>{paragraphs(name)}</text:p></draw:text-box>'
        "</draw:frame></draw:page></office:presentation>",
    ),
}
# name: (flat ODF source, LibreOffice output filter)
OFFICE = {
    "sample.docx": ("text", "docx:MS Word 2007 XML"),
    "sample.doc": ("text", "doc:MS Word 97"),
    "sample.odt": ("text", "odt"),
    "sample.xlsx": ("spreadsheet", "xlsx:Calc MS Excel 2007 XML"),
    "sample.xls": ("spreadsheet", "xls:MS Excel 97"),
    "sample.ods": ("spreadsheet", "ods"),
    "sample.pptx": ("presentation", "pptx:Impress MS PowerPoint 2007 XML"),
    "sample.ppt": ("presentation", "ppt:MS PowerPoint 97"),
    "sample.odp": ("presentation", "odp"),
}

HWP_SCRIPT = """
import sys
from pathlib import Path
from hwp_converter_ai import HwpWriter, HwpxGenerator
folder, hwp_text, hwpx_text = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
HwpWriter().from_markdown(hwp_text, folder / "sample.hwp")
HwpxGenerator().from_markdown(hwpx_text, output_path=folder / "sample.hwpx")
"""


def main():
    with tempfile.TemporaryDirectory() as scratch:
        scratch = Path(scratch)
        for name, (source, output_filter) in OFFICE.items():
            suffix = {"text": ".fodt", "spreadsheet": ".fods", "presentation": ".fodp"}[source]
            flat_file = scratch / f"{Path(name).suffix[1:]}{suffix}"
            flat_file.write_text(SOURCES[source](name), encoding="utf-8")
            subprocess.run(
                [
                    "soffice",
                    f"-env:UserInstallation={(scratch / 'profile').as_uri()}",
                    "--headless",
                    "--convert-to",
                    output_filter,
                    "--outdir",
                    str(scratch),
                    str(flat_file),
                ],
                check=True,
            )
            made = scratch / f"{flat_file.stem}{Path(name).suffix}"
            made.replace(HERE / name)
        hwp_python = os.environ.get("HWP_PYTHON", sys.executable)
        subprocess.run(
            [
                hwp_python,
                "-c",
                HWP_SCRIPT,
                str(HERE),
                f"# Budget notes\n\n{paragraphs('sample.hwp')}\n",
                f"# Budget notes\n\n{paragraphs('sample.hwpx')}\n",
            ],
            check=True,
        )


if __name__ == "__main__":
    main()
