"""Logins: bcrypt against ops.app_users, a lock after repeated failures, the user-management command."""

from __future__ import annotations

import bcrypt
import psycopg
import pytest

from dashboards import auth
from dashboards import users as users_cli
from tests.dashboards.conftest import PASSWORD


@pytest.fixture
def alice(users):

    users_cli.upsert_user("Alice", PASSWORD, "finance", display_name="Alice A.")
    yield "alice"
    with users.admin().connect(autocommit=True) as conn:
        conn.execute("delete from ops.app_users where username = 'alice'")


def row(warehouse, username):
    with warehouse.admin().connect() as conn:
        return conn.execute("select role, failed_attempts, locked_until is not null, is_active, password_hash "
                            "from ops.app_users where username = %s", (username,)).fetchone()


def test_password_is_stored_as_a_bcrypt_hash(users, alice):
    *_, password_hash = row(users, alice)
    assert password_hash.startswith("$2") and PASSWORD not in password_hash
    assert bcrypt.checkpw(PASSWORD.encode(), password_hash.encode())


def test_correct_login_returns_the_role(users, alice):
    result = auth.authenticate(" ALICE ", PASSWORD)
    assert (result.ok, result.username, result.role, result.display_name) == (True, "alice", "finance", "Alice A.")


def test_wrong_password_and_unknown_user_are_refused_alike(users, alice):
    assert auth.authenticate(alice, "wrong").reason == "invalid"
    assert auth.authenticate("nobody", PASSWORD).reason == "invalid"
    assert row(users, alice)[1] == 1
    assert auth.authenticate(alice, PASSWORD).ok
    assert row(users, alice)[1] == 0, "a successful login resets the failure count"


def test_repeated_failures_lock_the_account_for_the_configured_time(users, alice, monkeypatch):
    monkeypatch.setenv("LOGIN_MAX_ATTEMPTS", "3")
    monkeypatch.setenv("LOGIN_LOCK_MINUTES", "10")
    assert [auth.authenticate(alice, "wrong").reason for _ in range(3)] == ["invalid", "invalid", "locked"]
    assert auth.authenticate(alice, PASSWORD).reason == "locked", "even the right password waits out the lock"
    with users.admin().connect() as conn:
        minutes = conn.execute("select extract(epoch from locked_until - now()) / 60 from ops.app_users "
                               "where username = %s", (alice,)).fetchone()[0]
    assert 9.5 < minutes <= 10
    # The lock runs out by itself ...
    with users.admin().connect(autocommit=True) as conn:
        conn.execute("update ops.app_users set locked_until = now() - interval '1 second' where username = %s",
                     (alice,))
    assert auth.authenticate(alice, PASSWORD).ok


def test_unlock_command_lifts_a_lock(users, alice, monkeypatch):
    monkeypatch.setenv("LOGIN_MAX_ATTEMPTS", "2")
    for _ in range(2):
        auth.authenticate(alice, "wrong")
    assert auth.authenticate(alice, PASSWORD).reason == "locked"
    assert users_main(["unlock", alice]) == 0
    assert auth.authenticate(alice, PASSWORD).ok


def users_main(argv):
    return users_cli.main(argv)


def test_users_command_adds_users_and_sets_roles(users, capsys):
    assert users_main(["add", "Bob", "--role", "marketing", "--password", "s3cret"]) == 0
    try:
        assert auth.authenticate("bob", "s3cret").role == "marketing"
        assert users_main(["set-role", "bob", "director"]) == 0
        assert auth.authenticate("bob", "s3cret").role == "director"
        assert users_main(["set-password", "bob", "--password", "other"]) == 0
        assert not auth.authenticate("bob", "s3cret").ok
        assert users_main(["disable", "bob"]) == 0
        assert auth.authenticate("bob", "other").reason == "inactive"
        assert users_main(["list"]) == 0
        assert "bob\tdirector" in capsys.readouterr().out
        assert users_main(["unlock", "nobody"]) == 1
        with pytest.raises(SystemExit):
            users_main(["add", "carol", "--role", "admin", "--password", "x"])
    finally:
        with users.admin().connect(autocommit=True) as conn:
            conn.execute("delete from ops.app_users where username = 'bob'")


def test_login_role_can_only_read_and_update_app_users(users):
    with users.as_role("app_auth").connect(autocommit=True) as conn:
        conn.execute("select count(*) from ops.app_users").fetchone()
        for statement in ("select * from marts.dim_accounts", "select * from ops.load_audit",
                          "insert into ops.app_users (username, password_hash, role) values ('x', 'x', 'director')",
                          "delete from ops.app_users"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(statement)


def test_make_demo_creates_one_user_per_role(users):
    from ingestion.demo.ui import demo_users

    rows = demo_users()
    try:
        assert [role for _, _, role in rows] == ["director", "finance", "marketing", "data_engineer"]
        for user, password, role in rows:
            assert auth.authenticate(user, password).role == role
    finally:
        with users.admin().connect(autocommit=True) as conn:
            conn.execute("delete from ops.app_users where username = any(%s)", ([u for u, _, _ in rows],))
