"""Manage dashboard users (ops.app_users) as the warehouse administrator.

    python -m dashboards.users add NAME --role ROLE [--password P] [--display-name TEXT]
    python -m dashboards.users set-role NAME ROLE
    python -m dashboards.users set-password NAME [--password P]
    python -m dashboards.users unlock NAME
    python -m dashboards.users disable|enable NAME
    python -m dashboards.users list

Roles: director (every page), finance, marketing, data_engineer. Without --password the password is
read from the terminal (or generated and printed with --generate).
"""

from __future__ import annotations

import argparse
import getpass
import secrets
import sys

from dashboards.auth import ROLES, hash_password
from ingestion import warehouse


def _connect():
    return warehouse.admin().connect(autocommit=True)


def upsert_user(username: str, password: str, role: str, display_name: str | None = None) -> None:
    """Create the user or reset its password, role and lock (used by `make demo`)."""
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}; expected one of {', '.join(ROLES)}")
    with _connect() as conn:
        conn.execute(
            "insert into ops.app_users (username, password_hash, role, display_name) values (%s, %s, %s, %s) "
            "on conflict (username) do update set password_hash = excluded.password_hash, role = excluded.role, "
            "display_name = excluded.display_name, is_active = true, failed_attempts = 0, locked_until = null, "
            "updated_at = now()",
            (username.strip().lower(), hash_password(password), role, display_name),
        )


def _update(username: str, assignment: str, params: tuple = ()) -> bool:
    with _connect() as conn:
        cur = conn.execute(f"update ops.app_users set {assignment}, updated_at = now() where username = %s",
                           (*params, username.strip().lower()))
        return cur.rowcount == 1


def set_role(username: str, role: str) -> bool:
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}; expected one of {', '.join(ROLES)}")
    return _update(username, "role = %s", (role,))


def set_password(username: str, password: str) -> bool:
    return _update(username, "password_hash = %s", (hash_password(password),))


def unlock(username: str) -> bool:
    return _update(username, "failed_attempts = 0, locked_until = null")


def set_active(username: str, active: bool) -> bool:
    return _update(username, "is_active = %s", (active,))


def list_users() -> list[tuple]:
    with _connect() as conn:
        return conn.execute(
            "select username, role, coalesce(display_name, ''), is_active, failed_attempts, locked_until, "
            "last_login_at from ops.app_users order by username").fetchall()


def _password(args) -> str:
    if args.password:
        return args.password
    if args.generate:
        password = secrets.token_urlsafe(12)
        print(f"password: {password}")
        return password
    password = getpass.getpass("password: ")
    if not password or password != getpass.getpass("again: "):
        raise SystemExit("passwords are empty or differ")
    return password


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m dashboards.users", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    add = sub.add_parser("add", help="add a user (or reset an existing one)")
    add.add_argument("username")
    add.add_argument("--role", required=True, choices=ROLES)
    add.add_argument("--display-name")
    for p in (add, sub.add_parser("set-password", help="set a user's password")):
        if p is not add:
            p.add_argument("username")
        p.add_argument("--password")
        p.add_argument("--generate", action="store_true", help="generate a password and print it")
    role = sub.add_parser("set-role", help="change a user's role")
    role.add_argument("username")
    role.add_argument("role", choices=ROLES)
    for name in ("unlock", "disable", "enable"):
        sub.add_parser(name).add_argument("username")
    sub.add_parser("list", help="list the users")
    args = parser.parse_args(argv)

    warehouse.bootstrap(warehouse.admin())  # ops.app_users exists from the first command on
    if args.command == "add":
        upsert_user(args.username, _password(args), args.role, args.display_name)
        print(f"user {args.username.lower()}: role {args.role}")
        return 0
    if args.command == "list":
        for row in list_users():
            print("\t".join("" if v is None else str(v) for v in row))
        return 0
    done = {
        "set-password": lambda: set_password(args.username, _password(args)),
        "set-role": lambda: set_role(args.username, args.role),
        "unlock": lambda: unlock(args.username),
        "disable": lambda: set_active(args.username, False),
        "enable": lambda: set_active(args.username, True),
    }[args.command]()
    if not done:
        print(f"no such user: {args.username}", file=sys.stderr)
        return 1
    print(f"user {args.username.lower()}: {args.command} done")
    return 0


if __name__ == "__main__":
    sys.exit(main())
