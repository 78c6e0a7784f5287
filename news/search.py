"""Full-text search over news clips, on PostgreSQL and on SQLite alike.

What is searched: the title (weighted most), the subtitle, highlights and the live attachments'
display titles and original file names (Korean included), then the body as plain text. Only
what the public sees goes in: the clip's row (a draft lives in a revision) and its live
attachments (`ClipFileQuerySet.live()`, never a draft's pending rows), and last the text of
those live attachments (read from their PDFs, news.files.conversions). A result whose body does
not hold the words shows the passage of the attachment that does ("…found in 2019_budget.hwp: …",
`attachment_passages`).

- PostgreSQL: `NewsClip.search_vector`, a stored tsvector with a GIN index, queried with
  websearch_to_tsquery, ordered by ts_rank, excerpts from ts_headline.
- SQLite: the FTS5 table `news_clip_fts` (one row per clip, rowid = clip id, Porter
  stemming), queried with MATCH, ordered by bm25, excerpts from snippet().

Both run the same parsed query (core.search.parse_query), so a search matches the same
clips on both. The index is brought up to date in the same transaction as the change:
`index_clips` after a clip or one of its live attachments is saved or deleted (the receivers at the end),
and once for all clips after a bulk load.

A search ranks the newest MAX_CANDIDATES matching clips, not every match: a word found in
most of 100,000 clips would otherwise mean ranking all of them for every request.
"""

import re

from django.contrib.postgres.aggregates import StringAgg
from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector
from django.db import OperationalError, connection, models, transaction
from django.db.models import F, Func, OuterRef, Subquery, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce, Concat
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from core.search import HIGHLIGHT_END, HIGHLIGHT_START
from news.models import Attachment, Conversion, NewsClip

CONFIG = "english"
FTS_TABLE = "news_clip_fts"
MAX_CANDIDATES = 1000
# PostgreSQL: the longest the candidate query may run. A phrase of very common words ("a b c"
# where each word is in most clips but the phrase in none) can use no index and is checked
# clip by clip (0.8 s at 100,000 clips); past this limit the reader is told so instead.
TIME_LIMIT_MS = 400
EXCERPT_WORDS = 30


def _postgres():
    return connection.vendor == "postgresql"


# --- the index -------------------------------------------------------------------


class _GroupConcat(models.Aggregate):
    """SQLite's group_concat(X, separator): Django 5.2's StringAgg is PostgreSQL's only."""

    function = "GROUP_CONCAT"
    output_field = models.TextField()


def _attachment_names():
    """The display titles and file names of a clip's live attachments, for the clip's index entry.

    Live rows only (`ClipFileQuerySet.live()`): a pending row belongs to an unpublished draft,
    and its words in the public index would let anyone confirm an embargoed file's name."""
    text = models.TextField()
    if _postgres():
        # translate(): "2024_광주_report.pdf" is one "file" token to PostgreSQL's parser; we want its words.
        words = Func(F("original_name"), Value("._-"), Value("   "), function="translate", output_field=text)
        names = StringAgg(Concat(F("title"), Value(" "), words, output_field=text), " ")
    else:
        # FTS5's unicode61 tokenizer already splits file names at ".", "_" and "-".
        names = _GroupConcat(Concat(F("title"), Value(" "), F("original_name"), output_field=text), Value(" "))
    return Coalesce(
        Subquery(
            Attachment.objects.live()
            .filter(clip=OuterRef("pk"))
            .order_by()
            .values("clip")
            .annotate(names=names)
            .values("names"),
            output_field=text,
        ),
        Value(""),
        output_field=text,
    )


def _attachment_text():
    """The text of a clip's live attachments (news.files.conversions), for its index entry."""
    text = models.TextField()
    joined = StringAgg("text", " ") if _postgres() else _GroupConcat(F("text"), Value(" "))
    return Coalesce(
        Subquery(
            Conversion.objects.filter(attachment__clip=OuterRef("pk"), attachment__in=Attachment.objects.live())
            .order_by()
            .values("attachment__clip")
            .annotate(joined=joined)
            .values("joined"),
            output_field=text,
        ),
        Value(""),
        output_field=text,
    )


