"""The warehouse: where it is, how to reach it as each role, and its bootstrap.

`WAREHOUSE_URL` names a user's own PostgreSQL server (an administrator's URL,
used only to bootstrap). Unset, an embedded PostgreSQL 16 from the `pgserver`
wheel runs with its data under `WAREHOUSE_DIR` (default `.warehouse/`) and stays
up between commands; it listens on a Unix socket only and trusts local users.

    python -m ingestion.warehouse up|down|status|url|psql|env|bootstrap|summary
"""

from __future__ import annotations

import argparse
import os
import shlex
import subprocess
import sys
import warnings
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

import psycopg
from psycopg import sql

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DATABASE = "warehouse"
SCHEMAS = ("raw", "staging", "intermediate", "marts", "ops")
ROLES = ("loader", "transformer", "reader", "app_auth")
# The dashboards' login check: reads and updates ops.app_users (hashes, failed attempts, locks) and nothing else.
AUTH_ROLE = "app_auth"
READER_WORK_MEM = os.environ.get("WAREHOUSE_READER_WORK_MEM", "64MB")

APP_USERS_DDL = """
create table if not exists ops.app_users (
    username        text        primary key check (username = lower(username) and username <> ''),
    password_hash   text        not null,
    role            text        not null check (role in ('director', 'finance', 'marketing', 'data_engineer')),
    display_name    text,
    is_active       boolean     not null default true,
    failed_attempts integer     not null default 0,
    locked_until    timestamptz,
    last_login_at   timestamptz,
    created_at      timestamptz not null default now(),
    updated_at      timestamptz not null default now()
)
"""


@dataclass(frozen=True)
class Conn:
    """Connection parameters of one role; host is a socket directory for the embedded server."""

    host: str
    port: int
    user: str
    password: str
    dbname: str

    def url(self, driver: str = "postgresql") -> str:
        auth = quote(self.user, safe="") + (":" + quote(self.password, safe="") if self.password else "")
        if self.host.startswith("/"):
            return f"{driver}://{auth}@/{self.dbname}?host={quote(self.host)}&port={self.port}"
        return f"{driver}://{auth}@{self.host}:{self.port}/{self.dbname}"

    def sqlalchemy_url(self) -> str:
        return self.url("postgresql+psycopg")

    def connect(self, **kwargs) -> psycopg.Connection:
        """A psycopg connection; keyword arguments override the parameters (e.g. dbname, autocommit)."""
        params = {"host": self.host, "port": self.port, "user": self.user, "password": self.password or None,
                  "dbname": self.dbname}
        return psycopg.connect(**{**params, **kwargs})


def embedded_dir() -> Path:
    """The embedded server's data directory: WAREHOUSE_DIR (an empty value counts as unset), else .warehouse/."""
    return Path(os.environ.get("WAREHOUSE_DIR") or PROJECT_ROOT / ".warehouse").resolve()


def is_embedded() -> bool:
    return not os.environ.get("WAREHOUSE_URL")


def _embedded_server():
    # pgserver's lock file lives in the XDG runtime dir; platformdirs warns when that is unset (CI, root shells).
    warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")
    import pgserver  # imported lazily: starting it takes a moment and is not needed with WAREHOUSE_URL

    datadir = embedded_dir()
    # pgserver takes the directory over (as root it hands it to its own user): never a folder of other files
    if datadir.is_dir() and any(datadir.iterdir()) and not (datadir / "PG_VERSION").exists():
        raise SystemExit(f"WAREHOUSE_DIR={datadir} holds other files and no PostgreSQL data: "
                         "name an empty or new directory for the embedded warehouse")
    datadir.mkdir(parents=True, exist_ok=True)
    # cleanup_mode=None: the server outlives this process, so the next command finds it running.
    return pgserver.get_server(datadir, cleanup_mode=None)


def admin() -> Conn:
    """The administrator connection: the URL's user, or the embedded server's superuser."""
    url = os.environ.get("WAREHOUSE_URL")
    if url:
        parts = urlsplit(url)
        if parts.scheme not in ("postgresql", "postgres", "postgresql+psycopg"):
            raise SystemExit(f"WAREHOUSE_URL must be a postgresql:// URL, got scheme {parts.scheme!r}")
        return Conn(
            host=parts.hostname or "localhost",
            port=parts.port or 5432,
            user=unquote(parts.username or "postgres"),
            password=unquote(parts.password or ""),
            dbname=parts.path.lstrip("/") or DATABASE,
        )
    info = _embedded_server().get_postmaster_info()
    return Conn(host=str(info.socket_dir), port=info.port or 5432, user="postgres", password="", dbname=DATABASE)


