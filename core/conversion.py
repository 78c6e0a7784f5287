"""Untrusted documents (HWP, HWPX, Office, ODF) to PDF, each in a sandboxed process.

`convert` is all a caller needs: it takes a slot (at most `slots` conversions at once on this
host, whatever process asks: one `flock`ed file per slot), copies the document into a folder
of its own, and runs this module as a separate program (`python -m core.conversion`) with

- a time limit: past it the whole process group is killed (LibreOffice starts helpers);
- a memory limit (RLIMIT_AS), a CPU-time limit (RLIMIT_CPU) and an output size limit (RLIMIT_FSIZE);
- no network: a network namespace of its own (`unshare -n`, or `-rn` without root) where the
  machine allows one; elsewhere the converters run with the host's network (logged once);
- its own LibreOffice profile, home and temporary folder inside that folder, removed afterwards;
- fontconfig pointed at the fonts given (`fontconfig_file`), so Hangul renders whatever fonts
  the host has.

The program converts (LibreOffice headless with its tagged-PDF export, or `hwp-ingest` for HWP 5
and HWPX), opens the result with pypdf, counts its pages, extracts its text, writes the title
and language into it and reports in a small JSON file. The parent checks that report and the
PDF's header and trailer, and only then moves the file into place by a rename: nothing half
made is ever at `destination`.

Knows nothing of clips or Django.
"""

import contextlib
import dataclasses
import errno
import fcntl
import functools
import hashlib
import json
import logging
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

logger = logging.getLogger(__name__)

# What each converter is: LibreOffice with the PDF export filter of its module, or hwp-ingest.
CONVERTERS = {
    "writer": "writer_pdf_Export",
    "calc": "calc_pdf_Export",
    "impress": "impress_pdf_Export",
    "hwp": None,
}
# LibreOffice's PDF export options (JSON form, LibreOffice 7.4+): tagged PDF for screen readers,
# the document title shown in the viewer's title bar, bookmarks from the headings.
_LIBREOFFICE_OPTIONS = {
    "UseTaggedPDF": {"type": "boolean", "value": "true"},
    "DisplayPDFDocumentTitle": {"type": "boolean", "value": "true"},
    "ExportBookmarks": {"type": "boolean", "value": "true"},
}
REPORT = "report.json"
RESULT = "document.pdf"
_ROOT = Path(__file__).resolve().parent.parent


@dataclasses.dataclass(frozen=True)
class Limits:
    seconds: int = 120
    memory_bytes: int = 1536 * 1024 * 1024
    output_bytes: int = 200 * 1024 * 1024
    text_chars: int = 200_000


@dataclasses.dataclass(frozen=True)
class Converted:
    """A PDF now at the destination, with what the reader and the search index need of it."""

    pages: int
    size: int
    sha256: str
    text: str
    language: str
    tagged: bool


class ConversionFailed(Exception):
    """The document could not be converted; `reason` is worded for an editor."""

    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


class NoSlotFree(Exception):
    """Every conversion slot on this host stayed busy for the wait allowed: try again later."""


# --- the parent side -------------------------------------------------------------------


def convert(
    source,
    converter,
    destination,
    *,
    title="",
    limits=Limits(),
    work_dir,
    slots=1,
    wait=0.0,
    fontconfig_file=None,
):
    """Convert the document at `source` with `converter` (a key of CONVERTERS) into a PDF at
    `destination`, titled `title`. Raises ConversionFailed, or NoSlotFree when `slots`
    conversions are already running on this host and none ends within `wait` seconds."""
    if converter not in CONVERTERS:
        raise ValueError(f"Unknown converter {converter!r}")
    work_dir = Path(work_dir)
    work_dir.mkdir(parents=True, exist_ok=True)
    with _slot(work_dir, slots, wait):
        folder = Path(tempfile.mkdtemp(prefix="convert-", dir=work_dir))
        try:
            return _convert_in(folder, Path(source), converter, Path(destination), title, limits, fontconfig_file)
        finally:
            shutil.rmtree(folder, ignore_errors=True)


