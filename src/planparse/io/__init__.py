"""Input formats: markup loaders that turn a decoded document into a :class:`~planparse.document.TextView`."""
