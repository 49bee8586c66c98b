"""Who may see what: bcrypt-checked logins against ops.app_users, locks after repeated failures, page guards.

The login check connects as the least-privilege `app_auth` role (select/update on ops.app_users only).
Settings: `LOGIN_MAX_ATTEMPTS` failed logins in a row (default 5) lock an account for
`LOGIN_LOCK_MINUTES` (default 15).
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import bcrypt
import streamlit as st

from ingestion import warehouse

ROLES = ("director", "finance", "marketing", "data_engineer")
PAGES = ("director", "finance", "marketing", "data_engineering")
# The director sees everything; everyone else their own page (and the home page).
ACCESS = {
    "director": set(PAGES),
    "finance": {"finance"},
    "marketing": {"marketing"},
    "data_engineer": {"data_engineering"},
}
# Compared against when the user does not exist, so a wrong name costs as long as a wrong password.
_DUMMY_HASH = bcrypt.hashpw(b"not a password", bcrypt.gensalt(rounds=4))


def max_attempts() -> int:
    return int(os.environ.get("LOGIN_MAX_ATTEMPTS", "5"))


def lock_minutes() -> float:
    return float(os.environ.get("LOGIN_LOCK_MINUTES", "15"))


def hash_password(password: str) -> str:
    return bcrypt.hashpw(password.encode(), bcrypt.gensalt()).decode()


@dataclass(frozen=True)
class LoginResult:
    ok: bool
    reason: str  # ok, invalid, locked, inactive
    username: str = ""
    role: str = ""
    display_name: str = ""


def authenticate(username: str, password: str) -> LoginResult:
    """Check a login; count failures and lock the account after `max_attempts()` in a row."""
    username = (username or "").strip().lower()
    with warehouse.as_role(warehouse.AUTH_ROLE).connect() as conn, conn.transaction():
        row = conn.execute(
            "select password_hash, role, coalesce(display_name, username), is_active, "
            "coalesce(locked_until > now(), false) from ops.app_users where username = %s for update",
            (username,),
        ).fetchone()
        if row is None:
            bcrypt.checkpw((password or "").encode(), _DUMMY_HASH)
            return LoginResult(False, "invalid")
        password_hash, role, display_name, is_active, locked = row
        if locked:
            return LoginResult(False, "locked")
        if bcrypt.checkpw((password or "").encode(), password_hash.encode()):
            if not is_active:
                return LoginResult(False, "inactive")
            conn.execute("update ops.app_users set failed_attempts = 0, locked_until = null, last_login_at = now() "
                         "where username = %s", (username,))
            return LoginResult(True, "ok", username, role, display_name)
        attempts = conn.execute(
            "update ops.app_users set failed_attempts = failed_attempts + 1 where username = %s "
            "returning failed_attempts", (username,)).fetchone()[0]
        if attempts >= max_attempts():
            conn.execute("update ops.app_users set failed_attempts = 0, "
                         "locked_until = now() + make_interval(secs => %s) where username = %s",
                         (lock_minutes() * 60, username))
            return LoginResult(False, "locked")
        return LoginResult(False, "invalid")


def current_user() -> dict | None:
    return st.session_state.get("user")


def allowed(page: str, user: dict | None = None) -> bool:
    user = user if user is not None else current_user()
    return bool(user) and page in ACCESS.get(user.get("role", ""), set())


def require(page: str) -> dict:
    """Stop rendering unless the logged-in user's role may see `page`."""
    from dashboards.i18n import t

    user = current_user()
    if not user:
        st.warning(t("login_required"))
        st.stop()
    if not allowed(page, user):
        st.error(t("access_denied"))
        st.stop()
    return user


def login_form() -> None:
    """The only thing a logged-out visitor sees."""
    from dashboards.i18n import t

    st.title(t("app_title"))
    with st.form("login"):
        username = st.text_input(t("username"), key="login_username")
        password = st.text_input(t("password"), type="password", key="login_password")
        submitted = st.form_submit_button(t("log_in"))
    if submitted:
        result = authenticate(username, password)
        if result.ok:
            st.session_state["user"] = {"username": result.username, "role": result.role,
                                        "display_name": result.display_name}
            st.rerun()
        elif result.reason == "locked":
            st.error(t("login_locked").format(minutes=int(lock_minutes())))
        else:
            st.error(t("login_invalid"))


def logout() -> None:
    st.session_state.pop("user", None)