@contextlib.contextmanager
def _slot(work_dir, slots, wait):
    """Hold one of `slots` lock files under `work_dir` (flock: released by the kernel if the holder dies)."""
    locks = work_dir / "slots"
    locks.mkdir(exist_ok=True)
    deadline = time.monotonic() + wait
    while True:
        for number in range(max(1, slots)):
            handle = open(locks / f"slot-{number}", "a+b")  # noqa: SIM115 (closed below or on release)
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError as exc:
                handle.close()
                if exc.errno not in (errno.EAGAIN, errno.EACCES):
                    raise
                continue
            try:
                yield number
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)
                handle.close()
            return
        if time.monotonic() >= deadline:
            raise NoSlotFree(f"All {slots} conversion slot(s) are busy.")
        time.sleep(0.2)


def _convert_in(folder, source, converter, destination, title, limits, fontconfig_file):
    inbox, outbox, home = folder / "in", folder / "out", folder / "home"
    for path in (inbox, outbox, home, home / "tmp"):
        path.mkdir()
    document = inbox / f"document{source.suffix.lower()}"
    shutil.copyfile(source, document)
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "TMPDIR": str(home / "tmp"),
        "LANG": "C.UTF-8",
        "PYTHONPATH": str(_ROOT),
        "PYTHONDONTWRITEBYTECODE": "1",
        "SAL_USE_VCLPLUGIN": "svp",  # LibreOffice: no display, ever
    }
    if fontconfig_file:
        env["FONTCONFIG_FILE"] = str(fontconfig_file)
    command = [
        *_network_isolation(),
        sys.executable,
        "-m",
        "core.conversion",
        converter,
        str(document),
        str(outbox),
        title,
        str(limits.text_chars),
    ]
    log = folder / "log.txt"
    with open(log, "wb") as output:
        # Output to a file, not a pipe: a helper the converter leaves running would hold a pipe open.
        process = subprocess.Popen(
            command,
            cwd=home,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, killed as one
            preexec_fn=functools.partial(_apply_limits, limits),
        )
    try:
        process.wait(timeout=limits.seconds)
    except subprocess.TimeoutExpired:
        _kill_group(process)
        raise ConversionFailed(
            f"The conversion took longer than {limits.seconds} seconds and was stopped. "
            "The document may be very long or damaged."
        ) from None
    finally:
        _kill_group(process)  # helpers left behind by a converter that exited
    report = _read_report(outbox)
    if process.returncode != 0 or report is None:
        reason = (report or {}).get("error") or _describe_exit(process.returncode)
        logger.info(
            "Conversion of %s failed (%s): %s",
            source.name,
            process.returncode,
            log.read_bytes()[-2000:].decode(errors="replace"),
        )
        raise ConversionFailed(reason)
    result = outbox / RESULT
    _check_pdf(result, limits)
    destination.parent.mkdir(parents=True, exist_ok=True)
    staged = destination.with_name(f".{destination.name}.{uuid.uuid4().hex}.part")
    try:
        shutil.copyfile(result, staged)
        os.replace(staged, destination)
    finally:
        staged.unlink(missing_ok=True)
    with open(destination, "rb") as stored:
        digest = hashlib.file_digest(stored, "sha256").hexdigest()
    return Converted(
        pages=report["pages"],
        size=destination.stat().st_size,
        sha256=digest,
        text=report["text"],
        language=report["language"],
        tagged=report["tagged"],
    )


def _apply_limits(limits):
    """In the child, before it runs anything: the limits every process it starts inherits."""
    resource.setrlimit(resource.RLIMIT_AS, (limits.memory_bytes, limits.memory_bytes))
    cpu = max(1, limits.seconds)
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 5))
    resource.setrlimit(resource.RLIMIT_FSIZE, (limits.output_bytes, limits.output_bytes))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def _kill_group(process):
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=10)


def _describe_exit(code):
    if code is not None and code < 0:
        name = signal.Signals(-code).name if -code in signal.Signals._value2member_map_ else str(-code)
        if -code in (signal.SIGXCPU, signal.SIGKILL):
            return "The conversion used more time than it is allowed and was stopped."
        return f"The converter crashed ({name}). The document may be damaged."
    return "The converter could not read this document. It may be damaged or in an unusual version of its format."


