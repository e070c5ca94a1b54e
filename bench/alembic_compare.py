"""Alembic's `compare_metadata` on the benchmark's database, for comparison with autogen.

The database is one `just bench` loaded and kept (AUTOGEN_BENCH_KEEP=1 prints its URL). The
MetaData that plays the models is the same database reflected once, before the clock starts,
so the comparison is a no-op, like autogen's `check`; then `compare_metadata` is timed, which
reflects the database again and compares it with the MetaData: what `alembic revision
--autogenerate` and `alembic check` do. With --changed, one table in a hundred gets a new
column in the MetaData, like the benchmark's 1%-changed revision.

    python3 -m venv /tmp/alembic-venv
    /tmp/alembic-venv/bin/pip install alembic sqlalchemy psycopg2-binary
    /tmp/alembic-venv/bin/python bench/alembic_compare.py postgresql://postgres@127.0.0.1/DB --runs 5

Prints the min / median / max seconds of the timed runs and how many differences Alembic
reported (a reflected schema compared with itself is not always empty: Alembic skips
expression indexes with a warning, for one).
"""

import argparse
import statistics
import sys
import time
import warnings

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

SCHEMAS = ["public", "ops"]
CHANGED_EVERY = 100


def reflected(engine):
    metadata = sa.MetaData()
    for schema in SCHEMAS:
        metadata.reflect(bind=engine, schema=None if schema == "public" else schema)
    return metadata


def include_name(name, type_, parent_names):
    # The benchmark's two schemas and nothing else (the default schema is None).
    if type_ == "schema":
        return name in (None, *SCHEMAS)
    return True


def compare(engine, metadata):
    with engine.connect() as conn:
        context = MigrationContext.configure(
            conn,
            opts={
                "include_schemas": True,
                "include_name": include_name,
                "compare_type": True,
                "compare_server_default": True,
            },
        )
        return compare_metadata(context, metadata)


def main():
    # SQLAlchemy sorts tables by their foreign keys recursively; the twin's chains of foreign
    # keys across 1,000 tables go deeper than Python's default limit of 1,000 frames.
    sys.setrecursionlimit(100_000)
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("url", help="the database the benchmark loaded")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--changed",
        action="store_true",
        help="add a column to one table in a hundred in the MetaData first",
    )
    args = parser.parse_args()
    url = args.url.replace("postgres://", "postgresql+psycopg2://", 1)
    url = url.replace("postgresql://", "postgresql+psycopg2://", 1)
    engine = sa.create_engine(url)
    warnings.simplefilter("ignore")  # expression indexes: "skipped", once per table

    started = time.perf_counter()
    metadata = reflected(engine)
    reflect_seconds = time.perf_counter() - started
    tables = sorted(metadata.tables.values(), key=lambda t: t.fullname)
    if args.changed:
        for i, table in enumerate(tables):
            if i % CHANGED_EVERY == CHANGED_EVERY // 2:
                table.append_column(sa.Column("extra", sa.Integer, nullable=True))

    times = []
    differences = None
    for _ in range(args.runs + 1):  # the first is a warm-up
        started = time.perf_counter()
        differences = compare(engine, metadata)
        times.append(time.perf_counter() - started)
    times = times[1:]
    print(
        f"alembic compare_metadata, {len(tables)} tables "
        f"({'1% changed' if args.changed else 'no-op'}): "
        f"min {min(times):.3f} s, median {statistics.median(times):.3f} s, "
        f"max {max(times):.3f} s over {len(times)} runs; "
        f"{len(differences)} differences reported; "
        f"(building the MetaData by reflection took {reflect_seconds:.3f} s, not counted)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
