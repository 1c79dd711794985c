#!/usr/bin/env python3
"""Checks a Grafana dashboard's structure and has Prometheus parse every query in it.

Usage: python3 deploy/checks/grafana_queries.py deploy/grafana/darkroom.json

Structure: valid JSON; `uid`, `title` and a non-empty `panels` list; every panel (rows and the panels of
collapsed rows included) has a unique integer `id` and a `gridPos` with integer h, w, x, y inside the
24-column grid, and no two panels overlap; every panel that shows data has targets, and every target a
non-empty `expr` and the `${datasource}` Prometheus data source.

Queries: Grafana's variables ($__rate_interval, $__interval, ${datasource}, ...) are replaced by valid
PromQL (durations become 5m), each expression is written into a temporary rules file as a recording rule
named grafana:panel_<id>_<n>, and `promtool check rules` parses them with Prometheus's own parser. A file
that fails is checked again one expression at a time, to name the panel of each bad query.

Exit status: 0 when everything holds; 1 with one line per problem (naming the panel) otherwise; 2 when
promtool is missing. Python 3 standard library only. PROMTOOL overrides the promtool to run.
"""

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

# Panels that show no query results and so need no targets.
PANELS_WITHOUT_QUERIES = {"row", "text", "news", "dashlist", "alertlist", "annolist", "welcome"}
EXPECTED_DATASOURCE = {"type": "prometheus", "uid": "${datasource}"}
GRID_COLUMNS = 24

# Grafana variables that stand for a number rather than a duration (e.g. `/ $__range_s`).
NUMERIC_VARIABLE = re.compile(r"_(s|ms)$")
# $name, ${name} and ${name:format}; [[name]] is the deprecated form.
VARIABLE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?::[^}]*)?\}|\$([A-Za-z_][A-Za-z0-9_]*)|\[\[([A-Za-z_][A-Za-z0-9_]*)\]\]")


def substitute_variables(expr):
    """The expression with every Grafana variable replaced by something PromQL accepts in its place."""

    def replace(match):
        name = match.group(1) or match.group(2) or match.group(3)
        return "300" if NUMERIC_VARIABLE.search(name) else "5m"

    return VARIABLE.sub(replace, expr)


def all_panels(panels):
    """Every panel, with the panels nested in collapsed rows, in dashboard order."""
    for panel in panels:
        yield panel
        if isinstance(panel, dict):
            yield from all_panels(panel.get("panels") or [])


def panel_name(panel):
    title = panel.get("title") if isinstance(panel, dict) else None
    return f'panel {panel.get("id", "?")} "{title or "(untitled)"}"' if isinstance(panel, dict) else "panel ?"


