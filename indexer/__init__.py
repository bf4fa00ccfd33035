"""The indexer: reads the governments' own list files, fetches them, builds indices."""
