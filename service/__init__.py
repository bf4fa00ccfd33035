"""The top layer: the `screening` command line, and (later) the HTTP API and lookup page."""
