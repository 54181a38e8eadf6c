"""``python -m bot.console create-user|set-password|disable-user``: console accounts, from the command line only.

Passwords come from stdin (``--password-stdin``), never from the command line, where ``ps`` shows them.
Exit 2 with a message for a bad role, unknown site or user, duplicate user, or a short password.
"""

from __future__ import annotations

import argparse
import sys

from bot.console import accounts
from bot.sites import SitesError
from bot.store import audit, prepare
from bot.store.db import Database


def _password(args: argparse.Namespace) -> str:
    if not args.password_stdin:
        raise accounts.AccountError("give the password on stdin with --password-stdin")
    line = sys.stdin.readline()
    return line[:-1] if line.endswith("\n") else line


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.console", description="Coordinator console accounts")
    commands = parser.add_subparsers(dest="command", required=True)
    create = commands.add_parser("create-user", help="add an admin or a site coordinator")
    create.add_argument("username")
    create.add_argument("--role", required=True, help="admin | coordinator")
    create.add_argument("--site", help="the coordinator's site code (see bot/sites/sites.yml)")
    create.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
    create.add_argument("--language", help="the user's console language (zh, en); default: CONSOLE_LANGUAGE until "
                                           "the user chooses in the console")
    reset = commands.add_parser("set-password", help="change a password (ends the user's sessions)")
    reset.add_argument("username")
    reset.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
    disable = commands.add_parser("disable-user", help="stop a user from signing in (ends their sessions)")
    disable.add_argument("username")
    args = parser.parse_args(argv)

    database = Database()
    try:
        prepare(database)  # idempotent: the first admin can be created on a fresh database
        with database.transaction() as session:
            if args.command == "create-user":
                row = accounts.create_user(session, args.username, args.role, args.site, _password(args),
                                           args.language)
                action = "console.user_created"
            elif args.command == "set-password":
                row = accounts.set_password(session, args.username, _password(args))
                action = "console.password_set"
            else:
                row = accounts.disable_user(session, args.username)
                action = "console.user_disabled"
            detail = {"role": row.role, "site": row.site_code, "language": row.language}
            audit.record(session, actor="operator:cli", action=action, entity_type="console_user",
                         entity_id=str(row.id), source="cli", detail=detail)
        print(f"{args.command}: {args.username} done")
        return 0
    except (accounts.AccountError, SitesError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    finally:
        database.dispose()


if __name__ == "__main__":
    sys.exit(main())
