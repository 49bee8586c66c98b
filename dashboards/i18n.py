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
    "no_item_group": ("(outside any group)", "(вне групп)"),
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
    "first_rows": ("The first {n} rows are shown; the Excel and CSV downloads hold every row.",
                   "Показаны первые {n} строк; в файлах Excel и CSV — все строки."),
    "find_deal": ("Find a deal (number or client)", "Найти сделку (номер или клиент)"),
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
    # statement rows (rpt_cashflow row types and sections, rpt_pnl lines)
    "cf_opening": ("Opening cash", "Остаток на начало"),
    "cf_closing": ("Closing cash", "Остаток на конец"),
    "cf_inflows_total": ("inflows total", "поступления, итого"),
    "cf_outflows_total": ("outflows total", "выбытия, итого"),
    "cf_net_flow": ("net cash flow", "чистый денежный поток"),
    "sec_operating": ("Operating", "Операционная деятельность"),
    "sec_investing": ("Investing", "Инвестиционная деятельность"),
    "sec_financing": ("Financing", "Финансовая деятельность"),
    "pnl_revenue": ("Revenue", "Выручка"),
    "pnl_returns": ("Returns", "Возвраты"),
    "pnl_net_revenue": ("Net revenue", "Чистая выручка"),
    "pnl_cogs": ("Cost of goods sold", "Себестоимость продаж"),
    "pnl_gross_profit": ("Gross profit", "Валовая прибыль"),
    "pnl_indirect_expenses": ("Indirect expenses (overheads)", "Косвенные расходы"),
    "pnl_direct_costs": ("Direct deal costs", "Прямые расходы по сделкам"),
    "pnl_expenses_total": ("Expenses total", "Расходы, итого"),
    "pnl_operating_profit": ("Operating profit", "Операционная прибыль"),
    "pnl_other_income": ("Other income", "Прочие доходы"),
    "pnl_other_expenses": ("Other expenses", "Прочие расходы"),
    "pnl_profit": ("Profit", "Прибыль"),
    # balance-sheet sections and lines (rpt_balance_sheet)
    "bsec_assets": ("Assets", "Активы"), "bsec_liabilities": ("Liabilities", "Обязательства"),
    "bsec_equity": ("Equity", "Капитал"), "bsec_total": ("Total", "Итог"),
    "bs_cash": ("Cash", "Денежные средства"), "bs_receivables": ("Receivables", "Дебиторская задолженность"),
    "bs_advances_paid": ("Advances paid", "Авансы выданные"), "bs_inventory": ("Inventory", "Товары"),
    "bs_input_vat": ("Input VAT", "НДС по приобретённым ценностям"),
    "bs_total_assets": ("Total assets", "Итого активы"),
    "bs_payables": ("Payables", "Кредиторская задолженность"),
    "bs_advances_received": ("Advances received", "Авансы полученные"),
    "bs_output_vat": ("Output VAT", "НДС к уплате"), "bs_other_payables": ("Other payables", "Прочие обязательства"),
    "bs_total_liabilities": ("Total liabilities", "Итого обязательства"), "bs_capital": ("Capital", "Уставный капитал"),
    "bs_retained_earnings": ("Retained earnings", "Нераспределённая прибыль прошлых лет"),
    "bs_current_year_profit": ("Current-year profit", "Прибыль текущего года"),
    "bs_total_equity": ("Total equity", "Итого капитал"),
    "bs_total_liabilities_and_equity": ("Total liabilities and equity", "Итого обязательства и капитал"),
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


