"""Security: SQL only with bound parameters and quoted identifiers, no secrets in the repository, and the
least-privilege roles holding (what tests/warehouse/test_roles.py does not already cover).

The SQL check is static: every string in ingestion/, dagster_project/ and dashboards/ that is built at run
time (f-string, str.format, %, +) and reads as SQL may interpolate only constants, quoted identifiers
(psycopg `sql.Identifier`, `dashboards.db._ident`), integers, or values taken from the code's own constant
tables. Anything else must be in ALLOWED, reviewed, with the reason it cannot carry outside input."""

from __future__ import annotations

import ast
import re
import subprocess
from pathlib import Path

import psycopg
import pytest

from tests.conftest import ROOT

SCANNED = ("ingestion", "dagster_project", "dashboards")
# Writes dbt model files (Jinja SQL on disk, compared with the contract by tests/dbt/test_staging.py); runs no SQL.
NOT_EXECUTED = {"ingestion/onec/staging.py"}
SQL_TEXT = re.compile(
    r"^\s*(select|insert|update|delete|with|create|alter|drop|copy|truncate|grant|revoke|analyze)\b"
    r"|\bselect\b.*\bfrom\b|\binsert into\b|\bdelete from\b|\bupdate\s+\S+\s+set\b|\b(create|alter|drop) "
    r"(temp |temporary )?(table|view|schema|role)\b|\border by\b|\bgroup by\b|\bwhere\s", re.I | re.S)
QUOTING = {"Identifier", "_ident", "quote_ident", "Literal", "int", "len"}

# (file, interpolated expression) -> why it is safe. Reviewed by hand; keep it short.
ALLOWED = {
    ("ingestion/onec_sync.py", "spec.qualified"):
        "raw.<table> from the code's table contract (ASCII snake_case made by loader/tables.py), never input; "
        "unquoted, though: see docs/security.md, known gaps",
    ("ingestion/loader/batch.py", "c.pg_type"):
        "a PostgreSQL type name from EDM_TO_PG / the file specs (uuid, numeric, ...), a code constant",
    ("ingestion/loader/batch.py", "spec.column(k).pg_type"):
        "a PostgreSQL type name from EDM_TO_PG / the file specs, a code constant",
    ("ingestion/loader/ops_schema.py", "c.pg_type"):
        "a PostgreSQL type name from EDM_TO_PG / the file specs, a code constant",
    ("dashboards/users.py", "assignment"):
        "one of the constant SET clauses passed by set_role/set_password/unlock/set_active; values are bound",
    ("dashboards/db.py", "order"):
        "ORDER BY text written in the page modules (never from a widget); filter values are bound parameters",
    ("dashboards/db.py", "', '.join(select_list)"):
        "dimension names checked against the mart's columns by has(), measures written in the page modules",
    ("dashboards/db.py", "', '.join((str(i) for i in range(1, len(dims) + 1)))"): "GROUP BY ordinals 1..n",
    ("dashboards/db.py", "' and '.join((f'({c})' for c in clauses))"):
        "WHERE parts built by filter_clauses (quoted columns, :named parameters) or written in the page modules",
    ("dashboards/queries/director.py", "' and '.join((f'({c})' for c in clauses))"):
        "WHERE parts built by db.filter_clauses (quoted columns, :named parameters)",
    ("dashboards/queries/director.py", "dimension"):
        "an output alias; the function looks it up in the constant BY table first (KeyError otherwise)",
    ("dashboards/queries/director.py", "join"): "a constant join clause chosen in the function",
    ("dashboards/queries/director.py", "where"): "WHERE parts built by db.filter_clauses",
    ("dashboards/queries/director.py", "series"): "a constant join clause chosen in the function",
    ("dashboards/queries/director.py", "series_cols"): "a constant column list chosen in the function",
    ("dashboards/queries/data_engineering.py", "union"):
        "a union of per-mart counts over names from information_schema, filtered by str.isidentifier()",
    ("dashboards/queries/data_engineering.py", "name"):
        "a mart name from information_schema, filtered by str.isidentifier() before use",
}


