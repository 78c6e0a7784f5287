"""A clip's files: upload checks (`checks`), the admin's photo and attachment forms (`forms`),
uploads kept across a form error (`staging`), photo renditions, the page PDF, the download views
and the signals that remove files with their rows. Imports `news.models` and `core`, never
`news.publishing`, `news.search` or `news.public`."""