def index_clips(ids=None):
    """Bring the search index up to date for the clips with `ids` (all clips when None)."""
    if ids is not None:
        ids = list(ids)
        if not ids:
            return
    clips = NewsClip.objects.all() if ids is None else NewsClip.objects.filter(pk__in=ids)
    if _postgres():
        clips.update(
            search_vector=SearchVector("title", weight="A", config=CONFIG)
            + SearchVector("subtitle", "highlights", _attachment_names(), weight="B", config=CONFIG)
            + SearchVector("body_text", weight="C", config=CONFIG)
            + SearchVector(_attachment_text(), weight="D", config=CONFIG)
        )
        clips.update(search_pairs=Func(F("search_vector"), function="gwangju_lexeme_pairs"))
        return
    extra = Concat(
        F("subtitle"), Value(" "), F("highlights"), Value(" "), _attachment_names(), output_field=models.TextField()
    )
    rows = (
        clips.order_by()
        .annotate(extra=extra, files=_attachment_text())
        .values_list("pk", "title", "extra", "body_text", "files")
    )
    select, params = rows.query.sql_with_params()
    with connection.cursor() as cursor:
        if ids is None:
            cursor.execute(f"DELETE FROM {FTS_TABLE}")
        else:
            marks = ", ".join(["%s"] * len(ids))
            cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid IN ({marks})", ids)
        cursor.execute(f"INSERT INTO {FTS_TABLE}(rowid, title, extra, body, files) {select}", params)


def unindex_clip(clip_id):
    if not _postgres():
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [clip_id])


# --- searching -------------------------------------------------------------------


def search_clips(queryset, parsed):
    """The clips of `queryset` that match `parsed` (a truthy core.search.ParsedQuery), best
    first, each with `headline` (the body around the matched words, the words between
    HIGHLIGHT_START and HIGHLIGHT_END). A lazy SearchResults: slice it or page it."""
    return SearchResults(queryset, parsed)