def _name(func: ast.expr) -> str | None:
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)


class _Scope:
    """What a function (or the module) assigns to each name, to judge names by what they hold."""

    def __init__(self, node: ast.AST, module: _Scope | None = None):
        self.module = module
        self.params = set()
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            args = node.args
            self.params = {a.arg for a in [*args.posonlyargs, *args.args, *args.kwonlyargs]}
            self.params |= {a.arg for a in (args.vararg, args.kwarg) if a}
        self.assigned: dict[str, list[ast.expr]] = {}
        for child in ast.walk(node):
            if isinstance(child, ast.Assign):
                for target in child.targets:
                    self._bind(target, child.value)
            elif isinstance(child, ast.AugAssign | ast.AnnAssign) and child.value is not None:
                self._bind(child.target, child.value)
            elif isinstance(child, ast.For | ast.comprehension):
                self._bind(child.target, ast.Subscript(value=child.iter, slice=ast.Constant(0)))

    def _bind(self, target: ast.expr, value: ast.expr) -> None:
        if isinstance(target, ast.Name):
            self.assigned.setdefault(target.id, []).append(value)
        elif isinstance(target, ast.Tuple | ast.List):
            for element in target.elts:  # unpacked: judged by the whole value it came from
                self._bind(element, ast.Subscript(value=value, slice=ast.Constant(0)))


def _constant_data(node: ast.expr) -> bool:
    """A literal table of constants: the code's own lookup data."""
    if isinstance(node, ast.Constant):
        return True
    if isinstance(node, ast.Dict):
        return all(_constant_data(v) for v in [*node.keys, *node.values] if v is not None)
    if isinstance(node, ast.Tuple | ast.List | ast.Set):
        return all(_constant_data(e) for e in node.elts)
    return False


def _safe(e: ast.expr, scope: _Scope, seen: frozenset = frozenset()) -> bool:
    if isinstance(e, ast.Constant):
        return True
    if isinstance(e, ast.FormattedValue):
        return _safe(e.value, scope, seen)
    if isinstance(e, ast.JoinedStr):
        return all(_safe(v, scope, seen) for v in e.values)
    if isinstance(e, ast.IfExp):
        return _safe(e.body, scope, seen) and _safe(e.orelse, scope, seen)
    if isinstance(e, ast.BinOp) and isinstance(e.op, ast.Add):
        return _safe(e.left, scope, seen) and _safe(e.right, scope, seen)
    if isinstance(e, ast.Call):
        if _name(e.func) in QUOTING:
            return True
        if _name(e.func) == "join" and e.args and isinstance(e.args[0], ast.GeneratorExp | ast.ListComp):
            return _safe(e.args[0].elt, scope, seen)
        return False
    if isinstance(e, ast.Subscript):
        return _safe(e.value, scope, seen)  # an element of a constant table is a constant
    if isinstance(e, ast.Name) and e.id not in seen:
        for where in (scope, scope.module):
            if where is None:
                continue
            if e.id in where.params:
                return False
            if e.id in where.assigned:
                return all(_constant_data(v) or _safe(v, scope, seen | {e.id}) for v in where.assigned[e.id])
    return False


