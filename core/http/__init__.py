"""HTTP that knows nothing of content: files served with ranges and validators (`serving`),
the ZIP laid out before it is sent (`bundle`), conditional GET for views (`conditional`)."""
