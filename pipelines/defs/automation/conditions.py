"""Declarative automation: every downstream asset refreshes when its inputs change.

Dagster's `eager()` waits until no upstream partition is missing. The ingest assets have a
partition per Beijing day since 2023, and nobody ingests every one of them, so under plain
`eager()` the articles (and everything after them) would never refresh. Here a missing
partition upstream does not block; an upstream with no partition at all still does.
"""

from __future__ import annotations

from collections.abc import Sequence

import dagster as dg


def _partitioned_keys(assets: Sequence[dg.AssetsDefinition]) -> set[dg.AssetKey]:
    return {
        spec.key
        for assets_def in assets
        for spec in assets_def.specs
        if spec.partitions_def is not None
    }


def refresh_when_inputs_change(
    partitioned: set[dg.AssetKey], deps: set[dg.AssetKey]
) -> dg.AutomationCondition:
    """`eager()` that tolerates missing upstream partitions, and waits for at least one."""
    if not deps & partitioned:
        return dg.AutomationCondition.eager()
    partitioned_deps = dg.AssetSelection.assets(*sorted(deps & partitioned))
    condition = dg.AutomationCondition.eager().replace(
        "any_deps_missing", dg.AutomationCondition.any_deps_missing().ignore(partitioned_deps)
    )
    some_input_exists = dg.AutomationCondition.any_deps_match(
        ~dg.AutomationCondition.missing()
    ).allow(partitioned_deps)
    return (condition & some_input_exists).with_label("eager, any upstream partition")


def with_input_driven_automation(
    assets: Sequence[dg.AssetsDefinition],
) -> list[dg.AssetsDefinition]:
    """`assets`, where each asset that refreshes automatically does so when its inputs change."""
    partitioned = _partitioned_keys(assets)

    def adjust(spec: dg.AssetSpec) -> dg.AssetSpec:
        if spec.automation_condition is None:
            return spec
        deps = {dep.asset_key for dep in spec.deps}
        return spec.replace_attributes(
            automation_condition=refresh_when_inputs_change(partitioned, deps)
        )

    return list(dg.map_asset_specs(adjust, assets))
