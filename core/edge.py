"""What a response served by the edge cache (nginx, deploy/nginx/gwangju-edge.conf) counts.

A page or file the edge serves from its cache never reaches the app, so the app cannot count
it. Instead every countable response says what one whole delivery of it counts, in a header:
`X-Edge-Count: view:12` (a view of item 12) or `download:4,5,6` (one download of each). nginx
keeps the header with the cached copy, never sends it to the reader, and writes it to a
dedicated log for each delivery it makes from its cache (its own misses were counted by the
app when it answered them). `core.edge_log` reads that log, exactly once, into the database.
"""

EDGE_COUNT_HEADER = "X-Edge-Count"


def declare_count(response, kind, ids):
    """Say what one whole delivery of this response counts: `kind` ("view" or "download") of each id."""
    ids = [str(int(pk)) for pk in ids]
    if ids:
        response[EDGE_COUNT_HEADER] = f"{kind}:{','.join(ids)}"
    return response


def parse_count(value):
    """(kind, [ids]) from a header value, or None for anything else (a line cut short, garbage)."""
    kind, _, ids = value.strip().partition(":")
    if kind not in {"view", "download"} or not ids:
        return None
    try:
        return kind, [int(pk) for pk in ids.split(",")]
    except ValueError:
        return None
