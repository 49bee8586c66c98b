"""In Debian's Chromium: log in, open every page, download every Excel export and check its numbers against
the marts; screenshots go to test-artifacts/browser/ (git-ignored)."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections import defaultdict
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from dashboards.i18n import column, t
from tests.browser.conftest import ARTIFACTS, PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.slow]
TIMEOUT = 90_000
PAGES = {"Director": "director", "Finance": "finance", "Marketing": "marketing",
         "Data engineering": "data_engineering"}
EXCEL_EXPORTS = {"Director": ["margin_by_deal", "margin_by_client", "margin_by_manager"],  # one per tab
                 "Finance": ["cashflow", "pnl", "balance", "receivables_ageing", "collections", "payables"],
                 "Marketing": ["channel_economics"]}


def login(browser, app_url, role):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT)
    page.goto(app_url)
    page.get_by_role("textbox", name="User name").fill(f"browser_{role}")
    page.get_by_role("textbox", name="Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_text("Your pages").wait_for()
    return context, page


def nav_links(page) -> list[str]:
    links = page.locator('[data-testid="stSidebarNav"] a')
    return [links.nth(i).inner_text().split("\n")[-1].strip() for i in range(links.count())]


def open_page(page, title):
    page.locator('[data-testid="stSidebarNav"] a', has_text=title).click()
    page.get_by_role("heading", name=title, exact=True).wait_for()
    # Streamlit draws while the script runs: every page ends with a marker after its last section.
    page.locator(f".st-key-done_{PAGES[title]}").wait_for(state="attached")
    page.wait_for_timeout(1500)  # the tables are canvases: let them paint before the screenshot


def money(value) -> Decimal | None:
    return None if value is None else Decimal(str(value)).quantize(Decimal("0.01"))


def reader_rows(warehouse, sql, params=()):
    with warehouse.as_role("reader").connect() as conn:
        return conn.execute(sql, params).fetchall()


def header_block(ws) -> dict:
    block = {}
    for row in range(2, 12):
        label, value = ws.cell(row=row, column=1).value, ws.cell(row=row, column=2).value
        if label is None:
            break
        block[label] = value
    return block


def period_of(ws) -> tuple[dt.date, dt.date]:
    start, end = (dt.datetime.strptime(p.strip(), "%d.%m.%Y").date()
                  for p in header_block(ws)["Period"].split("–"))
    return start.replace(day=1), end


def budget_grid(ws) -> tuple[list[dt.date], dict[str, dict[dt.date, Decimal | None]]]:
    """{row label: {month: fact}} of a budget-layout sheet."""
    top = next(r for r in range(1, 30) if re.fullmatch(r"\d\d\.\d{4}", str(ws.cell(row=r, column=2).value or "")))
    months, cols = [], {}
    for c in range(2, ws.max_column + 1):
        head = ws.cell(row=top, column=c).value
        if head and re.fullmatch(r"\d\d\.\d{4}", head):
            month = dt.datetime.strptime(head, "%m.%Y").date()
            months.append(month)
            sub = {ws.cell(row=top + 1, column=c + j).value: c + j for j in range(3)}
            cols[month] = sub["fact"]
    assert ws.freeze_panes == f"B{top + 2}", "the header rows and the article column stay frozen"
    grid = {}
    for r in range(top + 2, ws.max_row + 1):
        label = ws.cell(row=r, column=1).value
        if label:
            grid.setdefault(label.strip(), {}).update(
                {m: money(ws.cell(row=r, column=c).value) for m, c in cols.items()})
            assert ws.cell(row=r, column=cols[months[0]]).number_format.startswith("#,##0.00")
    return months, grid


def facts_by_month(grid) -> dict:
    out = defaultdict(list)
    for values in grid.values():
        for month, value in values.items():
            if value is not None:
                out[month].append(value)
    return {m: sorted(v) for m, v in out.items()}


def at(names: list[str], name: str) -> int:
    """Where a mart column is in an exported table: under its English heading."""
    return names.index(column(name, "en"))


def table_rows(ws) -> tuple[list[str], list[list]]:
    assert ws.freeze_panes and ws.freeze_panes.startswith("A"), "the header row stays frozen"
    top = int(ws.freeze_panes[1:]) - 1
    names = [ws.cell(row=top, column=c).value for c in range(1, ws.max_column + 1)]
    rows = [[ws.cell(row=r, column=c).value for c in range(1, ws.max_column + 1)]
            for r in range(top + 1, ws.max_row + 1)]
    return names, rows


def check_cashflow(ws, warehouse):
    start, end = period_of(ws)
    months, grid = budget_grid(ws)
    mart = reader_rows(warehouse, "select month, row_type, sum(fact) from marts.rpt_cashflow where month between "
                                  "%s and %s group by section, row_type, article, month", (start, end))
    expected = defaultdict(list)
    for month, _, fact in mart:
        if fact is not None:
            expected[month].append(money(fact))
    assert months == sorted(expected)
    assert facts_by_month(grid) == {m: sorted(v) for m, v in expected.items()}
    closing = {m: money(f) for m, t, f in mart if t == "closing"}
    assert grid[t("cf_closing", "en")] == closing


def check_pnl(ws, warehouse):
    start, end = period_of(ws)
    _, grid = budget_grid(ws)
    mart = reader_rows(warehouse, "select month, line, sum(fact) from marts.rpt_pnl where scope = 'total' and month "
                                  "between %s and %s group by line, article, month", (start, end))
    expected = defaultdict(list)
    for month, _, fact in mart:
        expected[month].append(money(fact))
    assert facts_by_month(grid) == {m: sorted(v) for m, v in expected.items()}
    assert grid["Profit"] == {m: money(f) for m, line, f in mart if line == "profit"}


def check_balance(ws, warehouse):
    month_end = dt.datetime.strptime(ws["A1"].value.split()[-1], "%d.%m.%Y").date()
    names, rows = table_rows(ws)
    got = {r[at(names, "line")]: money(r[at(names, "amount")]) for r in rows}
    mart = dict(reader_rows(warehouse, "select line, amount from marts.rpt_balance_sheet where month_end = %s",
                            (month_end,)))
    assert got == {t(f"bs_{k}", "en"): money(v) for k, v in mart.items()}
    assert got["Total assets"] == got["Total liabilities and equity"]


def check_ageing(ws, warehouse):
    as_of = dt.datetime.strptime(ws["A1"].value.split()[-1], "%d.%m.%Y").date()
    names, rows = table_rows(ws)
    mart = reader_rows(warehouse, "select counterparty_name, sum(open_total), sum(overdue_total), sum(d001_030) "
                                  "from marts.rpt_receivables_ageing where as_of_date = %s group by 1", (as_of,))
    body = {r[0]: r for r in rows if r[0] != "Total"}
    assert set(body) == {name for name, *_ in mart}
    for name, open_total, overdue, d001 in mart:
        row = body[name]
        assert [money(row[at(names, c)]) for c in ("open_total", "overdue_total", "d001_030")] == \
            [money(open_total), money(overdue), money(d001)]
    total = next(r for r in rows if r[0] == "Total")
    assert money(total[at(names, "open_total")]) == money(sum(m[1] for m in mart))


def check_total(ws, expected: Decimal, name="open_amount"):
    names, rows = table_rows(ws)
    total = next(r for r in rows if r[0] == "Total")
    assert money(total[at(names, name)]) == money(expected)


def check_collections(ws, warehouse, as_of):
    # every shipment not paid off by the date, at its latest reminder on or before it
    (expected,) = reader_rows(warehouse, """
        select coalesce(sum(open_amount), 0) from (
            select distinct on (document_id) open_amount from marts.fct_collection_reminders
            where reminder_date <= %(d)s and (paid_off_date is null or paid_off_date > %(d)s)
            order by document_id, reminder_date desc) x""", {"d": as_of})[0]
    check_total(ws, expected)


def check_payables(ws, warehouse, as_of):
    (expected,) = reader_rows(warehouse, """
        select coalesce(sum(open_amount), 0) from marts.fct_payables_open_items where open_amount <> 0
        and as_of_date = (select max(as_of_date) from marts.fct_payables_open_items where as_of_date <= %s)""",
                              (as_of,))[0]
    check_total(ws, expected)


def check_channel_economics(ws, warehouse):
    start, end = period_of(ws)
    names, rows = table_rows(ws)
    month, source, spend = at(names, "month"), at(names, "utm_source"), at(names, "spend")
    got = {(r[month].date() if isinstance(r[month], dt.datetime) else r[month], r[source]): money(r[spend])
           for r in rows}
    mart = reader_rows(warehouse, "select month, utm_source, sum(spend) from marts.rpt_channel_economics "
                                  "where grain = 'month_source' and month between %s and %s group by 1, 2",
                       (start, end))
    assert got == {(m, s): money(v) for m, s, v in mart}


def excel_buttons(page, expected: int):
    """The page's Excel download buttons, once all `expected` are drawn."""
    buttons = page.locator('[data-testid="stDownloadButton"] button', has_text="Excel")
    for _ in range(TIMEOUT // 500):
        if buttons.count() >= expected:
            break
        page.wait_for_timeout(500)
    assert buttons.count() == expected, f"{buttons.count()} Excel buttons, expected {expected}"
    return buttons.all()


def download_all(page, expected: int) -> dict:
    """Click every Excel button of the page once; {file name without .xlsx: its sheet}."""
    sheets = {}
    for button in excel_buttons(page, expected):
        with page.expect_download() as info:
            button.click()
        path = ARTIFACTS / "downloads" / info.value.suggested_filename
        info.value.save_as(path)
        sheets[path.stem] = load_workbook(io.BytesIO(path.read_bytes())).active
    return sheets


def download_margin_tabs(page) -> dict:
    """The director's margin tables sit in tabs, one Excel button each: open each tab (only the open one runs its
    query and draws its table) and download its file."""
    excel_buttons(page, 1)
    sheets = {}
    for tab, name in (("Deal", "margin_by_deal"), ("Client", "margin_by_client"), ("Manager", "margin_by_manager")):
        page.get_by_role("tab", name=tab, exact=True).click()
        button = page.locator('[role="tabpanel"]:visible [data-testid="stDownloadButton"] button', has_text="Excel")
        button.wait_for(timeout=TIMEOUT)
        with page.expect_download() as info:
            button.click()
        path = ARTIFACTS / "downloads" / info.value.suggested_filename
        info.value.save_as(path)
        assert path.stem == name, f"the {tab} tab downloaded {path.name}"
        sheets[path.stem] = load_workbook(io.BytesIO(path.read_bytes())).active
    return sheets


def check_margin(ws, warehouse):
    """Every deal of the period, however many the page shows: the Total row is the mart's sum."""
    start, end = period_of(ws)
    names, rows = table_rows(ws)
    (expected,) = reader_rows(warehouse, "select coalesce(sum(gross_margin), 0) from marts.fct_deal_margin "
                                         "where deal_date between %s and %s", (start, end))[0]
    total = next(r for r in rows if r[0] == "Total")
    assert money(total[at(names, "gross_margin")]) == money(expected)


def test_director_opens_every_page_and_every_export_matches_the_marts(browser, app_url, scenario_warehouse):
    (ARTIFACTS / "downloads").mkdir(parents=True, exist_ok=True)
    context, page = login(browser, app_url, "director")
    try:
        page.screenshot(path=ARTIFACTS / "home.png", full_page=True)
        assert nav_links(page) == ["Home", *PAGES]
        checked = []
        for title, slug in PAGES.items():
            open_page(page, title)
            assert not page.locator('[data-testid="stException"]').count(), f"{title} raised an exception"
            page.screenshot(path=ARTIFACTS / f"{slug}.png", full_page=True)
            sheets = download_margin_tabs(page) if title == "Director" else \
                download_all(page, len(EXCEL_EXPORTS.get(title, [])))
            assert sorted(sheets) == sorted(EXCEL_EXPORTS.get(title, []))
            for name in EXCEL_EXPORTS.get(title, []):
                ws = sheets[name]
                assert header_block(ws)["Period"], "the chosen filters head every export"
                if name == "receivables_ageing":
                    as_of = dt.datetime.strptime(ws["A1"].value.split()[-1], "%d.%m.%Y").date()
                if name.startswith("margin_by_"):
                    check_margin(ws, scenario_warehouse)
                check = {"cashflow": check_cashflow, "pnl": check_pnl, "balance": check_balance,
                         "receivables_ageing": check_ageing, "channel_economics": check_channel_economics}.get(name)
                if check:
                    check(ws, scenario_warehouse)
                elif name == "collections":
                    check_collections(ws, scenario_warehouse, as_of)
                elif name == "payables":
                    check_payables(ws, scenario_warehouse, as_of)
                checked.append(name)
        assert checked == [n for names in EXCEL_EXPORTS.values() for n in names]
        # The Dagster link on the data-engineering page points at DAGSTER_URL.
        assert page.get_by_role("link", name="Open the Dagster UI").get_attribute("href").startswith(
            "http://127.0.0.1:3999")
        # Russian, then out.
        page.get_by_text("Русский").click()
        page.get_by_role("heading", name="Инженерия данных", exact=True).wait_for()
        page.screenshot(path=ARTIFACTS / "data_engineering_ru.png", full_page=True)
        page.get_by_role("button", name="Выйти").click()
        page.get_by_role("textbox", name="Имя пользователя").wait_for()
    finally:
        context.close()


def test_other_roles_see_only_their_page(browser, app_url):
    for role, title in (("finance", "Finance"), ("marketing", "Marketing"),
                        ("data_engineer", "Data engineering")):
        context, page = login(browser, app_url, role)
        try:
            assert nav_links(page) == ["Home", title]
            open_page(page, title)
            page.screenshot(path=ARTIFACTS / f"role_{role}.png", full_page=True)
        finally:
            context.close()


def test_wrong_password_is_refused(browser, app_url):
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(TIMEOUT)
    try:
        page.goto(app_url)
        page.get_by_role("textbox", name="User name").fill("browser_finance")
        page.get_by_role("textbox", name="Password").fill("not the password")
        page.get_by_role("button", name="Log in").click()
        page.get_by_text("Wrong user name or password.").wait_for()
        assert not page.locator('[data-testid="stSidebarNav"]').count()
        page.screenshot(path=ARTIFACTS / "login_refused.png")
    finally:
        context.close()
