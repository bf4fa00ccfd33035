"""The HTTP endpoints, one module per concern: screening, read-only lookups, operations."""
