"""Generated clips for the benchmarks, in bulk: rows with bulk_create, then the search index
built once for all of them (news.search.index_clips), not per save.

Run inside Django (BenchSite.manage_python(SEED_SCRIPT, count)).
"""

SEED_SCRIPT = r"""
import random, sys, time
from datetime import timedelta
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone
from news.models import NewsClip
from news.search import index_clips
from projects.models import Project
started = time.perf_counter()
call_command("load_seed", verbosity=0)
count = int(sys.argv[1])
words = ("Gwangju city mayor subway jobs hydrogen culture stream festival safety welfare "
         "innovation citizens budget project plant railway museum river park").split()
rng = random.Random(7)
now = timezone.now()
with transaction.atomic():
    clips = []
    for i in range(count):
        text = " ".join(rng.choice(words) for _ in range(300))
        clips.append(NewsClip(
            title=f"Bench clip {i} " + " ".join(rng.choice(words) for _ in range(5)),
            slug=f"bench-clip-{i}", subtitle="Subtitle " + rng.choice(words),
            highlights="One\nTwo", body=f"<p>{text}</p>", excerpt=" ".join(text.split()[:50]) + "…",
            body_text=text, status="published",
            # Two clips an hour: 100,000 clips reach back about six years.
            publish_at=now - timedelta(minutes=30 * i + 1), view_count=rng.randint(0, 5000)))
        if len(clips) == 5000:
            NewsClip.objects.bulk_create(clips); clips = []
    NewsClip.objects.bulk_create(clips)
    through = NewsClip.projects.through
    project_ids = list(Project.objects.values_list("id", flat=True))
    links = [through(newsclip_id=c, project_id=rng.choice(project_ids))
             for c in NewsClip.objects.filter(slug__startswith="bench-").values_list("id", flat=True)]
    through.objects.bulk_create(links, batch_size=5000)
    index_clips()
if connection.vendor == "postgresql":
    # What autovacuum does on a live site: statistics, and the visibility map index-only scans need.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
print(NewsClip.objects.count(), round(time.perf_counter() - started, 1))
"""
