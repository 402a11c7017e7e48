"""Bulk test data at scale: `flask seed-bulk --cases N` (see operations.seed_bulk)."""
