"""Search back ends: the embedded in-process index, Elasticsearch and OpenSearch."""
