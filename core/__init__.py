"""The pure core shared by the indexer and the service: the entity model and name matching.

Nothing in this package reads files from the network, speaks HTTP or talks to a search
engine; everything above (indexer, engines, service) depends on it, never the reverse.
"""
