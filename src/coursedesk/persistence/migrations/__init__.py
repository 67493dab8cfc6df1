"""Alembic migrations of the library schema (run in-process by ``database.open_library``)."""
