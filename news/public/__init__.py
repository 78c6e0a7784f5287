"""What the public reads: the list and clip pages (`views`), their filters, live counters on cached
pages, the feed, structured data and headings. Sits on top: may import every part of `news`."""
