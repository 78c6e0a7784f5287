"""HWP and legacy Office files are recognised by the streams inside them, OOXML by its main part,
and text files are stored and served with the charset their bytes are in."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import escape

from news.files.checks import check_attachment
from news.models import Attachment
from tests.helpers import body, clip_form_data, upload

from . import samples

pytestmark = pytest.mark.django_db

# The check says it in the editor's words: what the file is, and what to do.
MISMATCH = "This file is {}, but its name ends in “{}”."


@pytest.mark.parametrize(
    ("name", "data", "content_type"),
    [
        pytest.param("민선7기_1주년_성과.hwp", samples.hwp_bytes(), "application/x-hwp", id="hwp"),
        pytest.param("report.doc", samples.doc_bytes(), "application/msword", id="doc"),
        pytest.param("budget.xls", samples.xls_bytes(), "application/vnd.ms-excel", id="xls"),
        pytest.param("budget95.xls", samples.xls_bytes(stream="Book"), "application/vnd.ms-excel", id="xls-excel-95"),
        pytest.param("slides.ppt", samples.ppt_bytes(), "application/vnd.ms-powerpoint", id="ppt"),
    ],
)
def test_ole_documents_of_the_named_kind_are_accepted(name, data, content_type):
    original_name, kind, stored = check_attachment(upload(name, data))
    assert (original_name, kind.content_type) == (name, content_type)


DAMAGED = OTHER_OLE = "an HWP or Office 97–2003 file that is damaged or of another kind"
WRONG_OLE = [
    # name, bytes, the named kind, what the checker adds, what the editor is told the file is
    pytest.param(
        "a.hwp", samples.doc_bytes(), "HWP", "It is a Word (.doc) file.", "a Word 97–2003 document", id="doc-named-hwp"
    ),
    pytest.param(
        "a.hwp",
        samples.xls_bytes(),
        "HWP",
        "It is an Excel (.xls) file.",
        "an Excel 97–2003 workbook",
        id="xls-named-hwp",
    ),
    pytest.param(
        "a.doc", samples.hwp_bytes(), "Word", "It is a HWP (.hwp) file.", "an HWP document", id="hwp-named-doc"
    ),
    pytest.param(
        "a.ppt",
        samples.xls_bytes(),
        "PowerPoint",
        "It is an Excel (.xls) file.",
        "an Excel 97–2003 workbook",
        id="xls-named-ppt",
    ),
    pytest.param(
        "a.xls",
        samples.ppt_bytes(),
        "Excel",
        "It is a PowerPoint (.ppt) file.",
        "a PowerPoint 97–2003 presentation",
        id="ppt-named-xls",
    ),
    pytest.param(
        "a.hwp", samples.hwp_bytes(signature=b"Not a HWP header"), "HWP", "", OTHER_OLE, id="hwp-wrong-signature"
    ),
    pytest.param("a.hwp", samples.cfb_bytes({"Other": b"x" * 10}), "HWP", "", OTHER_OLE, id="ole-of-another-kind"),
    pytest.param(
        "a.hwp",
        samples.cfb_bytes({"FileHeader": samples.HWP_SIGNATURE.ljust(256, b"\0"), "DocInfo": b"x"}),
        "HWP",
        "",
        OTHER_OLE,
        id="hwp-without-bodytext",
    ),
    pytest.param("a.hwp", samples.CFB_SIGNATURE + b"\x00" * 504, "HWP", "", DAMAGED, id="ole-signature-only"),
    pytest.param("a.hwp", samples.hwp_bytes()[:1600], "HWP", "", DAMAGED, id="truncated-hwp"),
    pytest.param("a.doc", samples.doc_bytes()[:700] + b"\xff" * 2000, "Word", "", DAMAGED, id="damaged-doc"),
]


@pytest.mark.parametrize(("name", "data", "label", "really", "what"), WRONG_OLE)
def test_ole_file_of_another_kind_is_refused_saying_what_it_is(
    admin_client, store_counts, name, data, label, really, what
):
    suffix = "." + name.rsplit(".", 1)[1]
    with pytest.raises(ValidationError) as refused:
        check_attachment(upload(name, data))
    assert refused.value.code == "type_mismatch"
    assert refused.value.message.startswith(MISMATCH.format(what, suffix))
    assert refused.value.message.endswith(f"choose the {label} file.")
    right = really.partition("(")[2].partition(")")[0]  # "It is a PowerPoint (.ppt) file." -> ".ppt"
    assert (f"Rename it to “{right}”" in refused.value.message) == bool(really)
    before = store_counts()
    response = admin_client.post(
        reverse("admin:news_newsclip_add"), clip_form_data(attachments=[{"file": upload(name, data)}])
    )
    assert response.status_code == 200
    assert escape(refused.value.message) in response.content.decode(), "the admin shows the check's own words"
    assert store_counts() == before


@pytest.mark.parametrize(
    ("name", "data", "label"),
    [
        pytest.param(
            "a.docx",
            samples.zip_bytes([("[Content_Types].xml", b"<Types/>"), ("word/a.xml", b"x")]),
            "Word",
            id="docx-without-document-part",
        ),
        pytest.param(
            "a.xlsx",
            samples.zip_bytes([("[Content_Types].xml", b"<Types/>"), ("xl/a.xml", b"x")]),
            "Excel",
            id="xlsx-without-workbook-part",
        ),
    ],
)
def test_ooxml_needs_its_own_main_part(name, data, label):
    with pytest.raises(ValidationError) as refused:
        check_attachment(upload(name, data))
    assert refused.value.code == "type_mismatch"
    suffix = "." + name.rsplit(".", 1)[1]
    assert refused.value.message == (
        f"This file is not a file type we accept, but its name ends in “{suffix}”. "
        f"It cannot be accepted; choose the {label} file."
    )


# --- text charsets -------------------------------------------------------------------

KOREAN_CSV = "구분,예산(억원)\n광주형 일자리,1236\n도시철도 2호선,370\n"


@pytest.mark.parametrize(
    ("data", "charset"),
    [
        pytest.param(KOREAN_CSV.encode("utf-8"), "utf-8", id="utf-8"),
        pytest.param(b"\xef\xbb\xbf" + KOREAN_CSV.encode("utf-8"), "utf-8", id="utf-8-with-bom"),
        pytest.param(KOREAN_CSV.encode("cp949"), "cp949", id="cp949"),
        pytest.param(KOREAN_CSV.encode("euc-kr"), "cp949", id="euc-kr"),
        pytest.param(b"a,b\n" * 3000 + KOREAN_CSV.encode("cp949"), "cp949", id="cp949-after-8-kb-of-ascii"),
    ],
)
def test_text_is_stored_and_served_with_its_charset(admin_client, client, data, charset):
    response = admin_client.post(
        reverse("admin:news_newsclip_add"),
        clip_form_data(attachments=[{"file": upload("예산.csv", data)}], _workflow="publish"),
    )
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert attachment.content_type == f"text/csv; charset={charset}"
    assert attachment.type_label == "CSV"
    download = client.get(reverse("news:attachment", args=[attachment.clip.slug, attachment.pk]))
    assert download["Content-Type"] == f"text/csv; charset={charset}"
    served = body(download)
    assert served == data  # served as uploaded, never transcoded
    assert served.decode(charset).endswith(KOREAN_CSV)


def test_text_in_neither_utf8_nor_korean_is_refused():
    """The first 8 KB are plain ASCII: only reading the whole file finds the Latin-1 "é" further on."""
    latin1 = b"name,city\n" * 1000 + "José,Gwangju\n".encode("latin-1")
    with pytest.raises(ValidationError) as refused:
        check_attachment(upload("people.csv", latin1))
    assert refused.value.code == "text_charset"
    assert "neither UTF-8 nor Korean (CP949/EUC-KR) text" in refused.value.message
