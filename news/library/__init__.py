"""The media library's steps across clips (news.library.operations): usage, replace in place, take down
everywhere. Sits beside the admin: imports news.models, news.files and news.publishing."""
