"""Pictures of the warehouse for people: pure drawing code, no Dagster."""

from pipelines.reports.charts import ChartPoint, draw_capex_chart, render_png, write_capex_chart

__all__ = ["ChartPoint", "draw_capex_chart", "render_png", "write_capex_chart"]