def _dynamic(node: ast.AST) -> tuple[str, list[ast.expr]] | None:
    """(the constant text, the interpolated expressions) of a string built at run time."""
    if isinstance(node, ast.JoinedStr):
        return ("".join(v.value for v in node.values if isinstance(v, ast.Constant)),
                [v.value for v in node.values if isinstance(v, ast.FormattedValue)])
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format" \
            and isinstance(node.func.value, ast.Constant) and isinstance(node.func.value.value, str):
        return node.func.value.value, [*node.args, *(k.value for k in node.keywords)]
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod) and isinstance(node.left, ast.Constant) \
            and isinstance(node.left.value, str):
        return node.left.value, list(node.right.elts) if isinstance(node.right, ast.Tuple) else [node.right]
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        parts: list[ast.expr] = []

        def flatten(n: ast.expr) -> None:
            if isinstance(n, ast.BinOp) and isinstance(n.op, ast.Add):
                flatten(n.left)
                flatten(n.right)
            else:
                parts.append(n)

        flatten(node)
        text = "".join(p.value for p in parts if isinstance(p, ast.Constant) and isinstance(p.value, str))
        others = [p for p in parts if not isinstance(p, ast.Constant)]
        return (text, others) if text and others else None
    return None


def sql_findings(root: Path = ROOT) -> list[tuple[str, int, str, str]]:
    """(file, line, expression, SQL text) of every interpolation into SQL that is not provably safe."""
    findings = []
    for folder in SCANNED:
        for path in sorted((root / folder).rglob("*.py")):
            rel = path.relative_to(root).as_posix()
            if rel in NOT_EXECUTED:
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"))
            module = _Scope(ast.Module(body=[n for n in tree.body if not isinstance(
                n, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)], type_ignores=[]))
            functions = [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]
            owner = {}
            for function in sorted(functions, key=lambda f: f.lineno):  # innermost function wins
                for child in ast.walk(function):
                    owner[id(child)] = function
            scopes = {id(f): _Scope(f, module) for f in functions}
            for node in ast.walk(tree):
                scope = scopes.get(id(owner.get(id(node))), module)
                dynamic = _dynamic(node)
                if dynamic and SQL_TEXT.search(dynamic[0]):
                    for expr in dynamic[1]:
                        if not _safe(expr, scope):
                            findings.append((rel, node.lineno, ast.unparse(expr), dynamic[0][:80]))
                # psycopg's sql.SQL() trusts its argument: it must be a constant too
                if isinstance(node, ast.Call) and _name(node.func) == "SQL" and node.args \
                        and not _safe(node.args[0], scope):
                    findings.append((rel, node.lineno, ast.unparse(node.args[0]), "sql.SQL(...)"))
    return findings


def test_sql_is_built_only_from_constants_quoted_identifiers_and_bound_parameters():
    unreviewed = [f for f in sql_findings() if (f[0], f[2]) not in ALLOWED]
    listing = "\n".join(f"  {file}:{line}: {{{expr}}} in {text!r}" for file, line, expr, text in unreviewed)
    assert not unreviewed, "SQL built from something that is neither a bound parameter nor a quoted identifier " \
                           "(bind it, quote it with psycopg.sql.Identifier, or review it into ALLOWED):\n" + listing


def test_the_scan_catches_what_it_should(tmp_path):
    """The scanner itself: an injectable statement is found, the safe idioms are not."""
    bad = tmp_path / "ingestion" / "bad.py"
    bad.parent.mkdir()
    bad.write_text(
        "from psycopg import sql\n"
        "LIMITS = {'a': 'x'}\n"
        "def load(conn, name, user_value):\n"
        "    conn.execute(f'select * from raw.t where name = {user_value}')\n"       # injectable
        "    conn.execute('delete from raw.t where id = %s' % user_value)\n"          # injectable
        "    conn.execute('select * from ' + name + ' where 1=1')\n"                  # injectable
        "    conn.execute(sql.SQL(user_value))\n"                                     # injectable
        "    conn.execute('select * from raw.t where id = %s', (user_value,))\n"     # bound: fine
        "    conn.execute(sql.SQL('select * from {}').format(sql.Identifier(name)))\n"  # quoted: fine
        "    col = LIMITS[name]\n"
        "    conn.execute(f'select {col} from raw.t order by 1')\n"                   # code constant: fine
        "    print(f'loaded {user_value} rows')\n", encoding="utf-8")  # not SQL
    for folder in SCANNED[1:]:
        (tmp_path / folder).mkdir()
    found = {(line, expr) for _, line, expr, _ in sql_findings(tmp_path)}
    assert found == {(4, "user_value"), (5, "user_value"), (6, "name"), (7, "user_value")}


