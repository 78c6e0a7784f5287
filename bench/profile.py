"""Where a request's time goes: cProfile over real requests through the whole WSGI stack.

    .venv/bin/python bench/profile.py [--clips N] [--requests N] [--keep DIR] PATH [PATH ...]

Seeds a throwaway site (bench/harness.py: SQLite, DEBUG off) with N generated clips
(10,000 by default), or reuses the one kept in DIR by an earlier `--keep DIR` run, then
for each PATH sends requests in-process through Django's WSGI handler, every middleware
included: first anonymous (the page cache), then with a session cookie (uncached, what
a cache miss costs). Prints milliseconds per request beside the minimal Django view
(bench/minimal/, timed the same way in its own process) and the profile's top entries.
No server and no load generator: this is for finding the cost, bench/throughput.py
measures it.
"""

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import PYTHON, ROOT, BenchSite  # noqa: E402
from seed import SEED_SCRIPT  # noqa: E402

# Runs inside the site's environment (or the minimal app's): N requests to a path, timed and profiled.
REQUESTS = r"""
import cProfile, io, json, pstats, sys, time
from wsgiref.util import setup_testing_defaults
path, count, cookie, top = sys.argv[1], int(sys.argv[2]), sys.argv[3] == "1", int(sys.argv[4])
if len(sys.argv) > 5:
    sys.path.insert(0, sys.argv[5]); import app; application = app.application
else:
    import django; django.setup()
    from django.core.wsgi import get_wsgi_application; application = get_wsgi_application()
path, _, query = path.partition("?")

def request():
    environ = {"PATH_INFO": path, "QUERY_STRING": query, "HTTP_HOST": "127.0.0.1", "REQUEST_METHOD": "GET"}
    if cookie:
        environ["HTTP_COOKIE"] = "sessionid=bench"
    setup_testing_defaults(environ)
    statuses = []
    body = b"".join(application(environ, lambda status, headers, exc=None: statuses.append(status)))
    assert statuses[0].startswith("200"), (path, statuses[0])
    return body

for _ in range(20):
    size = len(request())
started = time.perf_counter()
for _ in range(count):
    request()
elapsed = (time.perf_counter() - started) / count
profile = cProfile.Profile()
profile.enable()
for _ in range(count):
    request()
profile.disable()
out = io.StringIO()
stats = pstats.Stats(profile, stream=out)
stats.sort_stats("tottime").print_stats(top)
stats.sort_stats("cumulative").print_stats(top)
print(json.dumps({"ms": elapsed * 1000, "bytes": size, "profile": out.getvalue()}))
"""


def timed(env, path, count, cookie, top, app_dir=None):
    args = [PYTHON, "-c", REQUESTS, path, str(count), "1" if cookie else "0", str(top)]
    if app_dir:
        args.append(str(app_dir))
    result = subprocess.run(args, cwd=app_dir or ROOT, env=env, capture_output=True, text=True)
    if result.returncode:
        sys.exit(f"{path}: {result.stderr.strip()}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--clips", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--keep", metavar="DIR", help="keep (or reuse) the seeded site in DIR")
    parser.add_argument("--quiet", action="store_true", help="timings only, no profile")
    args = parser.parse_args()
    site = BenchSite(folder=args.keep)
    with site:
        if not site.seeded():
            print(f"Seeding {args.clips:,} clips …", flush=True)
            site.manage_python(SEED_SCRIPT, str(args.clips))
            site.manage("collectstatic", "--noinput", "-v0")
            site.mark_seeded()
        env = {**site.env, "PYTHONPATH": str(ROOT)}
        minimal_env = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
        minimal = timed(minimal_env, "/", args.requests, False, args.top, ROOT / "bench" / "minimal")["ms"]
        print(f"minimal Django view: {minimal:.2f} ms per request")
        for path in args.paths:
            for cookie in (False, True):
                result = timed(env, path, args.requests, cookie, args.top)
                label = "uncached (session cookie)" if cookie else "anonymous"
                print(
                    f"\n== {path} {label}: {result['ms']:.2f} ms per request, {result['bytes']:,} bytes, "
                    f"{minimal / result['ms']:.2f} of the minimal view"
                )
                if not args.quiet:
                    print(result["profile"])


if __name__ == "__main__":
    main()