def check_structure(dashboard):
    """Problems with the dashboard's shape, and the (panel, record name, expression) triples to parse."""
    problems = []
    queries = []
    if not isinstance(dashboard, dict):
        return ["the dashboard is not a JSON object"], queries
    for key in ("uid", "title"):
        if not isinstance(dashboard.get(key), str) or not dashboard[key].strip():
            problems.append(f"dashboard: `{key}` is missing or empty")
    panels = dashboard.get("panels")
    if not isinstance(panels, list) or not panels:
        problems.append("dashboard: `panels` is missing or empty")
        return problems, queries
    variables = {v.get("name") for v in (dashboard.get("templating") or {}).get("list", []) if isinstance(v, dict)}

    seen_ids = {}
    cells = {}  # (x, y) grid cell -> panel that covers it
    for panel in all_panels(panels):
        name = panel_name(panel)
        if not isinstance(panel, dict):
            problems.append(f"{name}: not a JSON object")
            continue
        panel_id = panel.get("id")
        if not isinstance(panel_id, int) or isinstance(panel_id, bool):
            problems.append(f"{name}: `id` is missing or not an integer")
        elif panel_id in seen_ids:
            problems.append(f"{name}: id {panel_id} is also used by {seen_ids[panel_id]}")
        else:
            seen_ids[panel_id] = name

        grid = panel.get("gridPos")
        keys = ("h", "w", "x", "y")
        if not isinstance(grid, dict) or not all(isinstance(grid.get(k), int) for k in keys):
            problems.append(f"{name}: `gridPos` with integer h, w, x, y is missing")
        elif grid["h"] < 1 or grid["w"] < 1 or grid["x"] < 0 or grid["y"] < 0 or grid["x"] + grid["w"] > GRID_COLUMNS:
            problems.append(f"{name}: gridPos {grid} lies outside the {GRID_COLUMNS}-column grid")
        else:
            for x in range(grid["x"], grid["x"] + grid["w"]):
                for y in range(grid["y"], grid["y"] + grid["h"]):
                    other = cells.setdefault((x, y), name)
                    if other != name:
                        problems.append(f"{name}: gridPos overlaps {other}")
                        break
                else:
                    continue
                break

        kind = panel.get("type")
        targets = panel.get("targets")
        if kind in PANELS_WITHOUT_QUERIES:
            if targets:
                problems.append(f"{name}: a {kind} panel has targets")
            continue
        if not isinstance(targets, list) or not targets:
            problems.append(f"{name}: no targets")
            continue
        for n, target in enumerate(targets):
            where = f"{name} target {n} ({target.get('refId', '?') if isinstance(target, dict) else '?'})"
            if not isinstance(target, dict):
                problems.append(f"{where}: not a JSON object")
                continue
            expr = target.get("expr")
            if not isinstance(expr, str) or not expr.strip():
                problems.append(f"{where}: `expr` is missing or empty")
                continue
            if target.get("datasource") != EXPECTED_DATASOURCE:
                problems.append(f"{where}: datasource is {target.get('datasource')!r}, not {EXPECTED_DATASOURCE}")
            for match in VARIABLE.finditer(expr):
                used = match.group(1) or match.group(2) or match.group(3)
                if not used.startswith("__") and used not in variables:
                    problems.append(f"{where}: uses ${used}, which the dashboard does not define")
            queries.append((name, f"grafana:panel_{panel_id}_{n}", substitute_variables(expr)))
    if "datasource" not in variables:
        problems.append("dashboard: no `datasource` template variable (targets use ${datasource})")
    return problems, queries


def promtool_check(promtool, queries):
    """Runs `promtool check rules` on the queries as recording rules: (ok, promtool's output)."""
    rules = {"groups": [{"name": "grafana", "rules": [{"record": record, "expr": expr} for _, record, expr in queries]}]}
    # YAML is a superset of JSON, so the rules file is written as JSON: no quoting problems.
    with tempfile.NamedTemporaryFile("w", suffix=".rules.json", delete=False) as handle:
        json.dump(rules, handle, indent=2)
        path = handle.name
    try:
        result = subprocess.run([promtool, "check", "rules", path], capture_output=True, text=True)
        return result.returncode == 0, (result.stdout + result.stderr).replace(path, "<queries>")
    finally:
        os.unlink(path)


def main(argv):
    if len(argv) != 2:
        print(f"usage: {argv[0]} DASHBOARD.json", file=sys.stderr)
        return 1
    path = argv[1]
    promtool = os.environ.get("PROMTOOL", "promtool")
    if shutil.which(promtool) is None:
        print(f"{path}: promtool not found ({promtool}); install Prometheus's promtool (Debian: apt-get install "
              "prometheus) or set PROMTOOL", file=sys.stderr)
        return 2
    try:
        with open(path, encoding="utf-8") as handle:
            dashboard = json.load(handle)
    except (OSError, json.JSONDecodeError) as error:
        print(f"{path}: cannot read the dashboard as JSON: {error}", file=sys.stderr)
        return 1

    problems, queries = check_structure(dashboard)
    if queries:
        ok, output = promtool_check(promtool, queries)
        if not ok:
            # Name the panel of each query that does not parse.
            bad = 0
            for name, record, expr in queries:
                one_ok, one_output = promtool_check(promtool, [(name, record, expr)])
                if not one_ok:
                    bad += 1
                    detail = " ".join(line.strip() for line in one_output.splitlines() if line.strip())
                    problems.append(f"{name}: PromQL does not parse: {expr!r}: {detail}")
            if bad == 0:  # The file failed as a whole only: report promtool's own words.
                problems.append(f"promtool check rules failed: {output.strip()}")

    if problems:
        for problem in problems:
            print(f"{path}: {problem}", file=sys.stderr)
        print(f"{path}: FAILED, {len(problems)} problem(s)", file=sys.stderr)
        return 1
    print(f"{path}: OK, {sum(1 for _ in all_panels(dashboard['panels']))} panels, {len(queries)} queries parsed by promtool")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
