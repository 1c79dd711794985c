#!/usr/bin/env python3
"""Offline structure check of a docker compose file (no Docker engine needed).

    python3 deploy/checks/compose_structure.py deploy/compose.yaml

`docker compose config` needs the compose plugin and resolves nothing we care about here, so this
reads the file with PyYAML (YAML anchors and `<<` merges included) and checks what would otherwise only
fail at `docker compose up`:
  - every service has `image` or `build`; a build's context and Dockerfile exist;
  - depends_on names existing services, with a valid condition; `service_healthy` targets define a
    healthcheck and `service_completed_successfully` targets do not restart;
  - named volumes are declared under the top-level `volumes`; bind-mounted files exist in the repository;
  - `ports` and `expose` entries are strings ("8080:8080", not a YAML number);
  - the Darkroom services (built from the repository's Dockerfile) run `darkroom <subcommand>` in exec
    form with only the flags that subcommand has (deploy/checks/darkroom_cli.py), get the database URL,
    and every gateway and worker mounts the same named volume at its --image-dir;
  - the nginx gateway list and the Prometheus static targets mounted into the stack name services that
    exist, on the ports they listen on.

Exit status 0 when all is well, 1 with every problem listed otherwise, 2 on usage errors.
Needs PyYAML: pip install pyyaml
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

try:
    import yaml
except ImportError:
    sys.exit("compose_structure.py: FAIL: PyYAML is not installed; run `pip install pyyaml`")

sys.dont_write_bytecode = True  # no __pycache__ left in the repository
sys.path.insert(0, str(Path(__file__).resolve().parent))
import darkroom_cli  # noqa: E402  (next to this file)

CONDITIONS = {"service_started", "service_healthy", "service_completed_successfully"}
INTERPOLATION = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?-([^}]*))?\}")


def interpolate(value: str) -> str:
    """${VAR:-default} -> default (or "" without one), the way compose would with VAR unset."""
    return INTERPOLATION.sub(lambda m: m.group(2) or "", value)


def volume_entries(service: dict) -> list[tuple[str, str, str]]:
    """(type, source, target) for each entry of a service's `volumes`, short or long syntax."""
    entries = []
    for volume in service.get("volumes") or []:
        if isinstance(volume, str):
            parts = interpolate(volume).split(":")
            if len(parts) == 1:
                entries.append(("volume", "", parts[0]))  # anonymous volume
                continue
            source, target = parts[0], parts[1]
            kind = "bind" if source.startswith((".", "/", "~")) else "volume"
            entries.append((kind, source, target))
        elif isinstance(volume, dict):
            entries.append((volume.get("type", "volume"), interpolate(str(volume.get("source", ""))), str(volume.get("target", ""))))
    return entries


def depends_on(service: dict) -> dict[str, str]:
    value = service.get("depends_on") or {}
    if isinstance(value, list):
        return {name: "service_started" for name in value}
    return {name: (spec or {}).get("condition", "service_started") for name, spec in value.items()}


def environment(service: dict) -> dict[str, str]:
    value = service.get("environment") or {}
    if isinstance(value, list):
        return dict(item.split("=", 1) if "=" in item else (item, "") for item in value)
    return {str(k): str(v) for k, v in value.items()}


