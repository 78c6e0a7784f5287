"""Attachment conversion to PDF: seconds per page for each kind of document, on this machine.

    .venv/bin/python bench/convert.py [--runs 3] [--pages 20]

Converts documents through core.conversion exactly as the site does (a sandboxed process each,
a fresh LibreOffice profile each time, the bundled Hangul font), one at a time:

- the one-page samples of tests/documents/ (HWP, HWPX, DOCX, DOC, ODT, XLSX, XLS, ODS, PPTX,
  PPT, ODP): what a conversion costs at the least (start-up included);
- a long version of each, about --pages pages, made before timing: the Office and ODF ones by
  LibreOffice from flat ODF, the HWP and HWPX ones by `hwp-converter-ai` when HWP_PYTHON names a
  Python that has it (as for tests/documents/make_documents.py), else left out.

Reports the median of --runs conversions: seconds, pages, seconds per page, and the marginal
seconds per page of the long document beyond the one-page one. A Markdown table on stdout and
in bench/results/convert.txt.
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from core import conversion  # noqa: E402
from tests.documents import HANGUL_SENTENCE, sample  # noqa: E402

KINDS = [
    ("HWP", "sample.hwp", "hwp"),
    ("HWPX", "sample.hwpx", "hwp"),
    ("Word (DOCX)", "sample.docx", "writer"),
    ("Word 97 (DOC)", "sample.doc", "writer"),
    ("ODF text (ODT)", "sample.odt", "writer"),
    ("Excel (XLSX)", "sample.xlsx", "calc"),
    ("Excel 97 (XLS)", "sample.xls", "calc"),
    ("ODF spreadsheet (ODS)", "sample.ods", "calc"),
    ("PowerPoint (PPTX)", "sample.pptx", "impress"),
    ("PowerPoint 97 (PPT)", "sample.ppt", "impress"),
    ("ODF presentation (ODP)", "sample.odp", "impress"),
]
FILTERS = {
    ".docx": "docx:MS Word 2007 XML",
    ".doc": "doc:MS Word 97",
    ".odt": "odt",
    ".xlsx": "xlsx:Calc MS Excel 2007 XML",
    ".xls": "xls:MS Excel 97",
    ".ods": "ods",
    ".pptx": "pptx:Impress MS PowerPoint 2007 XML",
    ".ppt": "ppt:MS PowerPoint 97",
    ".odp": "odp",
}
LINE = f"Gwangju innovation budget, line {{n}}. {HANGUL_SENTENCE}, {{n}}번째 항목입니다."
NAMESPACES = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
    'xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" '
    'xmlns:presentation="urn:oasis:names:tc:opendocument:xmlns:presentation:1.0"'
)


def flat_odf(converter, pages):
    kind, body = {
        "writer": (
            "text",
            "<office:text>"
            + "".join(f"<text:p>{LINE.format(n=n)}</text:p>" for n in range(pages * 30))
            + "</office:text>",
        ),
        "calc": (
            "spreadsheet",
            '<office:spreadsheet><table:table table:name="Budget">'
            + "".join(
                f'<table:table-row><table:table-cell office:value-type="string"><text:p>{LINE.format(n=n)}</text:p>'
                f'</table:table-cell><table:table-cell office:value-type="float" office:value="{n * 1000}">'
                f"<text:p>{n * 1000}</text:p></table:table-cell></table:table-row>"
                for n in range(pages * 48)
            )
            + "</table:table></office:spreadsheet>",
        ),
        "impress": (
            "presentation",
            "<office:presentation>"
            + "".join(
                f'<draw:page draw:name="Slide {n}"><draw:frame svg:x="1cm" svg:y="2cm" svg:width="24cm" '
                f'svg:height="8cm"><draw:text-box><text:p>{LINE.format(n=n)}</text:p></draw:text-box>'
                "</draw:frame></draw:page>"
                for n in range(pages)
            )
            + "</office:presentation>",
        ),
    }[converter]
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document {NAMESPACES} office:version="1.2" '
        f'office:mimetype="application/vnd.oasis.opendocument.{kind}"><office:body>{body}</office:body>'
        "</office:document>\n"
    )


def long_documents(folder, pages):
    """{sample name: path of a ~`pages`-page document of the same kind}."""
    made = {}
    profile = (folder / "profile").as_uri()
    for _, name, converter in KINDS:
        suffix = Path(name).suffix
        if converter == "hwp":
            continue
        source = folder / f"long-{suffix[1:]}.{ {'writer': 'fodt', 'calc': 'fods', 'impress': 'fodp'}[converter] }"
        source.write_text(flat_odf(converter, pages), encoding="utf-8")
        subprocess.run(
            ["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", FILTERS[suffix]]
            + ["--outdir", str(folder), str(source)],
            check=True,
            capture_output=True,
        )
        made[name] = folder / f"{source.stem}{suffix}"
    hwp_python = os.environ.get("HWP_PYTHON")
    if hwp_python:
        text = "# Budget\n\n" + "\n\n".join(LINE.format(n=n) for n in range(pages * 22)) + "\n"
        script = (
            "import sys; from pathlib import Path; from hwp_converter_ai import HwpWriter, HwpxGenerator\n"
            "text = Path(sys.argv[2]).read_text(encoding='utf-8')\n"
            "HwpWriter().from_markdown(text, Path(sys.argv[1]) / 'long-hwp.hwp')\n"
            "HwpxGenerator().from_markdown(text, output_path=Path(sys.argv[1]) / 'long-hwpx.hwpx')\n"
        )
        markdown = folder / "long.md"
        markdown.write_text(text, encoding="utf-8")
        subprocess.run([hwp_python, "-c", script, str(folder), str(markdown)], check=True)
        made["sample.hwp"], made["sample.hwpx"] = folder / "long-hwp.hwp", folder / "long-hwpx.hwpx"
    return made


def timed(source, converter, work, fonts, runs):
    """(median seconds, pages) of `runs` conversions of `source`."""
    seconds, pages = [], 0
    for run in range(runs):
        started = time.perf_counter()
        made = conversion.convert(
            source, converter, work / "out" / f"{source.stem}-{run}.pdf", work_dir=work, fontconfig_file=fonts
        )
        seconds.append(time.perf_counter() - started)
        pages = made.pages
    return statistics.median(seconds), pages


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--pages", type=int, default=20)
    parser.add_argument("--quick", action="store_true", help="one run of each, 5-page long documents")
    args = parser.parse_args()
    if args.quick:
        args.runs, args.pages = 1, 5
    with tempfile.TemporaryDirectory(prefix="bench-convert-") as scratch:
        work = Path(scratch)
        fonts = conversion.fontconfig_file(sorted((ROOT / "static" / "fonts").glob("*.woff2")), work)
        long_ones = long_documents(work, args.pages)
        rows = []
        for label, name, converter in KINDS:
            one, _ = timed(sample(name), converter, work, fonts, args.runs)
            if name in long_ones:
                total, pages = timed(long_ones[name], converter, work, fonts, args.runs)
                per_page = f"{total / pages:.2f}"
                marginal = f"{(total - one) / (pages - 1):.3f}" if pages > 1 else "—"
            else:
                total, pages, per_page, marginal = None, None, "—", "—"
            long_seconds = f"{total:.2f}" if total else "—"
            rows.append(f"| {label} | {one:.2f} | {pages or '—'} | {long_seconds} | {per_page} | {marginal} |")
    load = os.getloadavg()[0]
    header = [
        f"### Conversion — {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {os.cpu_count()} CPUs, "
        f"load average {load:.1f} (`bench/convert.py --runs {args.runs} --pages {args.pages}`)",
        "",
        f"Median of {args.runs} run(s), one conversion at a time, each in its own sandboxed process and profile.",
        "",
        "| kind | 1-page sample, s | long document, pages | long document, s | s per page | marginal s per page |",
        "|---|---|---|---|---|---|",
    ]
    table = "\n".join(header + rows) + "\n"
    print(table)
    results = ROOT / "bench" / "results"
    results.mkdir(exist_ok=True)
    (results / "convert.txt").write_text(table, encoding="utf-8")


if __name__ == "__main__":
    main()
