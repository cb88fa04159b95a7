"""Publish checks of a report's `analytics` block (formdefs/README, "analytics"): the grid, its columns
and rows, the products table and the default indicators it names must exist.

Returns (JSON path, message) pairs; `checks.definition_check` makes them Problems. Runs after the
meta-schema, which has already checked the block's shape.
"""


def _fields(document: dict) -> dict:
    return {field["id"]: field for step in document.get("steps", []) for section in step.get("sections", [])
            for field in section.get("fields", [])}


def analytics_problems(document: dict) -> list[tuple[str, str]]:
    """Why the `analytics` block of `document` does not describe its indicators (empty when it does)."""
    block = document.get("analytics")
    if block is None:
        return []
    if document.get("kind") != "report":
        return [("$.analytics", 'only a report (kind "report") has an analytics block')]
    fields = _fields(document)
    name = block["grid"]
    grid = fields.get(name)
    if grid is None:
        return [("$.analytics.grid", f"no field {name!r}")]
    if grid["type"] != "indicator_grid":
        return [("$.analytics.grid", f"field {name!r} is a {grid['type']}, not an indicator_grid")]
    problems = []
    columns = {c["id"]: c for c in grid.get("columns", [])}
    roles_of: dict[str, str] = {}
    for role, column in block["columns"].items():
        path = f"$.analytics.columns.{role}"
        if column not in columns:
            problems.append((path, f"no column {column!r} in grid {name!r}"))
        elif columns[column].get("expr"):
            problems.append((path, f"column {column!r} of grid {name!r} is computed; a role names an input column"))
        elif column in roles_of:
            problems.append((path, f"column {column!r} already has the role {roles_of[column]!r}"))
        roles_of.setdefault(column, role)
    rows = {r["id"] for r in grid.get("rows", [])}
    if block.get("profit_row") and block["profit_row"] not in rows:
        problems.append(("$.analytics.profit_row", f"no row {block['profit_row']!r} in grid {name!r}"))
    products = block.get("products")
    if products:
        if products not in fields:
            problems.append(("$.analytics.products", f"no field {products!r}"))
        elif fields[products]["type"] != "table":
            problems.append(("$.analytics.products", f"field {products!r} is a {fields[products]['type']}, not a table"))
    for use, chosen in (block.get("default_indicators") or {}).items():
        for i, row in enumerate(chosen):
            if row not in rows:
                problems.append((f"$.analytics.default_indicators.{use}[{i}]", f"no row {row!r} in grid {name!r}"))
    return problems
