"""Exit 0 when the PostgreSQL server named by a database URL accepts connections, 1 otherwise.

Used by ``make test`` to decide whether to run the suite on PostgreSQL too. Usage:
``python -m csphub.tools.pg_available postgres://postgres@127.0.0.1:5432/csphub``
"""

from __future__ import annotations

import sys
from urllib.parse import urlparse

import psycopg


def available(url: str, timeout: int = 3) -> bool:
    parts = urlparse(url)
    if parts.scheme not in {"postgres", "postgresql"}:
        return False
    try:
        # Connect to the maintenance database: the target database may not exist yet (the test run creates it).
        with psycopg.connect(
            host=parts.hostname or "127.0.0.1",
            port=parts.port or 5432,
            user=parts.username or "postgres",
            password=parts.password,
            dbname="postgres",
            connect_timeout=timeout,
        ):
            return True
    except psycopg.Error:
        return False


def main() -> None:
    if len(sys.argv) != 2:
        sys.stderr.write("usage: python -m csphub.tools.pg_available DATABASE_URL\n")
        sys.exit(2)
    sys.exit(0 if available(sys.argv[1]) else 1)


if __name__ == "__main__":
    main()
