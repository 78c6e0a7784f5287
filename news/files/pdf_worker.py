"""Render one page PDF in a process of its own (news.files.pdf.render_in_subprocess):
`python pdf_worker.py OUTPUT SECONDS MEGABYTES ROOT...`, the HTML on standard input.

news.files.pdf starts a process for every render and kills it when it runs past its time: WeasyPrint
cannot be interrupted inside a worker thread, and one pathological body (20,000 nested lists) kept
a gunicorn worker rendering for ten minutes after the reader had gone. The process's own CPU and
memory limits are the backstop if the parent dies first. This module imports neither Django nor the
app, and the renderer reads only files under the folders it is given (photos and the bundled fonts).
"""

import resource
import sys
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint import HTML
from weasyprint.urls import URLFetcher

PDF_VARIANT = "pdf/ua-1"


class LocalFilesOnly(URLFetcher):
    """Lets WeasyPrint read files under `roots`, nothing else.

    The body is editor HTML: without this, an <img src> pointing at an intranet
    address or /etc/passwd would be fetched by the server while rendering.
    """

    def __init__(self, roots, **kwargs):
        super().__init__(**kwargs)
        self.roots = [Path(root).resolve() for root in roots]

    def fetch(self, url, headers=None):
        parts = urlsplit(url)
        if parts.scheme != "file" or parts.netloc not in {"", "localhost"}:
            raise ValueError(f"PDF rendering refused a non-local resource: {url}")
        path = Path(unquote(parts.path)).resolve()
        if not any(path.is_relative_to(root) for root in self.roots):
            raise ValueError(f"PDF rendering refused a file outside the allowed folders: {url}")
        return super().fetch(path.as_uri(), headers)


def render(html, roots):
    fetcher = LocalFilesOnly(roots, allowed_protocols=["file"])
    return HTML(string=html, url_fetcher=fetcher).write_pdf(pdf_variant=PDF_VARIANT)


def main(argv):
    output, seconds, megabytes, *roots = argv
    cpu = int(seconds) + 5
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu))
    memory = int(megabytes) * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    html = sys.stdin.buffer.read().decode()
    Path(output).write_bytes(render(html, roots))


if __name__ == "__main__":
    main(sys.argv[1:])