def check(compose_path: Path) -> list[str]:
    base = compose_path.parent
    try:
        compose = yaml.safe_load(compose_path.read_text())
    except (OSError, yaml.YAMLError) as error:
        return [f"cannot read {compose_path}: {error}"]
    if not isinstance(compose, dict) or not isinstance(compose.get("services"), dict) or not compose["services"]:
        return [f"{compose_path}: no `services` mapping"]

    problems: list[str] = []
    services: dict[str, dict] = compose["services"]
    declared_volumes = set((compose.get("volumes") or {}).keys())
    image_dirs: dict[str, tuple[str, str]] = {}  # service -> (role, volume name)
    listening: dict[str, set[str]] = {}  # service -> ports it listens on inside the network
    mounted_files: dict[str, Path] = {}  # container path -> repository file

    for name, service in services.items():
        where = f"service {name}"
        if not isinstance(service, dict):
            problems.append(f"{where}: not a mapping")
            continue
        if "image" not in service and "build" not in service:
            problems.append(f"{where}: needs `image` or `build`")

        build = service.get("build")
        if build is not None:
            context = base / (build if isinstance(build, str) else build.get("context", "."))
            dockerfile = context / ("Dockerfile" if isinstance(build, str) else build.get("dockerfile", "Dockerfile"))
            if not context.is_dir():
                problems.append(f"{where}: build context {context} does not exist")
            elif not dockerfile.is_file():
                problems.append(f"{where}: Dockerfile {dockerfile} does not exist")

        for target, condition in depends_on(service).items():
            if target not in services:
                problems.append(f"{where}: depends_on unknown service {target!r}")
                continue
            if condition not in CONDITIONS:
                problems.append(f"{where}: depends_on {target}: unknown condition {condition!r}")
            target_service = services[target] or {}
            healthcheck = target_service.get("healthcheck") or {}
            if condition == "service_healthy" and (not healthcheck or healthcheck.get("disable")):
                problems.append(f"{where}: waits for {target} to be healthy, but {target} has no healthcheck")
            if condition == "service_completed_successfully" and str(target_service.get("restart", "no")) not in ("no", "on-failure"):
                problems.append(f"{where}: waits for {target} to complete, but {target} restarts ({target_service.get('restart')})")

        for key in ("ports", "expose"):
            for entry in service.get(key) or []:
                if not isinstance(entry, (str, dict)):
                    problems.append(f"{where}: {key} entry {entry!r} must be a quoted string (YAML reads 22:22 as a number)")

        for kind, source, target in volume_entries(service):
            if kind == "volume" and source and source not in declared_volumes:
                problems.append(f"{where}: volume {source!r} is not declared under top-level `volumes`")
            if kind == "bind":
                if source.startswith(("/", "~")):
                    problems.append(f"{where}: bind mount {source} is an absolute host path; use a path in the repository")
                    continue
                path = (base / source).resolve()
                if not path.exists():
                    problems.append(f"{where}: bind mount {source} -> {path} does not exist")
                else:
                    mounted_files[target] = path

        listening[name] = {str(p).split("/")[0].split(":")[-1] for p in service.get("expose") or []}

        # The Darkroom services: built from the repository's Dockerfile.
        if build is None:
            continue
        command = service.get("command")
        if not isinstance(command, list):
            problems.append(f"{where}: command must be a list (exec form), got {type(command).__name__}")
            continue
        args = [str(a) for a in command]
        problems += [f"{where}: {p}" for p in darkroom_cli.check_args(args)]
        role = args[0] if args else ""
        if "DARKROOM_DATABASE_URL" not in environment(service) and "--database-url" not in args and role != "serve":
            problems.append(f"{where}: no database URL (DARKROOM_DATABASE_URL or --database-url)")
        if role == "gateway":
            listening[name].add(darkroom_cli.flag_value(args, "--port") or "8080")
        if role == "worker":
            listening[name].add(darkroom_cli.flag_value(args, "--metrics-port") or "9090")
            if darkroom_cli.flag_value(args, "--metrics-host") in (None, "127.0.0.1", "localhost"):
                problems.append(f"{where}: --metrics-host must be 0.0.0.0, or Prometheus cannot scrape the worker")
        if role in ("gateway", "worker"):
            image_dir = darkroom_cli.flag_value(args, "--image-dir")
            if image_dir is None:
                problems.append(f"{where}: no --image-dir (the default ./darkroom-data/images is not shared)")
                continue
            volume = next((s for k, s, t in volume_entries(service) if t == image_dir), None)
            if volume is None:
                problems.append(f"{where}: nothing is mounted at --image-dir {image_dir}")
            elif volume in declared_volumes:
                image_dirs[name] = (role, volume)
            else:
                problems.append(f"{where}: --image-dir {image_dir} is not a named volume, so it is not shared")

    roles = {role for role, _ in image_dirs.values()}
    if not {"gateway", "worker"} <= roles:
        problems.append(f"expected at least one gateway and one worker sharing the image volume (found: {sorted(roles) or 'none'})")
    if len({volume for _, volume in image_dirs.values()}) > 1:
        problems.append(f"gateways and workers mount different image volumes: {image_dirs}")

    # Upstreams mounted into nginx: `server HOST:PORT ...;` lines must name services listening there.
    for target, path in mounted_files.items():
        if path.is_file() and path.name == "darkroom-gateways.conf":
            servers = re.findall(r"^\s*server\s+([^\s:;]+):(\d+)", path.read_text(), re.MULTILINE)
            if not servers:
                problems.append(f"{path}: no `server host:port` lines")
            for host, port in servers:
                if host not in services:
                    problems.append(f"{path}: upstream {host}:{port} is not a service")
                elif port not in listening.get(host, set()):
                    problems.append(f"{path}: upstream {host}:{port}, but {host} listens on {sorted(listening[host])}")
        if path.is_file() and path.name == "prometheus.yml":
            try:
                prometheus = yaml.safe_load(path.read_text()) or {}
            except yaml.YAMLError as error:
                problems.append(f"{path}: not YAML: {error}")
                continue
            for job in prometheus.get("scrape_configs") or []:
                for static in job.get("static_configs") or []:
                    for address in static.get("targets") or []:
                        host, _, port = str(address).rpartition(":")
                        if host in services and port not in listening.get(host, set()):
                            problems.append(f"{path}: job {job.get('job_name')} scrapes {address}, but {host} listens on {sorted(listening[host])}")
                        elif host not in services and host not in ("localhost", "127.0.0.1"):
                            problems.append(f"{path}: job {job.get('job_name')} scrapes {address}, which is not a compose service")
    return problems


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: compose_structure.py COMPOSE.yaml", file=sys.stderr)
        return 2
    path = Path(argv[1])
    problems = check(path)
    for problem in problems:
        print(f"compose_structure.py: FAIL: {problem}", file=sys.stderr)
    if problems:
        return 1
    services = yaml.safe_load(path.read_text())["services"]
    print(f"compose_structure.py: ok: {path}: {len(services)} services ({', '.join(services)})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
