"""Resources: where the warehouse and each source are. Everything comes from the environment,
defaulting to the embedded warehouse and the demo company's server."""

import os
from collections.abc import Callable
from pathlib import Path

import dagster as dg

from ingestion import warehouse
from ingestion.connectors.onec_odata import ODataClient, ODataSettings


class WarehouseResource(dg.ConfigurableResource):
    """The warehouse as the loader role (WAREHOUSE_URL, or the embedded server)."""

    def loader(self) -> warehouse.Conn:
        return warehouse.as_role("loader")


class OneCResource(dg.ConfigurableResource):
    """The 1C publications: ONEC_<BASE>_URL, ONEC_USER, ONEC_PASSWORD (see .env.example)."""

    exchange_plan: str = os.environ.get("ONEC_EXCHANGE_PLAN", "ExchangePlan_ОбменСХранилищемДанных")
    exchange_node: str = os.environ.get("ONEC_EXCHANGE_NODE", "DWH")

    def client(self, base: str, log: Callable[[str], None] = lambda _msg: None) -> ODataClient:
        return ODataClient(ODataSettings.from_env(base), log=log)


class FilesResource(dg.ConfigurableResource):
    """The drop folder: one subfolder per file source (mango, ad_costs, supplier_invoices, budget).

    SOURCE_FILES_DIR, default: the demo company's folder (DEMO_DATA, default data/demo)."""

    root: str = os.environ.get("SOURCE_FILES_DIR", os.environ.get("DEMO_DATA", "data/demo"))

    def folder(self, source: str) -> Path:
        root = Path(self.root)
        return (root if root.is_absolute() else warehouse.PROJECT_ROOT / root) / source
