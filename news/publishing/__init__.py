"""Publishing a clip: the steps (draft, review, publish, schedule, unpublish, restore) with their
snapshots (`workflow`), the compare of two revisions (`revision_diff`), and what the public sees
right now, cached (`state`). Imports `news.models` and `core`, never `news.files`, `news.search`
or `news.public`."""
