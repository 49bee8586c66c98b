"""The dbt project as Dagster assets; its tests become asset checks."""

import shutil
import sys
from pathlib import Path

import dagster as dg
from dagster_dbt import DbtCliResource, DbtProject, dbt_assets

from ingestion import warehouse

DBT_DIR = Path(__file__).resolve().parents[2] / "dbt"
# The dbt installed beside this interpreter, so it works without an activated virtualenv.
DBT_EXECUTABLE = shutil.which("dbt", path=str(Path(sys.executable).parent)) or "dbt"

dbt_project = DbtProject(project_dir=DBT_DIR, profiles_dir=DBT_DIR)
dbt_resource = DbtCliResource(project_dir=dbt_project, dbt_executable=DBT_EXECUTABLE)


def _manifest_is_stale() -> bool:
    manifest = dbt_project.manifest_path
    if not manifest.exists():
        return True
    sources = [p for folder in (DBT_DIR, DBT_DIR.parent / "seeds") for p in folder.rglob("*")
               if p.suffix in (".sql", ".yml", ".csv") and "target" not in p.parts]
    return max(p.stat().st_mtime for p in sources) > manifest.stat().st_mtime


# Parse only when a model, seed or macro changed since the last manifest: every run process loads this module.
if _manifest_is_stale():
    dbt_resource.cli(["parse", "--quiet"], target_path=dbt_project.target_path).wait()


class DbtBuildConfig(dg.Config):
    # Month-incremental models rebuild only the months the ingestion window can touch; a full refresh also
    # takes in older corrections and physical deletions (the nightly reconciliation asks for one).
    full_refresh: bool = False


@dbt_assets(manifest=dbt_project.manifest_path, project=dbt_project)
def dbt_models(context: dg.AssetExecutionContext, dbt: DbtCliResource, config: DbtBuildConfig):
    # dbt reads its connection from the environment (dbt/profiles.yml); point it at the warehouse.
    warehouse.export_dbt_env()
    args = ["build", "--full-refresh"] if config.full_refresh else ["build"]
    yield from dbt.cli(args, context=context).stream()

