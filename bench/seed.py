"""Generated clips for the benchmarks, in bulk, then the search index built once for all of
them (news.search.index_clips), not per save.

Run inside Django (BenchSite.manage_python(SEED_SCRIPT, count)); prints the clip count and
the seconds it took. 100,000 clips on PostgreSQL must take under two minutes (issue 12):

- bodies are 300 words made of ten 30-word sentences drawn from a pool, not 300 separate
  random draws (which alone took ~20 s of Python for 100,000 clips);
- PostgreSQL: rows go in with COPY; the table's secondary indexes (the GIN search index
  among them) are dropped around the load and the search-vector UPDATE and rebuilt once
  afterwards from their own definitions, which is much cheaper than maintaining them row
  by row; then VACUUM ANALYZE, as autovacuum would on a live site;
- PostgreSQL's to_tsvector parses ~2 KB of body a millisecond or slower: 100,000 bodies took
  80 s of the two minutes. A body is ten pool sentences, and the tsvector of a text is the
  concatenation (`||`, which shifts positions) of its sentences' tsvectors, so the seed
  parses the 4,000 sentences once and concatenates. The titles and subtitles are parsed as
  index_clips() does, and a sample of clips is then re-indexed by index_clips() itself and
  must come out identical (the seed fails otherwise);
- SQLite: bulk_create in large batches, then the FTS5 table filled in one statement.
"""

