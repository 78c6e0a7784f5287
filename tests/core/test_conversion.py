"""core.conversion: real documents of each kind become PDFs that keep their text (Hangul included),
drawn with the bundled font, titled and tagged; a document that hangs or crashes the converter is
stopped, and nothing half made is left at the destination. No clip, no database."""

import fcntl
import os
import socket
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from pypdf import PdfReader

from core import conversion
from tests.documents import HANGUL_SENTENCE, endless_docx, marker, sample

FONTS = sorted((Path(__file__).resolve().parents[2] / "static" / "fonts").glob("*.woff2"))
# One of each converter and container: HWP 5, HWPX, Word (OOXML and legacy), Excel, PowerPoint, ODF.
KINDS = {
    "sample.hwp": "hwp",
    "sample.hwpx": "hwp",
    "sample.docx": "writer",
    "sample.doc": "writer",
    "sample.xlsx": "calc",
    "sample.pptx": "impress",
    "sample.odt": "writer",
}


def squeeze(text):
    return "".join(text.split())


@pytest.fixture(scope="session")
def converted(tmp_path_factory):
    """Each sample converted once for the whole run (LibreOffice takes seconds a document), two at once."""
    work = tmp_path_factory.mktemp("conversions")
    fonts = conversion.fontconfig_file(FONTS, work)

    def run(name):
        destination = work / "out" / f"{name}.pdf"
        try:
            made = conversion.convert(
                sample(name),
                KINDS[name],
                destination,
                title=f"Budget notes ({name})",
                work_dir=work,
                slots=2,
                wait=600,
                fontconfig_file=fonts,
            )
        except conversion.ConversionFailed as exc:
            return name, exc, destination
        return name, made, destination

    with ThreadPoolExecutor(max_workers=2) as pool:
        return {name: (made, destination) for name, made, destination in pool.map(run, KINDS)}


@pytest.mark.parametrize("name", KINDS)
def test_each_kind_becomes_a_pdf_that_keeps_its_text_and_hangul(converted, name):
    made, destination = converted[name]
    assert isinstance(made, conversion.Converted), made
    reader = PdfReader(destination)
    assert made.pages == len(reader.pages) >= 1
    assert made.size == destination.stat().st_size
    text = "".join(page.extract_text() for page in reader.pages)
    assert squeeze(HANGUL_SENTENCE) in squeeze(text)
    assert marker(name) in text
    assert squeeze(HANGUL_SENTENCE) in squeeze(made.text), "the text reported for search"


@pytest.mark.parametrize("name", ["sample.hwp", "sample.docx"])
def test_hangul_is_drawn_with_the_bundled_font_not_boxes(converted, name):
    _, destination = converted[name]
    fonts = set()
    for page in PdfReader(destination).pages:
        for font in page["/Resources"]["/Font"].values():
            fonts.add(str(font.get_object()["/BaseFont"]))
    assert any("NotoSansCJK" in font for font in fonts), fonts


@pytest.mark.parametrize("name", KINDS)
def test_the_pdf_carries_the_title_and_a_language(converted, name):
    made, destination = converted[name]
    reader = PdfReader(destination)
    assert reader.metadata.title == f"Budget notes ({name})"
    assert reader.trailer["/Root"]["/Lang"] == made.language
    assert made.language in {"ko", "en"}
    assert reader.trailer["/Root"]["/ViewerPreferences"]["/DisplayDocTitle"]


def test_libreoffice_output_is_tagged_for_screen_readers(converted):
    made, destination = converted["sample.docx"]
    root = PdfReader(destination).trailer["/Root"]
    assert made.tagged
    assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"]


def test_hwp_output_is_reported_untagged(converted):
    made, _ = converted["sample.hwp"]
    assert not made.tagged  # rhwp draws pages: the site keeps "Ask for an accessible version"


def processes_mentioning(text):
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if text in (entry / "cmdline").read_bytes().decode(errors="replace"):
                    found.append(entry.name)
            except OSError:
                continue
    return found


def test_a_document_that_hangs_the_converter_is_stopped_at_the_time_limit(tmp_path):
    source = tmp_path / "endless.docx"
    source.write_bytes(endless_docx())
    destination = tmp_path / "out" / "endless.pdf"
    work = tmp_path / "work"
    with pytest.raises(conversion.ConversionFailed, match="longer than 2 seconds"):
        conversion.convert(source, "writer", destination, limits=conversion.Limits(seconds=2), work_dir=work)
    assert not destination.exists()
    assert processes_mentioning(str(work)) == [], "LibreOffice and its helpers are killed with the converter"
    assert [path.name for path in work.iterdir() if path.name.startswith("convert-")] == []


def test_a_damaged_hwp_that_crashes_the_converter_fails_with_a_reason(tmp_path):
    source = tmp_path / "damaged.hwp"
    source.write_bytes(sample("sample.hwp").read_bytes()[:5000])  # rhwp panics on the cut FAT
    destination = tmp_path / "damaged.pdf"
    with pytest.raises(conversion.ConversionFailed) as failure:
        conversion.convert(source, "hwp", destination, work_dir=tmp_path / "work")
    assert "damaged" in failure.value.reason or "could not read" in failure.value.reason
    assert not destination.exists()


def test_a_conversion_over_its_memory_limit_fails_rather_than_exhausting_the_host(tmp_path):
    destination = tmp_path / "out.pdf"
    with pytest.raises(conversion.ConversionFailed, match="more memory"):
        conversion.convert(
            sample("sample.hwp"),
            "hwp",
            destination,
            limits=conversion.Limits(memory_bytes=48 * 1024 * 1024),
            work_dir=tmp_path / "work",
        )
    assert not destination.exists()


def test_no_slot_free_means_no_conversion_now(tmp_path):
    work = tmp_path / "work"
    (work / "slots").mkdir(parents=True)
    with open(work / "slots" / "slot-0", "a+b") as busy:
        fcntl.flock(busy, fcntl.LOCK_EX)  # another process's conversion, as far as flock can tell
        with pytest.raises(conversion.NoSlotFree):
            conversion.convert(sample("sample.hwp"), "hwp", tmp_path / "out.pdf", work_dir=work, slots=1, wait=0)
    assert not (tmp_path / "out.pdf").exists()


@pytest.mark.skipif(not conversion.network_isolated(), reason="this host allows no network namespace")
def test_the_sandbox_has_no_network():
    # PostgreSQL listens on the host's loopback; inside the converters' namespace nothing answers.
    with socket.socket() as probe:
        reachable = probe.connect_ex(("127.0.0.1", 5432)) == 0
    script = "import socket,sys; s=socket.socket(); s.settimeout(2); sys.exit(s.connect_ex(('127.0.0.1', 5432)) == 0)"
    inside = subprocess.run([*conversion._network_isolation(), "python3", "-c", script], check=False)
    assert inside.returncode == 0, "a connection succeeded inside the sandbox"
    if not reachable:
        pytest.skip("nothing listens on 127.0.0.1:5432 outside either")


def test_unpacked_fonts_are_made_once(tmp_path):
    first = conversion.fontconfig_file(FONTS, tmp_path)
    modified = first.stat().st_mtime_ns
    assert conversion.fontconfig_file(FONTS, tmp_path) == first
    assert first.stat().st_mtime_ns == modified
    env = {**os.environ, "FONTCONFIG_FILE": str(first)}
    listed = subprocess.run(["fc-list", ":lang=ko", "family"], env=env, capture_output=True, text=True, check=True)
    assert "Noto Sans CJK KR" in listed.stdout
