"""Search queries: cleaning, parsing web search syntax and showing matches.
Shared by the news list and the site search."""

import re
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.html import escape
from django.utils.safestring import mark_safe

MAX_QUERY_LENGTH = 200
MAX_WORDS = 10
# Marks around matched words in a search excerpt, as the database returns it: control
# characters, which stored text never holds (see core.text.plain_text).
HIGHLIGHT_START = "\x02"
HIGHLIGHT_END = "\x03"
_HIGHLIGHTED = re.compile(f"{HIGHLIGHT_START}([^{HIGHLIGHT_START}{HIGHLIGHT_END}]*){HIGHLIGHT_END}")


def clean_query(value):
    """Search text as we use it: no NUL or control characters, bounded length."""
    value = "".join(ch for ch in (value or "") if ch.isprintable())
    return value.strip()[:MAX_QUERY_LENGTH]


def mark_matches(excerpt):
    """An excerpt with highlight marks as safe HTML: the text escaped, the matched words in <mark>."""
    text = _HIGHLIGHTED.sub(r"<mark>\1</mark>", escape(excerpt))
    return mark_safe(text.replace(HIGHLIGHT_START, "").replace(HIGHLIGHT_END, ""))


def _any_field(fields, text):
    condition = Q()
    for name in fields:
        condition |= Q(**{f"{name}__icontains": text})
    return condition


# PostgreSQL's English stop words (tsearch_data/english.stop), dropped here too so that
# both databases agree on what a search for "the" finds: nothing, and the page says so.
STOP_WORDS = frozenset(
    "i me my myself we our ours ourselves you your yours yourself yourselves he him his himself she her hers "
    "herself it its itself they them their theirs themselves what which who whom this that these those am is are "
    "was were be been being have has had having do does did doing a an the and but if or because as until while "
    "of at by for with about against between into through during before after above below to from up down in out "
    "on off over under again further then once here there when where why how all any both each few more most "
    "other some such no nor not only own same so than too very s t can will just don should now".split()
)
# Letters and digits of any script; "_", "%", "\\" and punctuation separate words.
_WORD = re.compile(r"[^\W_]+")
_TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')


@dataclass
class Group:
    """Terms that must all match (a term is a tuple of words: one word, or a phrase), none of `excluded`."""

    required: list = field(default_factory=list)
    excluded: list = field(default_factory=list)


@dataclass
class ParsedQuery:
    """A reader's search in web search syntax — words, "a phrase", -word, OR — reduced to
    what both databases can run the same way: letters and digits only, no stop words."""

    groups: list

    def __bool__(self):
        return bool(self.groups)

    def websearch(self):
        """For PostgreSQL's websearch_to_tsquery."""

        def term(words, negate=False):
            text = words[0] if len(words) == 1 else '"' + " ".join(words) + '"'
            return ("-" if negate else "") + text

        return " or ".join(
            " ".join([*(term(t) for t in g.required), *(term(t, True) for t in g.excluded)]) for g in self.groups
        )

    def as_q(self, fields):
        """The same search as substring matches over `fields`, for tables too small to need an index."""

        def term(words):
            return _any_field(fields, " ".join(words))

        condition = Q(pk__in=[])
        for g in self.groups:
            group = Q()
            for t in g.required:
                group &= term(t)
            for t in g.excluded:
                group &= ~term(t)
            condition |= group
        return condition

    def fts5(self):
        """For SQLite's FTS5 MATCH: every term quoted, so no word is taken for an operator."""

        def term(words):
            return '"' + " ".join(words) + '"'

        return " OR ".join(
            "(" + " ".join(term(t) for t in g.required) + "".join(f" NOT {term(t)}" for t in g.excluded) + ")"
            for g in self.groups
        )


def parse_query(text, max_terms=MAX_WORDS):
    """Parse `text` (cleaned by `clean_query`); falsy when nothing searchable is left
    (empty, punctuation only, only stop words, or only excluded words)."""
    groups, current, terms = [], Group(), 0
    for negate, phrase, bare in _TOKEN.findall(text):
        if bare and bare.upper() == "OR":
            groups.append(current)
            current = Group()
            continue
        if bare.startswith("-") and len(bare) > 1:
            negate, bare = "-", bare[1:]
        words = [w.lower() for w in _WORD.findall(phrase or bare)]
        if phrase:
            # Inside a phrase stop words stay: "city of light" is three words apart on both databases.
            words = words if any(w not in STOP_WORDS for w in words) else []
            terms_found = [tuple(words)] if words else []
        else:
            terms_found = [(w,) for w in words if w not in STOP_WORDS]
        for found in terms_found:
            if terms >= max_terms:
                break
            terms += 1
            (current.excluded if negate else current.required).append(found)
    groups.append(current)
    return ParsedQuery([g for g in groups if g.required])