SEED_SCRIPT = r"""
import random, sys, time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone
from news.models import NewsClip
from news.search import index_clips
from projects.models import Project

started = time.perf_counter()


def phase(name):
    print(f"  {name}: {time.perf_counter() - started:.1f} s", file=sys.stderr, flush=True)


call_command("load_seed", verbosity=0)
count = int(sys.argv[1])
words = ("Gwangju city mayor subway jobs hydrogen culture stream festival safety welfare "
         "innovation citizens budget project plant railway museum river park").split()
rng = random.Random(7)
sentences = [" ".join(rng.choices(words, k=30)) for _ in range(4000)]
now = timezone.now()
postgres = connection.vendor == "postgresql"
table = NewsClip._meta.db_table
through = NewsClip.projects.through
project_ids = list(Project.objects.values_list("id", flat=True))


picks = []


def varied(i):
    chosen = rng.choices(range(len(sentences)), k=10)
    picks.append(chosen)
    text = " ".join(sentences[n] for n in chosen)
    return {
        "title": f"Bench clip {i} " + " ".join(rng.choices(words, k=5)),
        "slug": f"bench-clip-{i}",
        "subtitle": "Subtitle " + rng.choice(words),
        "body": f"<p>{text}</p>",
        "excerpt": " ".join(text.split(" ", 50)[:50]) + "…",
        "body_text": text,
        # Two clips an hour: 100,000 clips reach back about six years.
        "publish_at": now - timedelta(minutes=30 * i + 1),
        "view_count": rng.randint(0, 5000),
    }


template = NewsClip(status="published", highlights="One\nTwo")
fields = [f for f in NewsClip._meta.concrete_fields if not f.primary_key]
constant = {f.attname: f.pre_save(template, True) for f in fields}
columns = [f.attname for f in fields]

with transaction.atomic():
    if postgres:
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
            # Foreign keys checked as rows arrive: CREATE INDEX refuses to run with checks pending.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(
                "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.tablename = %s AND NOT EXISTS "
                "(SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)", [table])
            indexes = cursor.fetchall()
            for name, _ in indexes:
                cursor.execute(f'DROP INDEX "{name}"')
            names = ", ".join(f'"{c}"' for c in columns)
            with cursor.cursor.copy(f'COPY "{table}" ({names}) FROM STDIN') as copy:
                for i in range(count):
                    row = {**constant, **varied(i)}
                    copy.write_row([row[c] for c in columns])
            phase("clips copied")
    else:
        batch = []
        for i in range(count):
            batch.append(NewsClip(**{**constant, **varied(i)}))
            if len(batch) == 20000:
                NewsClip.objects.bulk_create(batch); batch = []
        NewsClip.objects.bulk_create(batch)
    clip_ids = NewsClip.objects.filter(slug__startswith="bench-clip-").values_list("id", flat=True)
    links = [(clip_id, rng.choice(project_ids)) for clip_id in clip_ids.iterator(chunk_size=20000)]
    if postgres:
        with connection.cursor() as cursor:
            with cursor.cursor.copy(f'COPY "{through._meta.db_table}" (newsclip_id, project_id) FROM STDIN') as copy:
                for link in links:
                    copy.write_row(link)
    else:
        through.objects.bulk_create([through(newsclip_id=c, project_id=p) for c, p in links], batch_size=20000)
    phase("projects linked")
    if postgres:
        with connection.cursor() as cursor:
            # Plain (unlogged) tables, not temporary ones: the vectors are computed on two
            # connections below, which must both see them.
            cursor.execute(
                "CREATE UNLOGGED TABLE bench_sentence AS SELECT n, to_tsvector('english', t) AS v "
                "FROM unnest(%s::text[]) WITH ORDINALITY AS s(t, n)", [sentences])
            cursor.execute("ALTER TABLE bench_sentence ADD PRIMARY KEY (n)")
            cursor.execute("CREATE UNLOGGED TABLE bench_body (slug text PRIMARY KEY, picks int[])")
            with cursor.cursor.copy("COPY bench_body (slug, picks) FROM STDIN") as copy:
                for i, chosen in enumerate(picks):
                    copy.write_row((f"bench-clip-{i}", [n + 1 for n in chosen]))
            cursor.execute("ANALYZE bench_body")


# Each job (a list of SQL statements) on its own connection, two at a time: the machine's two
# cores. Statements commit one by one (the load above is committed already).
def on_both_cores(jobs):

    def run(statements):
        try:
            with connection.cursor() as cursor:
                cursor.execute("SET maintenance_work_mem = '256MB'")
                for sql in statements:
                    cursor.execute(sql)
        finally:
            connection.close()

    with ThreadPoolExecutor(2) as pool:
        list(pool.map(run, jobs))


if postgres:
    body = " || ".join(f"(SELECT v FROM bench_sentence WHERE n = b.picks[{k}])" for k in range(1, 11))
    # The same vector as news.search.index_clips (a bench clip has no attachments), and its word
    # pairs and triples (migration 0025) in the same UPDATE, so that each row is written once;
    # half the clips on each core.
    vector = (
        "setweight(to_tsvector('english', c.title), 'A') || setweight(to_tsvector('english', "
        "c.subtitle || ' ' || c.highlights || ' ' || ''), 'B') || "
        f"setweight({body}, 'C')")
    on_both_cores([[
        f'UPDATE "{table}" SET search_vector = v.vector, search_pairs = gwangju_lexeme_pairs(v.vector) '
        f'FROM (SELECT c.id, {vector} AS vector FROM "{table}" c JOIN bench_body b ON c.slug = b.slug '
        f'WHERE c.id % 2 = {half}) v WHERE "{table}".id = v.id'
    ] for half in (0, 1)])
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE bench_body, bench_sentence")
        cursor.execute(f'SELECT id FROM "{table}" WHERE search_vector IS NULL')
        index_clips([pk for (pk,) in cursor.fetchall()])  # the seed content
    sample = rng.sample(list(clip_ids), 25)
    columns = ("pk", "search_vector", "search_pairs")
    fast = list(NewsClip.objects.filter(pk__in=sample).order_by("pk").values_list(*columns))
    index_clips(sample)
    if fast != list(NewsClip.objects.filter(pk__in=sample).order_by("pk").values_list(*columns)):
        raise SystemExit("bench/seed.py: the seeded search vectors differ from index_clips()")
    phase("search index built")
    # The word pairs' index (the largest) on one core, every other index on the other.
    pairs = [definition for name, definition in indexes if "pairs" in name]
    on_both_cores([pairs, [definition for name, definition in indexes if "pairs" not in name]])
    phase("indexes rebuilt")
else:
    index_clips()
    phase("search index built")
if postgres:
    # What autovacuum does on a live site: statistics, and the visibility map index-only scans need.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    phase("vacuumed")
print(NewsClip.objects.count(), round(time.perf_counter() - started, 1))
"""
