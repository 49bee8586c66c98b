"""English and Russian texts; the sidebar switch sets `st.session_state["lang"]`."""

from __future__ import annotations

import streamlit as st

LANGUAGES = {"en": "English", "ru": "Русский"}

TEXTS: dict[str, tuple[str, str]] = {
    # key: (English, Russian)
    "app_title": ("Trade warehouse", "Управленческая отчётность"),
    "username": ("User name", "Имя пользователя"),
    "password": ("Password", "Пароль"),
    "log_in": ("Log in", "Войти"),
    "log_out": ("Log out", "Выйти"),
    "login_invalid": ("Wrong user name or password.", "Неверное имя пользователя или пароль."),
    "login_locked": ("Too many failed attempts: the account is locked for {minutes} minutes.",
                     "Слишком много неудачных попыток: учётная запись заблокирована на {minutes} мин."),
    "login_required": ("Please log in.", "Войдите в систему."),
    "access_denied": ("Access denied: your role may not open this page.",
                      "Доступ запрещён: вашей роли эта страница недоступна."),
    "signed_in_as": ("Signed in as {name} ({role})", "Вы вошли как {name} ({role})"),
    "language": ("Language", "Язык"),
    "no_data": ("No data yet: run `make pipeline` (or materialize the assets in the Dagster UI).",
                "Данных пока нет: выполните `make pipeline` (или материализуйте ассеты в Dagster UI)."),
    "no_rows": ("Nothing matches the filters: widen the period or clear a filter.",
                "По фильтрам ничего не найдено: расширьте период или сбросьте фильтр."),
    # pages
    "home": ("Home", "Главная"),
    "director": ("Director", "Руководитель"),
    "finance": ("Finance", "Финансы"),
    "marketing": ("Marketing", "Маркетинг"),
    "data_engineering": ("Data engineering", "Инженерия данных"),
    "home_intro": ("Management reporting for a trading company: margins, budgets, balance, funnel and calls.",
                   "Управленческая отчётность торговой компании: маржа, бюджеты, баланс, воронка и звонки."),
    "your_pages": ("Your pages", "Ваши страницы"),
    # roles
    "role_director": ("director", "руководитель"),
    "role_finance": ("finance", "финансы"),
    "role_marketing": ("marketing", "маркетинг"),
    "role_data_engineer": ("data engineer", "инженер данных"),
    # filters
    "filters": ("Filters", "Фильтры"),
    "period": ("Period", "Период"),
    "division": ("Division", "Подразделение"),
    "manager": ("Manager", "Менеджер"),
    "channel": ("Channel", "Канал"),
    "all": ("all", "все"),
    # director
    "kpis": ("Key figures", "Ключевые показатели"),
    "revenue": ("Revenue", "Выручка"),
    "gross_margin": ("Gross margin", "Валовая прибыль"),
    "net_margin": ("Net margin", "Чистая прибыль"),
    "cash": ("Cash", "Денежные средства"),
    "overdue_receivables": ("Overdue receivables", "Просроченная дебиторка"),
    "open_pipeline": ("Open pipeline value", "Открытые сделки"),
    "vs_previous": ("against the previous period", "к предыдущему периоду"),
    "margin_by": ("Margin by", "Маржа в разрезе"),
    "deal": ("Deal", "Сделка"),
    "client": ("Client", "Клиент"),
    "item_group": ("Item group", "Группа товаров"),
    "no_item_groups": ("Item groups are not in the marts yet: fct_cogs_lines needs an item group column.",
                       "Групп товаров в витринах пока нет: в fct_cogs_lines нужна колонка группы товаров."),
    "drill_down": ("Drill down: deal → orders → shipments → series costs",
                   "Детализация: сделка → заказы → отгрузки → себестоимость партий"),
    "choose_deal": ("Deal", "Сделка"),
    "orders": ("Orders", "Заказы"),
    "shipments": ("Shipment lines and series costs", "Строки отгрузок и себестоимость партий"),
    "funnel": ("Sales funnel", "Воронка продаж"),
    "trends": ("Trends by month", "Динамика по месяцам"),
    "pct_of_previous": ("% of previous", "% от предыдущего"),
    "pct_of_first": ("% of first", "% от первого"),
    # finance
    "cashflow": ("Cash-flow budget (БДДС): plan vs fact", "БДДС: план и факт"),
    "pnl": ("P&L budget (БДР): plan vs fact", "БДР: план и факт"),
    "balance": ("Management balance sheet", "Управленческий баланс"),
    "month_end": ("Month end", "Конец месяца"),
    "assets": ("Assets", "Активы"),
    "liabilities_equity": ("Liabilities + equity", "Пассивы + капитал"),
    "balanced": ("Assets = liabilities + equity", "Активы = пассивы + капитал"),
    "not_balanced": ("Assets differ from liabilities + equity by {diff}",
                     "Активы отличаются от пассивов и капитала на {diff}"),
    "ageing": ("Receivables ageing", "Старение дебиторской задолженности"),
    "as_of": ("As of", "На дату"),
    "open_items": ("Open items of", "Открытые позиции"),
    "collections": ("Collections worklist", "Список для взыскания"),
    "payables": ("Payables", "Кредиторская задолженность"),
    "excel": ("Excel", "Excel"),
    "csv": ("CSV", "CSV"),
    "plan": ("plan", "план"),
    "fact": ("fact", "факт"),
    "variance": ("variance", "отклонение"),
    "total": ("Total", "Итого"),
    "article": ("Article", "Статья"),
    # marketing
    "channel_economics": ("Channel economics", "Экономика каналов"),
    "funnel_by_channel": ("Funnel by channel", "Воронка по каналам"),
    "funnel_by_cohort": ("Funnel by lead-month cohort", "Воронка по когортам месяца лида"),
    "lost_reasons": ("Lost deals by reason", "Причины проигрыша"),
    "calls": ("Calls", "Звонки"),
    "calls_by_manager": ("by manager", "по менеджерам"),
    "calls_by_line": ("by line", "по линиям"),
    # data engineering
    "last_loads": ("Last load per source", "Последняя загрузка по источникам"),
    "rejects": ("Rejected records", "Отклонённые записи"),
    "reason": ("Reason", "Причина"),
    "no_rejects": ("No rejected records: every record loaded passed validation.",
                   "Отклонённых записей нет: все загруженные записи прошли проверку."),
    "freshness": ("Freshness", "Свежесть"),
    "dbt_tests": ("dbt test results", "Результаты тестов dbt"),
    "no_dbt_results": ("No dbt run results found yet: run `make pipeline`.",
                       "Результатов dbt пока нет: выполните `make pipeline`."),
    "row_counts": ("Row counts of the marts", "Число строк в витринах"),
    "dagster_link": ("Open the Dagster UI", "Открыть Dagster UI"),
}


def lang() -> str:
    return st.session_state.get("lang", "en")


def t(key: str, lang_code: str | None = None) -> str:
    en, ru = TEXTS.get(key, (key, key))
    return ru if (lang_code or lang()) == "ru" else en


def language_switch() -> None:
    """The sidebar switch; call it before anything is written so the whole run uses the chosen language."""
    codes = list(LANGUAGES)
    choice = st.sidebar.radio("Language / Язык", codes, index=codes.index(lang()), format_func=LANGUAGES.get,
                              key="lang_switch", horizontal=True)
    st.session_state["lang"] = choice
