"""The SQL models in `sql/`: one asset per file, upstream assets read from the SQL itself,
each checked against its contract in sql/contracts.yml as part of its materialisation."""

from collections.abc import Iterator

import dagster as dg

from pipelines.defs.metadata import table_metadata
from pipelines.defs.models.checks import check_results, check_specs
from pipelines.defs.models.contracts import ModelContract, load_contracts
from pipelines.defs.resources import WarehouseResource
from pipelines.warehouse.models import SqlModel, build_model, load_models


def _model_asset(model: SqlModel, contract: ModelContract | None) -> dg.AssetsDefinition:
    @dg.asset(
        name=model.name,
        deps=list(model.upstream),
        description=model.description or None,
        group_name="models",
        kinds={"sql", "duckdb"},
        pool="warehouse",
        automation_condition=dg.AutomationCondition.eager(),
        metadata={"sql_file": dg.MetadataValue.path(str(model.path))},
        code_version=model.sql_version,  # the UI marks the table stale when its SQL changes
        check_specs=check_specs(contract) if contract else None,
    )
    def _build(
        warehouse: WarehouseResource,
    ) -> Iterator[dg.MaterializeResult | dg.AssetCheckResult]:
        with warehouse.connect() as con:
            build_model(con, model)
            yield dg.MaterializeResult(metadata=table_metadata(con, model.name))
            if contract:
                yield from check_results(con, contract)

    return _build


def model_assets(contracts: dict[str, ModelContract] | None = None) -> list[dg.AssetsDefinition]:
    """One asset per SQL model, with the checks of its contract (sql/contracts.yml by default)."""
    contracts = load_contracts() if contracts is None else contracts
    return [_model_asset(model, contracts.get(model.name)) for model in load_models()]
