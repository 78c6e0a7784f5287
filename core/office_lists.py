"""Lists pasted from Word and Hancom Office (HWP) as real lists, bold and italic as the editor marks them.

Neither program puts <ul>/<ol> on the clipboard. Word writes each item as a paragraph
(`class=MsoListParagraph…`) whose style names its list and level (`mso-list:l0 level2 lfo1`)
and whose marker ("·", "1.", "a.") sits in a `mso-list:Ignore` span inside `<![if
!supportLists]>`. Hancom Office writes paragraphs (`class=HStyleN`) whose text starts with the
marker ("□ ", "○ ", "- ", "1.", "가.") and whose hanging indent (`margin-left`) shows the level.
`lists_from_office_html` turns runs of such paragraphs into nested lists, markers removed, and
leaves every other piece of HTML exactly as it was (it is sanitised afterwards, `core.rich_text`).
"""

import re
from html import escape
from xml.etree.ElementTree import Comment, Element, SubElement

import tinyhtml5

# A cheap test before any parsing: only Office clipboard HTML is rewritten.
_OFFICE = re.compile(r"mso-list\s*:|class\s*=\s*[\"']?HStyle\d", re.IGNORECASE)

_WORD_LIST = re.compile(r"mso-list\s*:\s*(l\d+)\s+level(\d+)\s+(lfo\d+)", re.IGNORECASE)
_IGNORE = re.compile(r"mso-list\s*:\s*ignore", re.IGNORECASE)
_MARGIN = re.compile(r"margin-left\s*:\s*(-?[\d.]+)\s*(pt|px|cm|mm|in)?", re.IGNORECASE)

_SPACE = "\u00a0\u3000\t \r\n"
# Markers Hancom writes as text: bullets, then numbers (1. 1) (1) 가. 가) (가) ① ㉮ a.).
_BULLETS = "●○◦•∙·‧■□▪▫◆◇◈▶▷►▸◎ㅇ–\\-"
_HANCOM_MARKER = re.compile(
    rf"^[{_SPACE}]*(?:(?P<bullet>[{_BULLETS}])|(?P<number>\(?(?:\d{{1,3}}|[가나다라마바사아자차카타파하]|[a-z])[.)]"
    rf"|\((?:\d{{1,3}}|[가나다라마바사아자차카타파하])\)|[①-⑳㉮-㉻]))(?:[{_SPACE}]+|$)"
)
# Word's markers: anything that is not a number or letter followed by "." or ")" is a bullet.
_WORD_NUMBER = re.compile(r"^\(?([0-9]+|[a-zA-Z]+|[ivxlcIVXLC]+)[.)]$")
_BOLD = re.compile(r"(?<![\w-])font-weight\s*:\s*[\"']?(?:bold|[6-9]00)", re.IGNORECASE)
_ITALIC = re.compile(r"(?<![\w-])font-style\s*:\s*[\"']?italic", re.IGNORECASE)
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
_UNITS_IN_PT = {"pt": 1.0, "px": 0.75, "cm": 28.35, "mm": 2.835, "in": 72.0, None: 1.0}


def lists_from_office_html(html):
    """`html` with Word's and Hancom Office's list paragraphs made into <ul>/<ol>/<li>, nested by level."""
    if not html or not _OFFICE.search(html):
        return html
    root = tinyhtml5.parse(html, namespace_html_elements=False)
    body = root.find("body")
    if body is None:
        return html
    for parent in list(body.iter()):
        _convert_children(parent)
    _emphasis_as_the_editor_marks_it(body)
    return _serialise_children(body).strip()


def _emphasis_as_the_editor_marks_it(body):
    """Bold and italic as the editor stores them (<strong>, <em>): Word writes <b>/<i>, Hancom
    styled spans, and the editor would read both on a paste the browser handled itself."""
    for element in body.iter():
        if element.tag is Comment:
            continue
        style = element.get("style", "")
        if element.tag == "b" or (element.tag == "span" and _BOLD.search(style)):
            element.tag = "strong"
        elif element.tag == "i" or (element.tag == "span" and _ITALIC.search(style)):
            element.tag = "em"


# --- finding list paragraphs ------------------------------------------------------------------------


class _Item:
    """A list paragraph: its level, kind of list, and how to take its marker out once it is kept."""

    def __init__(self, element, *, kind, level, ordered, key, start=None, marker_type=None, indent=None, strip):
        self.element, self.kind, self.level, self.ordered, self.key = element, kind, level, ordered, key
        self.start, self.marker_type, self.indent, self.strip = start, marker_type, indent, strip


def _word_item(element):
    match = _WORD_LIST.search(element.get("style", ""))
    if not match:
        return None
    marker_span = next((span for span in element.iter() if _IGNORE.search(span.get("style", ""))), None)
    marker = "".join(marker_span.itertext()).strip(_SPACE) if marker_span is not None else ""
    number = _WORD_NUMBER.match(marker)
    marker_type, start = None, None
    if number:
        value = number.group(1)
        if value.isdigit():
            start = int(value)
        elif len(value) == 1:
            marker_type = "a" if value.islower() else "A"
            start = ord(value.lower()) - ord("a") + 1
    return _Item(
        element,
        kind="word",
        level=int(match.group(2)),
        ordered=bool(number),
        key=(match.group(1).lower(), match.group(3).lower()),
        start=start,
        marker_type=marker_type,
        strip=lambda: marker_span is not None and _remove(element, marker_span),
    )


