"""Small documents of every kind the site converts to PDF (made by make_documents.py)."""

import io
import zipfile
from pathlib import Path

FOLDER = Path(__file__).resolve().parent
# Every sample holds this sentence; a conversion must keep it (Hangul included).
HANGUL_SENTENCE = "광주광역시 인공지능 중심도시 예산 보고서"


def marker(name):
    """A word found only in the sample `name` ("sample.docx" -> "quokkadocx")."""
    return "quokka" + name.rsplit(".", 1)[-1]


def sample(name):
    return FOLDER / name


def endless_docx():
    """A valid Word file of 400,000 paragraphs (4 MB of XML, a few KB zipped): pages for minutes."""
    with zipfile.ZipFile(sample("sample.docx")) as original:
        parts = {name: original.read(name) for name in original.namelist()}
    body = b"<w:p><w:r><w:t>Gwangju budget line, again and again.</w:t></w:r></w:p>" * 400_000
    document = parts["word/document.xml"]
    start = document.index(b"<w:body>") + len(b"<w:body>")
    parts["word/document.xml"] = document[:start] + body + document[start:]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as crafted:
        for name, data in parts.items():
            crafted.writestr(name, data)
    return buffer.getvalue()
