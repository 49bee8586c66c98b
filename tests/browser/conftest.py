"""The browser test's world: the scenario company loaded and built, a user per role, the Streamlit app on a
free port, and Debian's Chromium (never a downloaded browser)."""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import warnings

import httpx
import pytest

from tests.conftest import ROOT, load_scenario

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
ARTIFACTS = ROOT / "test-artifacts" / "browser"
PASSWORD = secrets.token_urlsafe(16)  # made up per run: no password literal in the repository
ROLES = ("director", "finance", "marketing", "data_engineer")


@pytest.fixture(scope="package")
def chromium_path() -> str:
    """Debian's Chromium; its absence fails the test (CI installs it: .ci/run), it is never skipped."""
    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        pytest.fail(f"Chromium not found at {CHROMIUM}: install Debian's package (`apt-get install -y chromium`, "
                    "as .ci/run does) or point CHROMIUM at the binary", pytrace=False)
    return CHROMIUM


@pytest.fixture(scope="package")
def scenario_warehouse(warehouse, tmp_path_factory):
    """The test warehouse holding the scenario company, every dbt model built (as tests/known_answers does)."""
    result = load_scenario(warehouse, tmp_path_factory.mktemp("scenario"), check=False)
    if result.returncode != 0:  # the dashboards must cope with marts that did not build; say so loudly
        warnings.warn(f"dbt build failed; the browser test reads the marts that built:\n{result.stdout[-1500:]}",
                      stacklevel=1)
    from dashboards import users

    for role in ROLES:
        users.upsert_user(f"browser_{role}", PASSWORD, role, display_name=f"Browser {role}")
    return warehouse


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="package")
def app_url(scenario_warehouse):
    """`streamlit run dashboards/app.py` on a free port against the test warehouse; stopped afterwards."""
    port = _free_port()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    log = (ARTIFACTS / "streamlit.log").open("w")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false",
           "DAGSTER_URL": "http://127.0.0.1:3999"}
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "dashboards" / "app.py"), "--server.headless", "true",
         "--server.address", "127.0.0.1", "--server.port", str(port), "--server.fileWatcherType", "none"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"streamlit exited with {process.returncode}; see {ARTIFACTS / 'streamlit.log'}")
            try:
                if httpx.get(f"{url}/_stcore/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("streamlit did not become healthy in 90 s")
            time.sleep(0.5)
        yield url
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
        log.close()


@pytest.fixture(scope="package")
def browser(chromium_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()
