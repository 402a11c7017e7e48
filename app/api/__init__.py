"""Read-only JSON API over the same scoped queries as the HTML views (identity masked the same way)."""
