"""The audit log: an append-only record of security-relevant acts (identity reveals, logins, grants...)."""