class SearchResults:
    """Search results, best first, in two queries whatever page is asked for:

    1. the newest MAX_CANDIDATES matches, newest first, with their rank — id and rank only,
       sorted here by rank (stable, so the newest first among equals): this is also the count;
    2. the rows of the slice asked for, with their excerpts: the highlighting (ts_headline,
       snippet()) is the expensive part of a search, so it is done for those rows only.

    On PostgreSQL the first query walks the publication-order index and stops at the
    MAX_CANDIDATES-th match when a word is common, or takes the GIN index when it is rare
    (the planner chooses from the tsvector statistics)."""

    ordered = True
    # True when the search was stopped at TIME_LIMIT_MS (then it has no results).
    too_slow = False

    def __init__(self, queryset, parsed):
        self.queryset = queryset
        self.model = queryset.model
        self.parsed = parsed
        self._ids = None

    def _candidates(self):
        if self._ids is None:
            queryset = self.queryset.order_by()
            if _postgres():
                query = self._pg_query()
                pairs = self._pg_pairs()
                if pairs:
                    table = self.model._meta.db_table
                    where = RawSQL(
                        f'"{table}"."search_pairs" @@ %s::tsquery', [pairs], output_field=models.BooleanField()
                    )
                    queryset = queryset.filter(where)
                rows = (
                    queryset.filter(search_vector=query)
                    .annotate(rank=SearchRank(F("search_vector"), query))
                    .order_by("-publish_at", "-id")
                    .values_list("pk", "rank")[:MAX_CANDIDATES]
                )
                rows = self._time_limited(rows)
            else:
                match = self.parsed.fts5()
                newest = list(
                    queryset.filter(pk__in=_fts_matching(match))
                    .order_by("-publish_at", "-id")
                    .values_list("pk", flat=True)[:MAX_CANDIDATES]
                )
                ranks = _fts_ranks(match, newest)
                rows = [(pk, ranks[pk]) for pk in newest if pk in ranks]
            # Best first; equal ranks keep the query's order, newest first (sorted() is stable).
            # No publication times are fetched: parsing 1,000 timestamps cost more than the sort.
            self._ids = [pk for pk, _ in sorted(rows, key=lambda row: -row[1])]
        return self._ids

    def _time_limited(self, rows):
        """The rows, or none (and `too_slow`) if PostgreSQL takes longer than TIME_LIMIT_MS."""
        nested = connection.in_atomic_block
        try:
            with transaction.atomic():
                with connection.cursor() as cursor:
                    # SET LOCAL: ends with this transaction, or (nested) is reset below.
                    cursor.execute(
                        "SELECT current_setting('statement_timeout'), set_config('statement_timeout', %s, true)",
                        [f"{TIME_LIMIT_MS}ms"],
                    )
                    previous = cursor.fetchone()[0]
                    rows = list(rows)
                    if nested:
                        cursor.execute("SELECT set_config('statement_timeout', %s, true)", [previous])
                return rows
        except OperationalError:  # QueryCanceled; the savepoint is rolled back, the setting with it
            self.too_slow = True
            return []

    def _pg_pairs(self):
        """A tsquery of the word pairs and triples (news_newsclip.search_pairs) a clip must hold
        to match the search's quoted phrases, or None when some alternative (OR) has no phrase of two words
        or more: then pairs narrow nothing. Read through gwangju_lexeme_pairs, the function the
        index is built with (migration 0025), so a phrase and a clip pair their words alike."""
        alternatives = [[words for words in group.required if len(words) > 1] for group in self.parsed.groups]
        if not all(alternatives):
            return None
        phrases = [" ".join(words) for phrases in alternatives for words in phrases]
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT tsvector_to_array(gwangju_lexeme_pairs(to_tsvector(%s::regconfig, phrase))) "
                "FROM unnest(%s::text[]) WITH ORDINALITY AS phrases(phrase, n) ORDER BY n",
                [CONFIG, phrases],
            )
            pairs = iter(row[0] for row in cursor.fetchall())

        terms = []
        for phrases_of_group in alternatives:
            # The keys are hex digits (migration 0025): nothing to quote.
            group = [f"'{key}'" for _ in phrases_of_group for key in next(pairs)]
            if not group:  # its phrases' words are stop words to PostgreSQL: no pair to ask for
                return None
            terms.append("(" + " & ".join(group) + ")")
        # A clip with too many pairs to keep holds '~all' instead (migration 0025).
        return " | ".join([*terms, "'~all'"])

    def _pg_query(self):
        return SearchQuery(self.parsed.websearch(), search_type="websearch", config=CONFIG)

    def _rows(self, ids):
        if not ids:
            return []
        queryset = self.queryset.filter(pk__in=ids)
        if _postgres():
            headline = SearchHeadline(
                "body_text",
                self._pg_query(),
                config=CONFIG,
                start_sel=HIGHLIGHT_START,
                stop_sel=HIGHLIGHT_END,
                max_words=EXCERPT_WORDS,
                min_words=EXCERPT_WORDS // 2,
            )
            queryset = queryset.annotate(headline=headline)
        by_id = {clip.pk: clip for clip in queryset}
        if not _postgres():
            # snippet() for the rows shown, from the FTS table looked up by rowid: joined to the
            # clips, SQLite evaluated the MATCH over every matching clip first.
            headlines = dict(
                _fts_rows(
                    f"snippet({FTS_TABLE}, 2, %s, %s, '…', %s)",
                    [HIGHLIGHT_START, HIGHLIGHT_END, EXCERPT_WORDS],
                    self.parsed.fts5(),
                    list(by_id),
                )
            )
            for pk, clip in by_id.items():
                clip.headline = headlines.get(pk, "")
        unmarked = [pk for pk, clip in by_id.items() if HIGHLIGHT_START not in (clip.headline or "")]
        for pk, (name, passage) in attachment_passages(unmarked, self.parsed).items():
            by_id[pk].headline, by_id[pk].found_in = passage, name
        return [by_id[pk] for pk in ids if pk in by_id]

    def count(self):
        return len(self._candidates())

    def __len__(self):
        return self.count()

    def __bool__(self):
        return bool(self._candidates())

    def __getitem__(self, index):
        if isinstance(index, slice):
            return self._rows(self._candidates()[index])
        return self._rows([self._candidates()[index]])[0]

    def __iter__(self):
        return iter(self._rows(self._candidates()))