def _read_report(outbox):
    try:
        report = json.loads((outbox / REPORT).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(report, dict):
        return None
    if "error" in report:
        return {"error": str(report["error"])}
    try:
        return {
            "pages": int(report["pages"]),
            "text": str(report["text"]),
            "language": str(report["language"])[:16],
            "tagged": bool(report["tagged"]),
        }
    except (KeyError, TypeError, ValueError):
        return None


def _check_pdf(path, limits):
    """The parent's own look at what the sandbox made: a whole PDF of a sane size."""
    try:
        size = path.stat().st_size
        with open(path, "rb") as pdf:
            head = pdf.read(5)
            pdf.seek(max(0, size - 1024))
            tail = pdf.read()
    except OSError:
        raise ConversionFailed("The converter made no PDF.") from None
    if head != b"%PDF-" or b"%%EOF" not in tail or not 0 < size <= limits.output_bytes:
        raise ConversionFailed("The converter made a damaged PDF.")


@functools.cache
def _network_isolation():
    """The command prefix that gives a process no network, or [] where the host allows none."""
    if shutil.which("unshare") is None:
        logger.warning("Document conversions run with network access: `unshare` is not installed.")
        return []
    prefixes = [["unshare", "--net"]] if os.geteuid() == 0 else []
    prefixes.append(["unshare", "--map-root-user", "--net"])
    for prefix in prefixes:
        probe = subprocess.run([*prefix, "true"], capture_output=True, check=False)
        if probe.returncode == 0:
            return prefix
    logger.warning("Document conversions run with network access: this host allows no network namespace.")
    return []


def network_isolated():
    """Whether conversions run without network on this host (for the readiness report and tests)."""
    return bool(_network_isolation())


def fontconfig_file(fonts, work_dir):
    """A fontconfig file that adds `fonts` (TTF/OTF, or WOFF2 unpacked here) to the system's
    and prefers them for the generic families, so that documents naming fonts the host lacks
    (Batang, Malgun Gothic, 함초롬바탕...) fall back to them. Made once per set of fonts."""
    fonts = [Path(font) for font in fonts]
    digest = hashlib.sha256()
    for font in fonts:
        digest.update(font.name.encode())
        digest.update(font.read_bytes())
    folder = Path(work_dir) / f"fonts-{digest.hexdigest()[:16]}"
    config = folder / "fonts.conf"
    if config.exists():
        return config
    Path(work_dir).mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".fonts-", dir=work_dir))
    families = []
    for font in fonts:
        families.append(_unpacked_font(font, staging))
    preferred = "".join(f"<family>{family}</family>" for family in dict.fromkeys(families))
    aliases = "".join(
        f'<alias binding="strong"><family>{generic}</family><prefer>{preferred}</prefer></alias>'
        for generic in ("sans-serif", "serif", "monospace")
    )
    (staging / "fonts.conf").write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n<fontconfig>'
        '<include ignore_missing="yes">/etc/fonts/fonts.conf</include>'
        f"<dir>{folder}</dir><cachedir>{folder / 'cache'}</cachedir>{aliases}</fontconfig>\n",
        encoding="utf-8",
    )
    try:
        os.rename(staging, folder)
    except OSError:  # another process made it first
        shutil.rmtree(staging, ignore_errors=True)
    return config


def _unpacked_font(font, folder):
    """Copy `font` into `folder` as an OpenType/TrueType file; returns its family name."""
    from fontTools.ttLib import TTFont

    with TTFont(font) as face:
        family = face["name"].getDebugName(1)
        if face.flavor:
            face.flavor = None
            face.save(folder / f"{font.stem}.otf")
        else:
            shutil.copyfile(font, folder / font.name)
    return family


# --- the child side: run as `python -m core.conversion` inside the sandbox ------------------


def _hangul_share(text):
    letters = [ch for ch in text if ch.isalpha()]
    if not letters:
        return 0.0
    return sum(1 for ch in letters if "\uac00" <= ch <= "\ud7a3" or "\u1100" <= ch <= "\u11ff") / len(letters)


