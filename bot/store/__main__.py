"""``python -m bot.store upgrade|forget``: database chores for operators.

Exit 2 with a message on bad arguments or an unknown screening id.
"""

from __future__ import annotations

import argparse
import sys

from bot.sites import SitesError
from bot.store import prepare
from bot.store.db import Database
from bot.store.forget import forget_screening


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.store")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("upgrade", help="migrate the database ($DATABASE_URL) to the newest schema and sync sites")
    forget = commands.add_parser("forget", help="delete a person's screenings and leads (right to be forgotten)")
    forget.add_argument("screening_id")
    forget.add_argument("--actor", default="operator:cli")
    args = parser.parse_args(argv)

    database = Database()
    try:
        if args.command == "upgrade":
            prepare(database)
            print(f"database ready: {database.engine.url.render_as_string(hide_password=True)}")
            return 0
        with database.transaction() as session:
            forgotten = forget_screening(session, args.screening_id, actor=args.actor, source="cli")
        if forgotten is None:
            print(f"error: no screening with id {args.screening_id}", file=sys.stderr)
            return 2
        print(f"forgotten: {forgotten.screenings} screening(s), {forgotten.leads} lead(s)")
        return 0
    except SitesError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    finally:
        database.dispose()


if __name__ == "__main__":
    sys.exit(main())