def attachment_passages(clip_ids, parsed):
    """{clip id: (file name, passage)} for the clips among `clip_ids` whose live attachments'
    text holds the search's words: the first such attachment, the words marked as in a headline.
    One query, for the few results shown."""
    if not clip_ids:
        return {}

    pattern = _words_pattern(parsed)
    found = {}
    rows = (
        Conversion.objects.filter(attachment__clip__in=clip_ids, attachment__pending=False)
        .exclude(text="")
        .order_by("attachment__position", "attachment__pk")
        .values_list("attachment__clip", "attachment__original_name", "text")
    )
    for clip_id, name, text in rows:
        if clip_id in found:
            continue
        match = pattern.search(text)
        if match:
            found[clip_id] = (name, _passage(text, match, pattern))
    return found


def _words_pattern(parsed):
    """The required words of `parsed` as one regular expression: each word as a word start (so
    "budget" also finds "budgets"; stems the database matches beyond that are not marked)."""
    terms = []
    for group in parsed.groups:
        for words in group.required:
            terms.append(r"\W+".join(re.escape(word) for word in words))
    return re.compile(r"(?<!\w)(?:" + "|".join(terms or ["(?!)"]) + ")", re.IGNORECASE)


def _passage(text, first, pattern):
    words = text[: first.start()].split()[-EXCERPT_WORDS // 3 :]
    rest = text[first.start() :].split()[: EXCERPT_WORDS - len(words)]
    passage = " ".join([*words, *rest])
    marked = pattern.sub(lambda m: f"{HIGHLIGHT_START}{m.group(0)}{HIGHLIGHT_END}", passage)
    return ("…" if len(words) < len(text[: first.start()].split()) else "") + marked + "…"


def _fts_matching(match):
    return RawSQL(f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s", [match])


def _fts_ranks(match, ids):
    """{rowid: rank} for the rows `ids` that match: bm25 (lower is better, so negated: both
    databases sort by rank descending) from the FTS table alone, over the rowid range the ids
    span — FTS5 scores only the rows in that range, where scoring every match of a word
    found in most clips cost five times the match itself (rowid IN (...) is slower still)."""
    if not ids:
        return {}
    wanted = set(ids)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT rowid, -bm25({FTS_TABLE}, 10.0, 4.0, 1.0, 0.5) FROM {FTS_TABLE} "
            f"WHERE {FTS_TABLE} MATCH %s AND rowid BETWEEN %s AND %s",
            [match, min(ids), max(ids)],
        )
        return {rowid: rank for rowid, rank in cursor.fetchall() if rowid in wanted}


def _fts_rows(column, params, match, ids):
    """(rowid, `column`) from the SQLite FTS table for the rows `ids` that match `match`."""
    if not ids:
        return []
    marks = ", ".join(["%s"] * len(ids))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT rowid, {column} FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s AND rowid IN ({marks})",
            [*params, match, *ids],
        )
        return cursor.fetchall()


# The index follows clips and attachments, in the same transaction (connected in NewsConfig.ready).


@receiver(post_save, sender=NewsClip)
def index_clip(sender, instance, **kwargs):
    index_clips([instance.pk])


@receiver(post_delete, sender=NewsClip)
def unindex_deleted_clip(sender, instance, **kwargs):
    unindex_clip(instance.pk)


@receiver(post_save, sender=Attachment)
@receiver(post_delete, sender=Attachment)
def index_attachment_names(sender, instance, **kwargs):
    # A pending row (a draft's) is not in the index: its save or delete changes nothing there.
    # It goes in when publishing saves it live (news.publishing.workflow._apply) or saves the clip.
    if instance.is_live():
        index_clips([instance.clip_id])


@receiver(post_save, sender=Conversion)
@receiver(post_delete, sender=Conversion)
def index_attachment_text(sender, instance, raw=False, **kwargs):
    """An attachment's text (news.files.conversions) joins or leaves its clip's index."""
    if raw or not instance.attachment.is_live():
        return
    index_clips([instance.attachment.clip_id])
