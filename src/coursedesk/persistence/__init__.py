"""The durable copy of the store: a SQLite library (by default), written on every edit."""
