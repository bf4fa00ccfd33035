"""One module per official list format. Each exposes a ``parse_*`` function taking the
path of the official file (or the folder holding a multi-file set) and returning a
:class:`core.model.ParsedList`. Parsers are pure: no network, no engine."""
