"""Text stages: what the text itself tells about its damage, page numbers and tokens."""