def role_password(role: str) -> str:
    """A role's password from `WAREHOUSE_<ROLE>_PASSWORD`; the embedded server trusts local sockets instead."""
    return os.environ.get(f"WAREHOUSE_{role.upper()}_PASSWORD", "")


def as_role(role: str) -> Conn:
    if role not in ROLES:
        raise ValueError(f"unknown warehouse role {role!r}; expected one of {', '.join(ROLES)}")
    return replace(admin(), user=role, password=role_password(role))


def up() -> Conn:
    """Start the embedded server if needed, bootstrap the database and create the raw contract tables
    (empty until the first load, so the models build from day one); return the admin connection."""
    from ingestion.loader.raw_tables import create_raw_tables  # the loader knows the tables; we know the server

    conn = admin()
    ensure_database(conn)
    bootstrap(conn)
    create_raw_tables(as_role("loader"))
    return conn


def ensure_database(conn: Conn) -> None:
    if not is_embedded():
        return  # a user's own server: the URL names an existing database
    with conn.connect(dbname="postgres", autocommit=True) as c:
        exists = c.execute("select 1 from pg_database where datname = %s", (conn.dbname,)).fetchone()
        if not exists:
            c.execute(sql.SQL("create database {}").format(sql.Identifier(conn.dbname)))


def bootstrap(conn: Conn) -> None:
    """Create schemas and least-privilege roles. Idempotent: safe to run on every start."""
    ident = sql.Identifier
    db = ident(conn.dbname)
    with conn.connect(autocommit=True) as c:
        for role in ROLES:
            if not c.execute("select 1 from pg_roles where rolname = %s", (role,)).fetchone():
                c.execute(sql.SQL("create role {} login").format(ident(role)))
            password = role_password(role)
            if password:
                c.execute(sql.SQL("alter role {} login password {}").format(ident(role), sql.Literal(password)))
        # Nobody gets anything by default: no temp tables, no objects in public.
        c.execute(sql.SQL("revoke all on database {} from public").format(db))
        c.execute("revoke all on schema public from public")
        for role in ROLES:
            c.execute(sql.SQL("grant connect on database {} to {}").format(db, ident(role)))
        # dbt and the loader stage through temporary tables; the reader gets none.
        c.execute(sql.SQL("grant temporary on database {} to transformer, loader").format(db))

        owners = {"raw": "loader", "ops": "loader", "staging": "transformer", "intermediate": "transformer",
                  "marts": "transformer"}
        for schema, owner in owners.items():
            c.execute(sql.SQL("create schema if not exists {} authorization {}").format(ident(schema), ident(owner)))
            c.execute(sql.SQL("alter schema {} owner to {}").format(ident(schema), ident(owner)))
            c.execute(sql.SQL("revoke all on schema {} from public").format(ident(schema)))

        # transformer reads what the loader writes, now and in the future.
        for schema in ("raw", "ops"):
            c.execute(sql.SQL("grant usage on schema {} to transformer").format(ident(schema)))
            c.execute(sql.SQL("grant select on all tables in schema {} to transformer").format(ident(schema)))
            c.execute(sql.SQL("alter default privileges for role loader in schema {} grant select on tables to "
                              "transformer").format(ident(schema)))
        # reader sees the marts and nothing else.
        c.execute("grant usage on schema marts to reader")
        c.execute("grant select on all tables in schema marts to reader")
        c.execute("alter default privileges for role transformer in schema marts grant select on tables to reader")
        # A dashboard's group-by over a year of deals (tens of thousands of clients) spills to disk in the
        # default 4 MB; 20 readers at 64 MB each still fit a small server.
        c.execute(sql.SQL("alter role reader set work_mem = {}").format(sql.Literal(READER_WORK_MEM)))
        # PostgreSQL 16's parallel hash right join fails ("invalid DSA memory alloc request size") when the side it
        # hashes has many NULL keys, as a left join from settlement balances to orders does (most keys have no
        # order) if planned backwards. The serial hash join copes; dbt's two threads keep both cores busy anyway.
        c.execute("alter role transformer set enable_parallel_hash = off")

        # Dashboard users: owned by the administrator, so only app_auth (the login check) touches them;
        # the transformer's blanket select on ops must not reach the password hashes.
        c.execute(APP_USERS_DDL)
        c.execute("revoke all on ops.app_users from public, loader, transformer, reader")
        c.execute(sql.SQL("grant usage on schema ops to {}").format(ident(AUTH_ROLE)))
        c.execute(sql.SQL("grant select, update on ops.app_users to {}").format(ident(AUTH_ROLE)))