def test_dashboard_identifiers_are_quoted_and_escaped():
    from dashboards.db import _ident

    assert _ident("net_revenue") == '"net_revenue"'
    assert _ident('x" from marts.t; drop table marts.t; --') == '"x"" from marts.t; drop table marts.t; --"'


# --- secrets -----------------------------------------------------------------------------------

# The demo's documented defaults: the demo 1C publication (odata/odata, docs/odata_server.md), the demo
# dashboard users ("demo-" + role, ingestion/demo/ui.py) and the placeholders of README and .env.example.
# Anything else that looks like a credential is a finding.
DOCUMENTED = {"odata", "pw", "demo-", "change-me", "pass", "secret", "password"}
SECRET_PATTERNS = [
    re.compile(r"""(?i)\b(password|passwd|pwd|secret|token|api_?key)\b["']?\s*[:=]\s*["']([^"'\s]{3,})["']"""),
    re.compile(r"postgres(?:ql)?(?:\+\w+)?://[^:/@\s]+:([^@\s]+)@"),
]
# KEY=value lines and URL query strings, outside Python (where `password=NAME` is a keyword argument)
ASSIGNMENT = re.compile(r"(?i)\b\w*(password|passwd|secret|token|api_?key)=([^\s&'\"#]{3,})")
PRIVATE_KEY = re.compile(r"-----BEGIN (RSA |EC |OPENSSH |DSA )?PRIVATE KEY-----")
SKIP_SUFFIXES = (".csv", ".xlsx", ".jsonl", ".png", ".lock")


def tracked_files() -> list[Path]:
    out = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    return [ROOT / p for p in out.decode().split("\0") if p and not p.endswith(SKIP_SUFFIXES)]


def secret_findings(paths: list[Path], root: Path = ROOT) -> list[str]:
    findings = []
    for path in paths:
        if not path.is_file():
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        rel = path.relative_to(root).as_posix()
        if PRIVATE_KEY.search(text):
            findings.append(f"{rel}: a private key")
        patterns = SECRET_PATTERNS if rel.endswith(".py") else [*SECRET_PATTERNS, ASSIGNMENT]
        for number, line in enumerate(text.splitlines(), start=1):
            if "(secret-scan: example)" in line:  # a deliberate example, e.g. this scanner's own self-test
                continue
            for pattern in patterns:
                for match in pattern.finditer(line):
                    value = match.groups()[-1]
                    # a variable, a placeholder or a template is not a literal secret
                    if value.lower() in DOCUMENTED or re.fullmatch(r"[{$<%(*].*|.*[}>)]|\w+\(.*", value):
                        continue
                    findings.append(f"{rel}:{number}: {line.strip()[:120]}")
    return findings


def test_no_secrets_in_tracked_files():
    findings = secret_findings(tracked_files())
    assert not findings, "credential-like literals in tracked files (use the environment):\n" + "\n".join(findings)


def test_the_secret_scan_catches_what_it_should(tmp_path):
    (tmp_path / "settings.py").write_text(
        'ONEC = {"password": "Kx9-prod-2024"}\n'  # found  (secret-scan: example)
        'url = "postgresql://loader:s3cr3t@db.internal:5432/warehouse"\n'  # found  (secret-scan: example)
        'password = os.environ["ONEC_PASSWORD"]\n'                           # from the environment: fine
        'start_server(data, user="odata", password="odata")\n', encoding="utf-8")  # the demo default: fine
    (tmp_path / ".env").write_text("WAREHOUSE_READER_PASSWORD=hunter22\nONEC_PASSWORD=\n", encoding="utf-8")
    found = secret_findings([tmp_path / "settings.py", tmp_path / ".env"], tmp_path)
    assert [f.split(":")[:2] for f in found] == [["settings.py", "1"], ["settings.py", "2"], [".env", "1"]]