# Column headings of the tables (and of the Excel exports): the mart's column name → (English, Russian).
# A column not listed is shown as its name in words, with the usual abbreviations in capitals.
COLUMNS: dict[str, tuple[str, str]] = {
    "deal": ("Deal", "Сделка"), "deal_number": ("Deal", "Сделка"), "client": ("Client", "Клиент"),
    "client_name": ("Client", "Клиент"), "manager": ("Manager", "Менеджер"), "manager_name": ("Manager", "Менеджер"),
    "counterparty_name": ("Counterparty", "Контрагент"), "outcome": ("Outcome", "Итог"),
    "revenue": ("Revenue", "Выручка"), "returns": ("Returns", "Возвраты"),
    "net_revenue": ("Net revenue", "Чистая выручка"),
    "cogs": ("COGS", "Себестоимость"), "cost_of_goods_sold": ("COGS", "Себестоимость"),
    "gross_margin": ("Gross margin", "Валовая прибыль"), "direct_costs": ("Direct costs", "Прямые расходы"),
    "contribution": ("Contribution", "Маржинальный доход"), "overhead": ("Overhead", "Накладные"),
    "net_margin": ("Net margin", "Чистая прибыль"), "document_number": ("Document", "Документ"),
    "document_date": ("Date", "Дата"), "document_type": ("Document type", "Вид документа"),
    "order_date": ("Order date", "Дата заказа"), "status": ("Status", "Статус"),
    "ordered_gross": ("Ordered (gross)", "Заказано (с НДС)"), "shipped_gross": ("Shipped (gross)", "Отгружено (с НДС)"),
    "returned_gross": ("Returned (gross)", "Возвращено (с НДС)"), "paid_gross": ("Paid (gross)", "Оплачено (с НДС)"),
    "kind": ("Kind", "Вид"), "quantity": ("Quantity", "Количество"), "unit_cost": ("Unit cost", "Себестоимость ед."),
    "cost": ("Cost", "Себестоимость"), "is_beyond_stock": ("Beyond stock", "Сверх остатка"),
    "series_base_cost": ("Series base cost", "Партия: закупка"),
    "series_landed_total": ("Series landed cost", "Партия: полная себестоимость"),
    "series_landed_unit_cost": ("Series landed unit cost", "Партия: себестоимость ед."),
    "state_name": ("State", "Этап"), "deals": ("Deals", "Сделки"),
    "pct_of_previous": ("% of previous", "% от предыдущего"), "pct_of_first": ("% of first", "% от первого"),
    "line": ("Line", "Строка"), "amount": ("Amount", "Сумма"), "section": ("Section", "Раздел"),
    "open_total": ("Open", "Открыто"), "overdue_total": ("Overdue", "Просрочено"),
    "advances_total": ("Advances", "Авансы"), "net_balance": ("Net balance", "Сальдо"),
    "not_due": ("Not due", "Не наступил срок"), "d001_030": ("1–30 days", "1–30 дн."),
    "d031_060": ("31–60 days", "31–60 дн."), "d061_090": ("61–90 days", "61–90 дн."),
    "d091_180": ("91–180 days", "91–180 дн."), "d181_plus": ("Over 180 days", "Свыше 180 дн."),
    "due_date": ("Due date", "Срок оплаты"), "item_kind": ("Item", "Позиция"),
    "original_amount": ("Original amount", "Исходная сумма"), "open_amount": ("Open amount", "Остаток долга"),
    "days_overdue": ("Days overdue", "Дней просрочки"), "bucket": ("Bucket", "Интервал"),
    "reminder_date": ("Reminder date", "Дата напоминания"),
    "utm_source": ("Ad channel (utm_source)", "Рекламный канал"),
    "spend": ("Spend", "Расход"), "leads": ("Leads", "Лиды"), "target_leads": ("Target leads", "Целевые лиды"),
    "won_deals": ("Won deals", "Выигранные сделки"), "cpl": ("CPL", "Цена лида"),
    "cost_per_won_deal": ("Cost per won deal", "Цена выигранной сделки"), "romi_pct": ("ROMI %", "ROMI, %"),
    "lost_reason": ("Lost reason", "Причина проигрыша"), "last_state": ("Last state", "Последний этап"),
    "lost_deals": ("Lost deals", "Проигранные сделки"), "value_lost": ("Value lost", "Упущенная сумма"),
    "calls": ("Calls", "Звонки"), "missed_calls": ("Missed", "Пропущенные"),
    "missed_not_called_back_15_min": ("Missed, no callback in 15 min", "Пропущенные без перезвона за 15 мин"),
    "source": ("Source", "Источник"), "entity": ("Entity", "Объект"), "entities": ("Entities", "Объектов"),
    "last_batch_id": ("Last batch", "Последний пакет"), "last_finished_at": ("Finished", "Завершён"),
    "rows_read": ("Rows read", "Прочитано"), "rows_loaded": ("Rows loaded", "Загружено"),
    "rows_rejected": ("Rows rejected", "Отклонено"), "not_succeeded": ("Not succeeded", "Неуспешных"),
    "hours_since_success": ("Hours since success", "Часов с успешной загрузки"),
    "last_status": ("Last status", "Последний статус"), "last_success_at": ("Last success", "Последний успех"),
    "limit_hours": ("Limit, hours", "Предел, ч"), "is_fresh": ("Fresh", "Свежие"), "reason": ("Reason", "Причина"),
    "field": ("Field", "Поле"), "record_key": ("Record", "Запись"), "month": ("Month", "Месяц"),
    "channel": ("Channel", "Канал"), "name": ("Name", "Имя"), "failures": ("Failures", "Ошибок"),
}
_ABBREVIATIONS = {"cpl": "CPL", "romi": "ROMI", "cogs": "COGS", "utm": "UTM", "id": "ID", "vat": "VAT", "pct": "%",
                  "dbt": "dbt"}


def column(name: str, lang_code: str | None = None) -> str:
    """The heading of a table column: its entry in COLUMNS, else its name in words ('rows_read' → 'Rows read')."""
    if name in COLUMNS:
        en, ru = COLUMNS[name]
        return ru if (lang_code or lang()) == "ru" else en
    words = [_ABBREVIATIONS.get(w, w) for w in str(name).split("_")]
    text = " ".join(words)
    return text[:1].upper() + text[1:]