def dbt_env(role: str = "transformer") -> dict[str, str]:
    """Environment variables that dbt/profiles.yml reads."""
    conn = as_role(role)
    return {
        "DBT_PG_HOST": conn.host,
        "DBT_PG_PORT": str(conn.port),
        "DBT_PG_USER": conn.user,
        "DBT_PG_PASSWORD": conn.password,
        "DBT_PG_DBNAME": conn.dbname,
    }


def export_dbt_env() -> None:
    """Put the dbt connection variables into this process's environment, keeping any already set."""
    for key, value in dbt_env().items():
        os.environ.setdefault(key, value)


def status() -> str:
    where = "embedded at " + str(embedded_dir()) if is_embedded() else "WAREHOUSE_URL"
    if is_embedded():
        warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")
        from pgserver.utils import PostmasterInfo

        info = PostmasterInfo.read_from_pgdata(embedded_dir())
        if info is None or not info.is_running():
            return f"warehouse: {where}: stopped"
    try:
        with admin().connect(connect_timeout=5) as c:
            version = c.execute("show server_version").fetchone()[0]
    except psycopg.Error as exc:
        return f"warehouse: {where}: unreachable ({exc})"
    return f"warehouse: {where}: running PostgreSQL {version}"


SUMMARY_SQL = """
with last as (
    select distinct on (source, entity) source, entity, rows_read, rows_loaded, rows_rejected, status
    from ops.load_audit order by source, entity, batch_id desc
)
select source, count(*) as entities, sum(rows_read), sum(rows_loaded), sum(rows_rejected),
       count(*) filter (where status <> 'succeeded') as not_succeeded
from last group by source order by source
"""


def summary() -> str:
    """What the last load of each source read, loaded and rejected, and what the marts hold."""
    lines = []
    with admin().connect() as c:
        if c.execute("select to_regclass('ops.load_audit') is not null").fetchone()[0]:
            lines.append(f"{'source':<20}{'entities':>9}{'read':>12}{'loaded':>12}{'rejected':>10}  status")
            for source, entities, read, loaded, rejected, bad in c.execute(SUMMARY_SQL).fetchall():
                status = "ok" if not bad else f"{bad} not succeeded"
                lines.append(f"{source:<20}{entities:>9}{read:>12,}{loaded:>12,}{rejected:>10,}  {status}")
        marts = c.execute("select count(*) from information_schema.tables where table_schema = 'marts'").fetchone()[0]
        lines.append(f"marts: {marts} tables and views")
    return "\n".join(lines)


def down() -> None:
    if not is_embedded():
        raise SystemExit("WAREHOUSE_URL is set: the warehouse is your own server; stop it there.")
    from pgserver._commands import pg_ctl
    from pgserver.utils import PostmasterInfo

    info = PostmasterInfo.read_from_pgdata(embedded_dir())
    if info is None or not info.is_running():
        print("warehouse: already stopped")
        return
    user = "pgserver" if os.geteuid() == 0 else None  # pgserver runs the server as this user when we are root
    pg_ctl(["-w", "-m", "fast", "stop"], pgdata=embedded_dir(), user=user)
    print("warehouse: stopped")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m ingestion.warehouse", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=["up", "down", "status", "url", "psql", "env", "bootstrap", "summary"])
    parser.add_argument("--role", choices=("admin",) + ROLES, default="admin",
                        help="the role for url/psql (default: admin)")
    args = parser.parse_args(argv)

    if args.command in ("up", "bootstrap"):
        conn = up()
        print(f"warehouse: up, database {conn.dbname!r}, schemas {', '.join(SCHEMAS)}, roles {', '.join(ROLES)}")
    elif args.command == "down":
        down()
    elif args.command == "status":
        print(status())
    elif args.command == "summary":
        print(summary())
    elif args.command == "env":
        for key, value in dbt_env().items():
            print(f"export {key}={shlex.quote(value)}")
    else:
        conn = admin() if args.role == "admin" else as_role(args.role)
        if args.command == "url":
            print(conn.url())
        else:
            psql = _psql_binary()
            sys.exit(subprocess.call([psql, conn.url()]))


def _psql_binary() -> str:
    if is_embedded():
        from pgserver._commands import POSTGRES_BIN_PATH

        return str(POSTGRES_BIN_PATH / "psql")
    return "psql"


if __name__ == "__main__":
    main()
