#!/usr/bin/env python3
"""Checks on one `kubectl kustomize` build of deploy/kubernetes, used by deploy/checks/deploy.sh.

    k8s_output.py split  OUT.yaml BUILTIN.yaml   write the built-in kinds only (for kubernetes-validate);
                                                 the custom resources (keda.sh) go to validate_crds.py
    k8s_output.py expect OUT.yaml VARIANT        the objects and settings the build must have;
                                                 VARIANT is base, production or spot (the directory name)
    k8s_output.py promql OUT.yaml RULES.yaml     the ScaledObjects' Prometheus queries as a rule file, so
                                                 that `promtool check rules RULES.yaml` parses them

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
    sys.exit("k8s_output.py: FAIL: PyYAML is not installed; run `pip install pyyaml`")

sys.dont_write_bytecode = True  # no __pycache__ left in the repository
sys.path.insert(0, str(Path(__file__).resolve().parent))
import darkroom_cli  # noqa: E402  (next to this file)

CRD_GROUPS = {"keda.sh"}
NAMESPACE = "darkroom"
NAME_LABEL = ("app.kubernetes.io/name", "darkroom")
CLUSTER_SCOPED = {"Namespace", "PersistentVolume", "StorageClass", "ClusterRole", "ClusterRoleBinding"}

# (kind, name) every variant must contain.
EXPECTED = [
    ("Namespace", "darkroom"),
    ("PersistentVolumeClaim", "darkroom-images"),
    ("Deployment", "darkroom-gateway"),
    ("Service", "darkroom-gateway"),
    ("Ingress", "darkroom-gateway"),
    ("HorizontalPodAutoscaler", "darkroom-gateway"),
    ("PodDisruptionBudget", "darkroom-gateway"),
    ("Deployment", "darkroom-worker"),
    ("ScaledObject", "darkroom-worker"),
]

# The spot overlay's worker must tolerate these taints (key -> value).
SPOT_TOLERATIONS = {
    "cloud.google.com/gke-spot": "true",
    "kubernetes.azure.com/scalesetpriority": "spot",
}

# The worker's drain needs the job timeout plus a margin before the kubelet's SIGKILL.
MIN_WORKER_GRACE_SECONDS = 330


def load(path: str) -> list[dict]:
    try:
        docs = [d for d in yaml.safe_load_all(Path(path).read_text()) if d is not None]
    except (OSError, yaml.YAMLError) as error:
        sys.exit(f"k8s_output.py: FAIL: cannot read {path}: {error}")
    if not docs:
        sys.exit(f"k8s_output.py: FAIL: {path} has no documents")
    return docs


def group_of(doc: dict) -> str:
    api_version = str(doc.get("apiVersion", ""))
    return api_version.split("/", 1)[0] if "/" in api_version else ""


def find(docs: list[dict], kind: str, name: str) -> dict | None:
    return next(
        (d for d in docs if d.get("kind") == kind and (d.get("metadata") or {}).get("name") == name),
        None,
    )


def pod_spec(deployment: dict) -> dict:
    return ((deployment.get("spec") or {}).get("template") or {}).get("spec") or {}


def container(deployment: dict, name: str) -> dict | None:
    return next((c for c in pod_spec(deployment).get("containers") or [] if c.get("name") == name), None)


def all_containers(deployment: dict) -> list[dict]:
    spec = pod_spec(deployment)
    return list(spec.get("initContainers") or []) + list(spec.get("containers") or [])


def probe_path(c: dict, probe: str) -> str | None:
    return ((c.get(probe) or {}).get("httpGet") or {}).get("path")


def uses_database_secret(c: dict) -> bool:
    for env in c.get("env") or []:
        ref = (env.get("valueFrom") or {}).get("secretKeyRef") or {}
        if env.get("name") == "DARKROOM_DATABASE_URL" and ref.get("name") == "darkroom-database" and ref.get("key") == "url":
            return True
    return False


def mounts_images(deployment: dict, c: dict) -> bool:
    volumes = {v.get("name"): v for v in pod_spec(deployment).get("volumes") or []}
    for mount in c.get("volumeMounts") or []:
        volume = volumes.get(mount.get("name")) or {}
        claim = (volume.get("persistentVolumeClaim") or {}).get("claimName")
        if mount.get("mountPath") == "/data/images" and claim == "darkroom-images":
            return True
    return False


def runs_as_non_root(deployment: dict, c: dict) -> bool:
    pod_level = (pod_spec(deployment).get("securityContext") or {}).get("runAsNonRoot")
    container_level = (c.get("securityContext") or {}).get("runAsNonRoot")
    return container_level is True or (pod_level is True and container_level is not False)


def image_is_pinned(image: str) -> bool:
    if "@sha256:" in image:
        return True
    last = image.rsplit("/", 1)[-1]
    return ":" in last and not last.endswith(":latest")


def cmd_split(source: str, target: str) -> list[str]:
    docs = load(source)
    builtin = [d for d in docs if group_of(d) not in CRD_GROUPS]
    Path(target).write_text(yaml.safe_dump_all(builtin, sort_keys=False))
    print(f"k8s_output.py: {len(builtin)} built-in objects -> {target}, {len(docs) - len(builtin)} custom resources left to validate_crds.py")
    return []


def cmd_expect(source: str, variant: str) -> list[str]:
    docs = load(source)
    problems: list[str] = []

    for kind, name in EXPECTED:
        if find(docs, kind, name) is None:
            problems.append(f"missing {kind} {name}")
    for doc in docs:
        what = f"{doc.get('kind')}/{(doc.get('metadata') or {}).get('name')}"
        meta = doc.get("metadata") or {}
        if doc.get("kind") == "Secret":
            problems.append(f"{what}: Secrets must not be part of the build (create darkroom-database with kubectl)")
        if doc.get("kind") not in CLUSTER_SCOPED and meta.get("namespace") != NAMESPACE:
            problems.append(f"{what}: namespace is {meta.get('namespace')!r}, expected {NAMESPACE!r}")
        if (meta.get("labels") or {}).get(NAME_LABEL[0]) != NAME_LABEL[1]:
            problems.append(f"{what}: label {NAME_LABEL[0]}={NAME_LABEL[1]} missing")

    gateway = find(docs, "Deployment", "darkroom-gateway")
    if gateway:
        strategy = (gateway.get("spec") or {}).get("strategy") or {}
        if str((strategy.get("rollingUpdate") or {}).get("maxUnavailable")) != "0":
            problems.append("gateway Deployment: rollingUpdate.maxUnavailable must be 0")
        c = container(gateway, "gateway")
        if c is None:
            problems.append("gateway Deployment: no container named gateway")
        else:
            problems += [f"gateway container: {p}" for p in darkroom_cli.check_args(c.get("args") or [])]
            if (c.get("args") or [None])[0] != "gateway":
                problems.append("gateway container: args must start with the `gateway` subcommand")
            if probe_path(c, "readinessProbe") != "/readyz":
                problems.append("gateway container: readinessProbe must GET /readyz")
            if probe_path(c, "livenessProbe") != "/healthz":
                problems.append("gateway container: livenessProbe must GET /healthz")
            if not uses_database_secret(c):
                problems.append("gateway container: DARKROOM_DATABASE_URL must come from Secret darkroom-database key url")
            if not mounts_images(gateway, c):
                problems.append("gateway container: /data/images must be the darkroom-images PVC")
            if not runs_as_non_root(gateway, c):
                problems.append("gateway container: runAsNonRoot must be true")

    worker = find(docs, "Deployment", "darkroom-worker")
    if worker:
        spec = pod_spec(worker)
        if int(spec.get("terminationGracePeriodSeconds") or 30) < MIN_WORKER_GRACE_SECONDS:
            problems.append(f"worker Deployment: terminationGracePeriodSeconds must be >= {MIN_WORKER_GRACE_SECONDS}")
        if not any(((c.get("resources") or {}).get("limits") or {}).get("nvidia.com/gpu") for c in all_containers(worker)):
            problems.append("worker Deployment: no container has an nvidia.com/gpu limit")
        c = container(worker, "worker")
        if c is None:
            problems.append("worker Deployment: no container named worker")
        else:
            args = c.get("args") or []
            problems += [f"worker container: {p}" for p in darkroom_cli.check_args(args)]
            if (args or [None])[0] != "worker":
                problems.append("worker container: args must start with the `worker` subcommand")
            if darkroom_cli.flag_value(args, "--backend") != "a1111=http://127.0.0.1:7860":
                problems.append("worker container: --backend must be a1111=http://127.0.0.1:7860 (the sidecar)")
            if darkroom_cli.flag_value(args, "--metrics-host") != "0.0.0.0":
                problems.append("worker container: --metrics-host must be 0.0.0.0 (probes and Prometheus)")
            port = darkroom_cli.flag_value(args, "--metrics-port") or "9090"
            ports = {str(p.get("containerPort")) for p in c.get("ports") or []}
            if port not in ports:
                problems.append(f"worker container: metrics port {port} is not a containerPort")
            for probe, path in (("readinessProbe", "/readyz"), ("livenessProbe", "/healthz")):
                if probe_path(c, probe) != path:
                    problems.append(f"worker container: {probe} must GET {path}")
            if not uses_database_secret(c):
                problems.append("worker container: DARKROOM_DATABASE_URL must come from Secret darkroom-database key url")
            if not mounts_images(worker, c):
                problems.append("worker container: /data/images must be the darkroom-images PVC")
            if not runs_as_non_root(worker, c):
                problems.append("worker container: runAsNonRoot must be true")

    if variant in ("production", "spot"):
        for deployment in (gateway, worker):
            for c in all_containers(deployment or {}):
                image = str(c.get("image", ""))
                if not image_is_pinned(image):
                    problems.append(f"{variant}: container {c.get('name')} image {image!r} is not pinned to a tag or digest")

    if variant == "spot":
        if worker:
            tolerations = pod_spec(worker).get("tolerations") or []
            for key, value in SPOT_TOLERATIONS.items():
                if not any(t.get("key") == key and str(t.get("value")) == value and t.get("effect") == "NoSchedule" for t in tolerations):
                    problems.append(f"spot: worker lacks the toleration {key}={value}:NoSchedule")
            if not any(t.get("key") == "nvidia.com/gpu" for t in tolerations):
                problems.append("spot: worker lost the base's nvidia.com/gpu toleration")
            preferred = ((spec.get("affinity") or {}).get("nodeAffinity") or {}).get(
                "preferredDuringSchedulingIgnoredDuringExecution"
            )
            if not preferred:
                problems.append("spot: worker has no preferred node affinity for spot nodes")
        if gateway and any("spot" in str(t.get("key", "")) for t in pod_spec(gateway).get("tolerations") or []):
            problems.append("spot: gateways must stay on regular nodes")
    elif worker and any(
        t.get("key") in SPOT_TOLERATIONS for t in pod_spec(worker).get("tolerations") or []
    ):
        problems.append(f"{variant}: spot tolerations belong to the spot overlay only")

    if not problems:
        print(f"k8s_output.py: ok: {variant} has {len(EXPECTED)} expected objects and passes the worker/gateway checks")
    return problems


def cmd_promql(source: str, target: str) -> list[str]:
    docs = load(source)
    rules = []
    for doc in docs:
        if doc.get("kind") != "ScaledObject":
            continue
        name = re.sub(r"[^A-Za-z0-9_]", "_", (doc.get("metadata") or {}).get("name", "scaledobject"))
        for index, trigger in enumerate((doc.get("spec") or {}).get("triggers") or []):
            if trigger.get("type") != "prometheus":
                continue
            query = (trigger.get("metadata") or {}).get("query")
            label = re.sub(r"[^A-Za-z0-9_]", "_", str(trigger.get("name") or f"trigger_{index}"))
            rules.append({"record": f"keda:{name}:{label}", "expr": str(query)})
    if not rules:
        return [f"{source}: no prometheus trigger queries found"]
    Path(target).write_text(yaml.safe_dump({"groups": [{"name": "keda-trigger-queries", "rules": rules}]}, sort_keys=False))
    print(f"k8s_output.py: {len(rules)} Prometheus trigger queries -> {target}")
    return []


def main(argv: list[str]) -> int:
    commands = {"split": cmd_split, "expect": cmd_expect, "promql": cmd_promql}
    if len(argv) != 4 or argv[1] not in commands:
        print("usage: k8s_output.py split|expect|promql OUT.yaml ARG", file=sys.stderr)
        return 2
    problems = commands[argv[1]](argv[2], argv[3])
    for problem in problems:
        print(f"k8s_output.py: FAIL: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
