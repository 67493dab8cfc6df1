"""Alembic environment: migrations run on the connection the library hands over."""

from __future__ import annotations

from alembic import context

from coursedesk.persistence.schema import metadata

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("CourseDesk migrations run from open_library(), not the alembic command.")

context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=True,
)
with context.begin_transaction():
    context.run_migrations()
