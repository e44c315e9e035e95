"""The migrations are the schema: applying them gives exactly the models, on both databases."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

from storage.database import Database, alembic_config
from storage.models import Base
from tests.conftest import DatabaseTarget


async def test_migrations_produce_exactly_the_models_schema(database_url: DatabaseTarget) -> None:
    database = database_url.open()
    try:
        await database.upgrade()

        def differences(connection):  # type: ignore[no-untyped-def]
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            return compare_metadata(context, Base.metadata)

        async with database.engine.connect() as connection:
            diff = await connection.run_sync(differences)
        assert diff == []
    finally:
        await database.dispose()


async def test_upgrade_is_idempotent_and_reaches_head(database_url: DatabaseTarget) -> None:
    database = database_url.open()
    try:
        await database.upgrade()
        await database.upgrade()
        head = ScriptDirectory.from_config(alembic_config()).get_current_head()
        assert await database.current_revision() == head

        async with database.engine.connect() as connection:
            tables = await connection.run_sync(lambda c: set(inspect(c).get_table_names()))
        assert set(Base.metadata.tables) <= tables
    finally:
        await database.dispose()


async def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(tmp_path) -> None:  # type: ignore[no-untyped-def]
    database = Database(f"sqlite+aiosqlite:///{tmp_path / 'wal.db'}")
    try:
        async with database.engine.connect() as connection:
            journal = (await connection.exec_driver_sql("PRAGMA journal_mode")).scalar()
            timeout = (await connection.exec_driver_sql("PRAGMA busy_timeout")).scalar()
            foreign_keys = (await connection.exec_driver_sql("PRAGMA foreign_keys")).scalar()
        assert journal == "wal"
        assert timeout == 30000
        assert foreign_keys == 1
    finally:
        await database.dispose()