def test_the_roles_take_their_passwords_from_the_environment_only(monkeypatch):
    from ingestion import warehouse

    for role in warehouse.ROLES:
        monkeypatch.delenv(f"WAREHOUSE_{role.upper()}_PASSWORD", raising=False)
        assert warehouse.role_password(role) == ""  # no built-in default password for any role
        monkeypatch.setenv(f"WAREHOUSE_{role.upper()}_PASSWORD", "from-the-env")
        assert warehouse.role_password(role) == "from-the-env"


# --- least privilege (beyond tests/warehouse/test_roles.py) -------------------------------------

@pytest.fixture(scope="module")
def probes(warehouse):
    """A table in every schema, each created by its schema's owner (so the default privileges apply)."""
    with warehouse.as_role("loader").connect(autocommit=True) as conn:
        conn.execute("create table if not exists raw.security_probe (id int)")
        conn.execute("create table if not exists ops.security_probe (id int)")
    with warehouse.as_role("transformer").connect(autocommit=True) as conn:
        for schema in ("staging", "intermediate", "marts"):
            conn.execute(f"create table if not exists {schema}.security_probe (id int)")
        conn.execute("insert into marts.security_probe values (1)")
    yield warehouse
    with warehouse.admin().connect(autocommit=True) as conn:
        for schema in ("raw", "ops", "staging", "intermediate", "marts"):
            conn.execute(f"drop table if exists {schema}.security_probe")


def denied(warehouse, role: str, statement: str) -> bool:
    with warehouse.as_role(role).connect(autocommit=True) as conn:
        try:
            conn.execute(statement)
        except psycopg.errors.InsufficientPrivilege:
            return True
    return False


READER_DENIED = [
    "select * from raw.security_probe",
    "select * from ops.security_probe",
    "select * from ops.load_audit",
    "select * from ops.rejects",
    "select * from ops.app_users",
    "select * from staging.security_probe",
    "select * from intermediate.security_probe",
    "insert into marts.security_probe values (2)",
    "update marts.security_probe set id = 3",
    "delete from marts.security_probe",
    "truncate marts.security_probe",
    "alter table marts.security_probe add column x int",
    "drop table marts.security_probe",
    "create view marts.security_view as select 1",
    "create schema reader_own",
    "copy marts.security_probe to '/tmp/reader_copy.csv'",
    "select pg_read_file('postgresql.conf')",
    "set role transformer",
    "set role loader",
]


@pytest.mark.parametrize("statement", READER_DENIED)
def test_the_reader_reads_marts_and_nothing_else(probes, statement):
    with probes.as_role("reader").connect() as conn:
        assert conn.execute("select count(*) from marts.security_probe").fetchone()[0] == 1
    assert denied(probes, "reader", statement)


@pytest.mark.parametrize(("role", "statement"), [
    ("loader", "select * from ops.app_users"),  # the password hashes are the login check's alone
    ("transformer", "select * from ops.app_users"),
    ("app_auth", "select * from marts.security_probe"),
    ("app_auth", "select * from raw.security_probe"),
    ("app_auth", "delete from ops.app_users"),
    ("app_auth", "insert into ops.app_users (username, password_hash, role) values ('x', 'x', 'director')"),
    ("loader", "set role transformer"),
    ("transformer", "set role loader"),
])
def test_the_other_roles_stay_in_their_lanes(probes, role, statement):
    if role not in probes.ROLES:
        pytest.skip(f"no {role} role in this build")
    assert denied(probes, role, statement)