def _hancom_item(element):
    if not element.get("class", "").startswith("HStyle"):
        return None
    text, holder, attribute = _first_text(element)
    match = _HANCOM_MARKER.match(text or "")
    if not match or not ("".join(element.itertext())[len(match.group()) :].strip(_SPACE) or text[match.end() :]):
        return None
    marker = match.group("number") or match.group("bullet")
    digits = re.search(r"\d+", marker)
    margin = _MARGIN.search(element.get("style", ""))
    indent = None
    if margin:
        indent = round(float(margin.group(1)) * _UNITS_IN_PT[(margin.group(2) or "").lower() or None], 1)
    return _Item(
        element,
        kind="hancom",
        level=None,
        ordered=bool(match.group("number")),
        # "1." and "2." are one kind of marker, "가." another, "□" another.
        key=re.sub(r"[0-9]+", "0", marker),
        start=int(digits.group()) if digits else None,
        indent=indent,
        strip=lambda: setattr(holder, attribute, text[match.end() :]),
    )


def _first_text(element):
    """The first text in `element` with anything but spaces: (text, node holding it, "text" or "tail")."""
    if element.text and element.text.strip(_SPACE):
        return element.text, element, "text"
    for child in element:
        if child.tag is not Comment:
            found = _first_text(child)
            if found[0] is not None:
                return found
        if child.tail and child.tail.strip(_SPACE):
            return child.tail, child, "tail"
    return None, None, None


def _remove(root, target):
    """Remove `target` from under `root`, keeping its tail text."""
    for parent in root.iter():
        children = list(parent)
        if target in children:
            index = children.index(target)
            if target.tail:
                if index:
                    children[index - 1].tail = (children[index - 1].tail or "") + target.tail
                else:
                    parent.text = (parent.text or "") + target.tail
            parent.remove(target)
            return True
    return False


# --- building the lists -------------------------------------------------------------------------------


def _runs(parent):
    """Consecutive list paragraphs of one program among `parent`'s children."""
    run = []
    for child in list(parent):
        if child.tag is Comment:
            continue
        item = None
        if child.tag == "p":
            item = _word_item(child) or _hancom_item(child)
        if item is not None and run and item.kind != run[0].kind:
            yield run
            run = []
        if item is None:
            if run:
                yield run
            run = []
            continue
        run.append(item)
        if (child.tail or "").strip(_SPACE):  # text between paragraphs ends the list
            yield run
            run = []
    if run:
        yield run


def _convert_children(parent):
    for run in list(_runs(parent)):
        # One "1. Introduction" paragraph from Hancom is a numbered heading, not a list.
        if run[0].kind == "hancom" and len(run) < 2:
            continue
        if run[0].kind == "hancom":
            _hancom_levels(run)
        for item in run:
            item.strip()
        at = list(parent).index(run[0].element)
        for offset, top in enumerate(_build(run)):
            top.tail = "\n"
            parent.insert(at + offset, top)
        for item in run:
            parent.remove(item.element)


def _hancom_levels(run):
    """Levels from the hanging indents when they differ, else from the order the marker kinds appear in."""
    indents = sorted({item.indent for item in run if item.indent is not None})
    if len(indents) > 1:
        for item in run:
            item.level = indents.index(item.indent) + 1 if item.indent is not None else 1
        return
    kinds = []
    for item in run:
        if item.key not in kinds:
            kinds.append(item.key)
        item.level = kinds.index(item.key) + 1


def _new_list(item):
    attributes = {}
    if item.ordered and item.marker_type:
        attributes["type"] = item.marker_type
    if item.ordered and item.start and item.start != 1:
        attributes["start"] = str(item.start)
    return Element("ol" if item.ordered else "ul", attributes)


def _build(run):
    """The top-level lists for a run of items, each deeper level nested in the item before it."""
    tops, stack = [], []  # stack of (level, list element, key, ordered)
    for item in run:
        while stack and stack[-1][0] > item.level:
            stack.pop()
        if stack and stack[-1][0] == item.level and stack[-1][3] != item.ordered:
            stack.pop()  # bullets after numbers at one level: a new list
        elif stack and stack[-1][0] == item.level and item.kind == "word" and stack[-1][2] != item.key:
            stack.pop()  # another Word list
        if not stack or stack[-1][0] < item.level:
            new = _new_list(item)
            if stack:
                owner = stack[-1][1]
                (owner[-1] if len(owner) else SubElement(owner, "li")).append(new)
            else:
                tops.append(new)
            stack.append((item.level, new, item.key, item.ordered))
        li = SubElement(stack[-1][1], "li")
        li.text = item.element.text
        for child in list(item.element):
            li.append(child)
        _strip_leading_space(li)
    return tops


def _strip_leading_space(element):
    """Remove the spaces (the tab after a marker) before an item's first word; True once a word is met."""
    element.text = (element.text or "").lstrip(_SPACE) or None
    if element.text:
        return True
    for child in element:
        if child.tag is not Comment and _strip_leading_space(child):
            return True
        child.tail = (child.tail or "").lstrip(_SPACE) or None
        if child.tail:
            return True
    return False


# --- writing HTML back ---------------------------------------------------------------------------------


def _serialise_children(element):
    parts = [escape(element.text or "", quote=False)]
    for child in element:
        parts.append(_serialise(child))
    return "".join(parts)


def _serialise(element):
    if element.tag is Comment:
        return escape(element.tail or "", quote=False)
    attributes = "".join(f' {name}="{escape(value)}"' for name, value in element.attrib.items())
    if element.tag in _VOID:
        html = f"<{element.tag}{attributes}>"
    else:
        html = f"<{element.tag}{attributes}>{_serialise_children(element)}</{element.tag}>"
    return html + escape(element.tail or "", quote=False)
