"""The hand-written scenario holds the round numbers its docstring promises."""

import pytest

from ingestion.demo.generate import generate
from tests.demo.conftest import objects


@pytest.fixture(scope="module")
def scenario(tmp_path_factory):
    out = tmp_path_factory.mktemp("scenario")
    generate(out, "scenario", 0, False)
    return out


def by_date(docs):
    return sorted(docs.values(), key=lambda d: d["Date"])


def test_three_deals_two_won_one_lost(scenario):
    deals = objects(scenario, "crm", "Document_CRM_Интерес")
    catalog = objects(scenario, "crm", "Catalog_CRM_СостоянияИнтересов")
    states = {s["Ref_Key"]: s["Description"] for s in catalog.values()}
    assert sorted(states[d["Состояние_Key"]] for d in deals.values()) == ["Потерян", "Успешно", "Успешно"]


def test_documents_carry_the_round_numbers(scenario):
    shipments = by_date(objects(scenario, "trade", "Document_РеализацияТоваровУслуг"))
    assert [s["СуммаДокумента"] for s in shipments] == [960_000.0, 720_000.0, 1_200_000.0]
    (declaration,) = objects(scenario, "trade", "Document_ТаможеннаяДекларацияИмпорт").values()
    assert (declaration["СуммаПошлины"], declaration["СуммаНДС"], declaration["ТаможенныйСбор"]) == (
        30_000.0, 126_000.0, 3_100.0)
    (returned,) = objects(scenario, "trade", "Document_ВозвратТоваровОтКлиента").values()
    assert returned["СуммаДокумента"] == 120_000.0 and returned["Товары"][0]["СуммаНДС"] == 20_000.0
    incoming = sorted(p["СуммаДокумента"] for p in
                      objects(scenario, "trade", "Document_ПоступлениеБезналичныхДенежныхСредств").values())
    assert incoming == [360_000.0, 840_000.0, 1_560_000.0]
    costs = sorted((c["Расходы"][0]["Сумма"], c["Расходы"][0]["АналитикаРасходов_Type"]) for c in
                   objects(scenario, "trade", "Document_ПриобретениеУслугПрочихАктивов").values())
    assert costs == [(100.0, "StandardODATA.Document_ТоварВМашине"),
                     (12_000.0, "StandardODATA.Document_ЗаказКлиента"),
                     (24_000.0, "StandardODATA.Document_ТаможеннаяДекларацияИмпорт"),
                     (60_000.0, "StandardODATA.Document_ТоварВМашине")]