def test_no_application_role_is_a_superuser_or_can_create_roles(probes):
    with probes.admin().connect() as conn:
        rows = conn.execute("select rolname, rolsuper, rolcreaterole, rolcreatedb, rolbypassrls, rolreplication "
                            "from pg_roles where rolname = any(%s)", (list(probes.ROLES),)).fetchall()
        members = conn.execute("select r.rolname, m.rolname from pg_auth_members a join pg_roles r on "
                               "r.oid = a.roleid join pg_roles m on m.oid = a.member "
                               "where m.rolname = any(%s)", (list(probes.ROLES),)).fetchall()
    assert {r[0] for r in rows} == set(probes.ROLES)
    assert [r for r in rows if any(r[1:])] == []
    assert members == []  # no role inherits another's (or pg_read_server_files and the like)


def test_the_change_feed_parser_does_not_load_external_entities(tmp_path):
    """A hostile SelectChanges answer cannot make the loader read local files (XXE)."""
    from ingestion.connectors.onec_odata import parse_changes

    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET", encoding="utf-8")
    feed = (f'<?xml version="1.0"?><!DOCTYPE feed [<!ENTITY x SYSTEM "file://{secret}">]>'
            '<feed xmlns="http://www.w3.org/2005/Atom" '
            'xmlns:m="http://schemas.microsoft.com/ado/2007/08/dataservices/metadata" '
            'xmlns:d="http://schemas.microsoft.com/ado/2007/08/dataservices">'
            '<entry><category term="StandardODATA.Catalog_Валюты"/><content><m:properties>'
            '<d:Description>&x;</d:Description></m:properties></content></entry></feed>').encode()
    try:
        changes = parse_changes(feed)
    except Exception as error:  # noqa: BLE001 - refusing the document is as good as ignoring the entity
        assert "TOP-SECRET" not in str(error)
        return
    assert all("TOP-SECRET" not in str(c.record) for c in changes)


def _crafted_xlsx(path: Path, doctype: str, cell: str) -> Path:
    """A real workbook whose first sheet's XML is rewritten to carry a DOCTYPE and an entity reference."""
    import zipfile

    from openpyxl import Workbook

    plain = path.with_suffix(".plain.xlsx")
    wb = Workbook()
    wb.active.append(["Invoice No", "PLACEHOLDER"])
    wb.save(plain)
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(path, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                text = data.decode()
                text = text.replace("?>", "?>" + doctype, 1) if text.startswith("<?xml") else doctype + text
                data = text.replace("<is><t>PLACEHOLDER</t></is>", f"<is><t>{cell}</t></is>").encode()
            dst.writestr(item, data)
    return path


@pytest.mark.parametrize("parse_name", ["parse_supplier_invoice", "parse_budget"])
def test_xlsx_drops_are_parsed_through_defusedxml(tmp_path, parse_name):
    """An XML bomb or an external entity in a dropped workbook rejects the file with its name and the reason;
    a file that is no workbook at all is rejected the same way, and nothing is read from outside it."""
    from ingestion.connectors import files

    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET", encoding="utf-8")
    bomb = _crafted_xlsx(tmp_path / "bomb.xlsx",
                         '<!DOCTYPE w [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
                         '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>', "&c;")
    xxe = _crafted_xlsx(tmp_path / "xxe.xlsx", f'<!DOCTYPE w [<!ENTITY x SYSTEM "file://{secret}">]>', "&x;")
    not_a_workbook = tmp_path / "invoice.xlsx"
    not_a_workbook.write_text("Invoice No;Qty\n1;2\n", encoding="utf-8")
    for path in (bomb, xxe, not_a_workbook):
        parsed = list(getattr(files, parse_name)(path))
        assert len(parsed) == 1 and isinstance(parsed[0], files.Rejected), (path.name, parsed)
        assert parsed[0].record_key == path.name
        assert parsed[0].reason.startswith("not a readable XLSX workbook: "), parsed[0].reason
        assert "TOP-SECRET" not in str(parsed[0]) and "aaaaaaaaaa" not in str(parsed[0])
