"""Reports drawn from the warehouse models, shown in the Dagster UI with each materialisation."""

import base64
from pathlib import Path

import dagster as dg

from pipelines.defs.resources import WarehouseResource
from pipelines.reports import ChartPoint, write_capex_chart

CHART_FILE = "capex_by_company.png"


@dg.asset(
    deps=["capex_facts_consolidated"],
    group_name="reports",
    kinds={"python", "duckdb"},
    pool="warehouse",
    automation_condition=dg.AutomationCondition.eager(),
)
def capex_chart(warehouse: WarehouseResource) -> dg.MaterializeResult:
    """Capex by company and period: actual and guidance bars, consensus marks, as a PNG in
    the `reports` folder beside the warehouse file, and inline in this materialisation."""
    with warehouse.connect() as con:
        cursor = con.execute(
            """
            select company, basis, period, value_usd,
                   value_low_usd as low_usd, value_high_usd as high_usd
            from capex_facts_consolidated
            where metric = 'capex'
            """
        )
        names = [column[0] for column in cursor.description]
        points = [ChartPoint(**dict(zip(names, row, strict=True))) for row in cursor.fetchall()]
    path = write_capex_chart(points, Path(warehouse.path).parent / "reports" / CHART_FILE)
    encoded = base64.b64encode(path.read_bytes()).decode("ascii")
    return dg.MaterializeResult(
        metadata={
            "chart": dg.MetadataValue.md(f"![capex by company](data:image/png;base64,{encoded})"),
            "path": dg.MetadataValue.path(str(path.resolve())),
            "companies": len({point.company for point in points}),
            "figures": len(points),
        }
    )
