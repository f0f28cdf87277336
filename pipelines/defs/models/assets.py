"""The SQL models in `sql/`: one asset per file, upstream assets read from the SQL itself."""

import dagster as dg

from pipelines.defs.metadata import table_metadata
from pipelines.defs.resources import WarehouseResource
from pipelines.warehouse.models import SqlModel, build_model, load_models


def _model_asset(model: SqlModel) -> dg.AssetsDefinition:
    @dg.asset(
        name=model.name,
        deps=list(model.upstream),
        description=model.description or None,
        group_name="models",
        kinds={"sql", "duckdb"},
        pool="warehouse",
        automation_condition=dg.AutomationCondition.eager(),
        metadata={"sql_file": dg.MetadataValue.path(str(model.path))},
    )
    def _build(warehouse: WarehouseResource) -> dg.MaterializeResult:
        with warehouse.connect() as con:
            build_model(con, model)
            return dg.MaterializeResult(metadata=table_metadata(con, model.name))

    return _build


def model_assets() -> list[dg.AssetsDefinition]:
    return [_model_asset(model) for model in load_models()]