def _libreoffice(document, filter_name, outbox):
    profile = Path(os.environ["HOME"]) / "profile"
    made = outbox / "made"
    made.mkdir()
    finished = subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--invisible",
            "--norestore",
            "--nologo",
            "--nodefault",
            "--nolockcheck",
            "--convert-to",
            f"pdf:{filter_name}:{json.dumps(_LIBREOFFICE_OPTIONS, separators=(',', ':'))}",
            "--outdir",
            str(made),
            str(document),
        ],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        check=False,
    )
    sys.stdout.buffer.write(finished.stdout + finished.stderr)  # into the conversion's log
    # soffice exits 0 even when it could not load the document: the file is the answer.
    result = made / f"{document.stem}.pdf"
    if not result.exists():
        if _out_of_memory(finished.stdout + finished.stderr):
            raise ChildError(OUT_OF_MEMORY)
        if finished.returncode != 0:
            raise ChildError(
                "LibreOffice stopped with an error: the document may be damaged, "
                "or need more memory than conversions are allowed."
            )
        raise ChildError("LibreOffice could not read this document. It may be damaged or password-protected.")
    return result.read_bytes()


def _hwp(document):
    import hwp_ingest

    try:
        return hwp_ingest.to_pdf_bytes(document.read_bytes())
    except hwp_ingest.HwpIngestError as exc:
        if _out_of_memory(str(exc).encode()):
            raise ChildError(OUT_OF_MEMORY) from None
        raise ChildError(f"The HWP converter could not read this document: {exc}") from None


class ChildError(Exception):
    pass


OUT_OF_MEMORY = "The conversion needed more memory than conversions are allowed and was stopped."
# What running out of address space (RLIMIT_AS) looks like in the converters' own words.
_MEMORY_SIGNS = (b"cannot allocate memory", b"failed to map segment", b"bad_alloc", b"out of memory", b"memoryerror")


def _out_of_memory(output):
    output = output.lower()
    return any(sign in output for sign in _MEMORY_SIGNS)


def _finish(raw, outbox, title, text_limit, tagged):
    """Check the converter's PDF with pypdf, then write it with title and language set."""
    import io

    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import BooleanObject, DictionaryObject, NameObject, TextStringObject

    try:
        reader = PdfReader(io.BytesIO(raw), strict=False)
        pages = len(reader.pages)
    except Exception as exc:  # pypdf's errors on a broken file are many and varied
        raise ChildError(f"The converter made a PDF that cannot be read ({type(exc).__name__}).") from None
    if pages < 1:
        raise ChildError("The converter made an empty PDF.")
    texts, length = [], 0
    for page in reader.pages:
        if length >= text_limit:
            break
        try:
            text = page.extract_text() or ""
        except Exception:  # a page whose text cannot be read still shows
            text = ""
        texts.append(text)
        length += len(text)
    text = "\n".join(texts)[:text_limit]
    language = "ko" if _hangul_share(text) >= 0.2 else "en"
    writer = PdfWriter(clone_from=reader)
    if title:
        writer.add_metadata({"/Title": title})
    root = writer._root_object
    root[NameObject("/Lang")] = TextStringObject(language)
    preferences = root.get("/ViewerPreferences")
    preferences = preferences.get_object() if preferences is not None else DictionaryObject()
    preferences[NameObject("/DisplayDocTitle")] = BooleanObject(True)
    root[NameObject("/ViewerPreferences")] = preferences
    with open(outbox / RESULT, "wb") as out:
        writer.write(out)
    return {"pages": pages, "text": text, "language": language, "tagged": tagged}


def main(argv):
    converter, document, outbox, title, text_limit = argv
    document, outbox = Path(document), Path(outbox)
    try:
        if CONVERTERS[converter] is None:
            raw, tagged = _hwp(document), False
        else:
            raw, tagged = _libreoffice(document, CONVERTERS[converter], outbox), True
        report = _finish(raw, outbox, title, int(text_limit), tagged)
    except ChildError as exc:
        report, code = {"error": str(exc)}, 1
    except MemoryError:
        report, code = {"error": OUT_OF_MEMORY}, 1
    else:
        code = 0
    (outbox / REPORT).write_text(json.dumps(report, ensure_ascii=False), encoding="utf-8")
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
