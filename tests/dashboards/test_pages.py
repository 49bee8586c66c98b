"""Every page × every role with AppTest: the allowed render (empty states on empty marts), the rest are denied;
a logged-out visitor sees only the login form."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from dashboards.auth import ACCESS, PAGES
from tests.dashboards.conftest import APP, PAGES_DIR, PASSWORD, ROLES

TITLES = {"director": "Director", "finance": "Finance", "marketing": "Marketing",
          "data_engineering": "Data engineering"}


def as_user(role: str, script: str = APP) -> AppTest:
    at = AppTest.from_file(script, default_timeout=120)
    at.session_state["user"] = {"username": f"test_{role}", "role": role, "display_name": f"Test {role}"}
    return at


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("page", PAGES)
def test_page_by_role(users, role, page):
    at = as_user(role, str(PAGES_DIR / f"{page}.py")).run()
    assert not at.exception, [e.message for e in at.exception]
    if page in ACCESS[role]:
        assert [t.value for t in at.title] == [TITLES[page]]
        assert not at.error
    else:
        assert not at.title, f"{role} must not see {page}"
        assert [e.value for e in at.error] == ["Access denied: your role may not open this page."]
        assert not at.dataframe and not at.metric


@pytest.mark.parametrize("page", PAGES)
def test_logged_out_visitor_is_stopped_on_every_page(users, page):
    at = AppTest.from_file(str(PAGES_DIR / f"{page}.py"), default_timeout=60).run()
    assert not at.title and not at.dataframe
    assert [w.value for w in at.warning] == ["Please log in."]


def test_logged_out_app_shows_only_the_login_form(users):
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    assert [t.value for t in at.title] == ["Trade warehouse"]
    assert [i.label for i in at.text_input] == ["User name", "Password"]
    assert not at.dataframe and not at.metric and not at.multiselect and not at.date_input
    # The navigation holds the login form only: no page can be asked for by name.
    for page in PAGES:
        with pytest.raises(ValueError, match="Known pages: \\['Log in'\\]"):
            at.switch_page(str(PAGES_DIR / f"{page}.py"))


def login(at: AppTest, username: str, password: str) -> AppTest:
    at.text_input(key="login_username").input(username)
    at.text_input(key="login_password").input(password)
    return at.button[0].click().run()


def test_login_form_signs_in_and_out(users):
    at = AppTest.from_file(APP, default_timeout=120).run()
    login(at, "test_finance", "wrong")
    assert [e.value for e in at.error] == ["Wrong user name or password."]
    assert "user" not in at.session_state
    login(at, "test_finance", PASSWORD)
    assert not at.exception
    assert at.session_state["user"]["role"] == "finance"
    assert [t.value for t in at.title] == ["Trade warehouse"]  # the home page
    assert "Finance" in at.markdown[0].value and "Director" not in at.markdown[0].value
    at.sidebar.button(key="logout").click().run()
    assert "user" not in at.session_state
    assert [i.label for i in at.text_input] == ["User name", "Password"]


def test_locked_account_is_told_so(users, monkeypatch):
    from dashboards import users as cli

    monkeypatch.setenv("LOGIN_MAX_ATTEMPTS", "2")
    at = AppTest.from_file(APP, default_timeout=120).run()
    try:
        login(at, "test_marketing", "wrong")
        login(at, "test_marketing", "wrong")
        assert "locked" in at.error[0].value
        login(at, "test_marketing", PASSWORD)
        assert "locked" in at.error[0].value and "user" not in at.session_state
    finally:
        cli.unlock("test_marketing")


@pytest.mark.parametrize("role", ROLES)
def test_navigation_offers_only_the_role_pages(users, role):
    at = as_user(role).run()
    assert not at.exception
    for page in PAGES:
        if page in ACCESS[role]:
            at.switch_page(str(PAGES_DIR / f"{page}.py")).run()
            assert [t.value for t in at.title] == [TITLES[page]]
        else:
            with pytest.raises(ValueError, match="Could not find a navigation page"):
                at.switch_page(str(PAGES_DIR / f"{page}.py"))


def test_missing_marts_show_what_to_do(users, monkeypatch):
    """Before the marts are built (none visible to the reader), every page says how to get data, no error."""
    from dashboards import db

    monkeypatch.setattr(db, "mart_columns", lambda: {})
    at = as_user("director").run()
    for page in PAGES:
        at.switch_page(str(PAGES_DIR / f"{page}.py")).run()
        assert not at.exception, (page, [e.message for e in at.exception])
        assert any("make pipeline" in i.value for i in at.info), page


def test_russian_interface(users):
    at = as_user("director").run()
    at.sidebar.radio(key="lang_switch").set_value("ru").run()
    assert [t.value for t in at.title] == ["Управленческая отчётность"]
    at.switch_page(str(PAGES_DIR / "finance.py")).run()
    assert [t.value for t in at.title] == ["Финансы"]
    assert "БДДС: план и факт" in [h.value for h in at.subheader]
