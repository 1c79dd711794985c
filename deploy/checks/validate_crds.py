#!/usr/bin/env python3
"""Validate the custom resources (KEDA) in a kustomize build against vendored JSON Schemas.

    python3 deploy/checks/validate_crds.py OUT.yaml deploy/kubernetes/schemas/

kubernetes-validate knows only built-in kinds, so deploy/checks/deploy.sh hands it everything else and
sends the custom resources here. For every document whose API group is a known CRD group (keda.sh), the
schema file <kind>-<group's first label>-<version>.json must exist in the schema directory, e.g.
scaledobject-keda-v1alpha1.json for keda.sh/v1alpha1 ScaledObject, and the document must validate
against it (JSON Schema draft 7, via the `jsonschema` package). A custom resource without a schema is an
error, never skipped.

On top of the schema, a ScaledObject is checked against the rest of the build, where a schema cannot look:
  - minReplicaCount <= maxReplicaCount, idleReplicaCount < minReplicaCount, trigger names unique;
  - scaleTargetRef names a Deployment/StatefulSet of the same build, in the same namespace;
  - no HorizontalPodAutoscaler of the build targets that workload (KEDA owns keda-hpa-<name>);
  - every *FromEnv trigger parameter names an env var of the container KEDA reads
    (scaleTargetRef.envSourceContainerName, default the first container).

Exit status 0 when everything validates, 1 otherwise (all problems are listed), 2 on usage errors.
Needs PyYAML and jsonschema: pip install pyyaml jsonschema
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

try:
    import yaml
except ImportError:
    sys.exit("validate_crds.py: FAIL: PyYAML is not installed; run `pip install pyyaml`")
try:
    import jsonschema
except ImportError:
    sys.exit("validate_crds.py: FAIL: the jsonschema package is not installed; run `pip install jsonschema`")

# API groups whose kinds are custom resources: their documents must have a vendored schema.
CRD_GROUPS = {"keda.sh"}


def split_api_version(api_version: str) -> tuple[str, str]:
    """("keda.sh", "v1alpha1") for "keda.sh/v1alpha1"; ("", "v1") for the core group."""
    if "/" in api_version:
        group, version = api_version.split("/", 1)
        return group, version
    return "", api_version


def schema_name(kind: str, group: str, version: str) -> str:
    return f"{kind.lower()}-{group.split('.')[0]}-{version}.json"


def describe(doc: dict) -> str:
    meta = doc.get("metadata") or {}
    return f"{doc.get('kind')}/{meta.get('name', '?')}"


def error_path(error: jsonschema.ValidationError) -> str:
    return "/".join(str(part) for part in error.absolute_path) or "(document)"


def explain(error: jsonschema.ValidationError) -> str:
    """The validator's message, or the schema's own description where the message would be cryptic."""
    description = error.schema.get("description") if isinstance(error.schema, dict) else None
    if error.validator in ("not", "anyOf", "oneOf") and description:
        return description if isinstance(error.instance, (dict, list)) else f"{error.instance!r}: {description}"
    return error.message


def check_scaled_object(doc: dict, docs: list[dict]) -> list[str]:
    """Semantic checks a JSON Schema cannot express (cross-field and cross-document)."""
    problems: list[str] = []
    spec = doc.get("spec") or {}
    namespace = (doc.get("metadata") or {}).get("namespace")

    minimum = spec.get("minReplicaCount", 0)
    maximum = spec.get("maxReplicaCount", 100)
    if minimum > maximum:
        problems.append(f"minReplicaCount {minimum} is above maxReplicaCount {maximum}")
    if "idleReplicaCount" in spec and not spec["idleReplicaCount"] < minimum:
        problems.append("idleReplicaCount must be lower than minReplicaCount")
    fallback = spec.get("fallback")
    if fallback and not minimum <= fallback.get("replicas", 0) <= maximum:
        problems.append(f"fallback.replicas {fallback.get('replicas')} is outside {minimum}..{maximum}")

    triggers = spec.get("triggers") or []
    names = [t.get("name") for t in triggers if t.get("name")]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        problems.append(f"trigger names are not unique: {', '.join(duplicates)}")

    ref = spec.get("scaleTargetRef") or {}
    target_kind = ref.get("kind", "Deployment")
    target_name = ref.get("name")
    targets = [
        d
        for d in docs
        if d.get("kind") == target_kind
        and (d.get("metadata") or {}).get("name") == target_name
        and (d.get("metadata") or {}).get("namespace") == namespace
    ]
    if not targets:
        problems.append(f"scaleTargetRef {target_kind}/{target_name} is not in this build (namespace {namespace})")
        return problems
    target = targets[0]

    for hpa in (d for d in docs if d.get("kind") == "HorizontalPodAutoscaler"):
        hpa_ref = (hpa.get("spec") or {}).get("scaleTargetRef") or {}
        if (
            hpa_ref.get("kind") == target_kind
            and hpa_ref.get("name") == target_name
            and (hpa.get("metadata") or {}).get("namespace") == namespace
        ):
            problems.append(
                f"{describe(hpa)} also targets {target_kind}/{target_name}: KEDA's own HPA must be the only one"
            )

    containers = (((target.get("spec") or {}).get("template") or {}).get("spec") or {}).get("containers") or []
    source_name = ref.get("envSourceContainerName")
    if source_name:
        source = next((c for c in containers if c.get("name") == source_name), None)
        if source is None:
            problems.append(f"envSourceContainerName {source_name!r} is not a container of {target_kind}/{target_name}")
            return problems
    elif containers:
        source = containers[0]
    else:
        problems.append(f"{target_kind}/{target_name} has no containers")
        return problems
    env_names = {e.get("name") for e in source.get("env") or []}
    for index, trigger in enumerate(triggers):
        for key, value in (trigger.get("metadata") or {}).items():
            if key.endswith("FromEnv") and value not in env_names:
                problems.append(
                    f"triggers/{index} ({trigger.get('type')}): {key} names {value!r}, which container "
                    f"{source.get('name')!r} of {target_kind}/{target_name} does not define"
                )
    return problems


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        print("usage: validate_crds.py MANIFESTS.yaml SCHEMA_DIR", file=sys.stderr)
        return 2
    manifest_path, schema_dir = Path(argv[1]), Path(argv[2])
    if not schema_dir.is_dir():
        print(f"validate_crds.py: FAIL: schema directory {schema_dir} does not exist", file=sys.stderr)
        return 1
    try:
        docs = [d for d in yaml.safe_load_all(manifest_path.read_text()) if d is not None]
    except (OSError, yaml.YAMLError) as error:
        print(f"validate_crds.py: FAIL: cannot read {manifest_path}: {error}", file=sys.stderr)
        return 1

    failures: list[str] = []
    validated: list[str] = []
    schemas: dict[Path, dict] = {}
    for doc in docs:
        if not isinstance(doc, dict):
            failures.append(f"{manifest_path}: a document is not a mapping")
            continue
        group, version = split_api_version(str(doc.get("apiVersion", "")))
        if group not in CRD_GROUPS:
            continue
        path = schema_dir / schema_name(str(doc.get("kind", "")), group, version)
        if not path.is_file():
            failures.append(f"{describe(doc)} ({doc.get('apiVersion')}): no schema {path}")
            continue
        if path not in schemas:
            try:
                schemas[path] = json.loads(path.read_text())
                jsonschema.Draft7Validator.check_schema(schemas[path])
            except (OSError, json.JSONDecodeError, jsonschema.SchemaError) as error:
                failures.append(f"{path}: not a valid draft 7 schema: {error}")
                continue
        validator = jsonschema.Draft7Validator(schemas[path])
        errors = sorted(validator.iter_errors(doc), key=lambda e: [str(p) for p in e.absolute_path])
        messages: list[str] = []
        for error in errors:
            message = f"{describe(doc)}: {error_path(error)}: {explain(error)}"
            if message not in messages:  # the same value can break two rules with the same message
                messages.append(message)
        failures.extend(messages)
        if not errors and doc.get("kind") == "ScaledObject":
            failures.extend(f"{describe(doc)}: {p}" for p in check_scaled_object(doc, docs))
        if not errors:
            validated.append(f"{describe(doc)} against {path.name}")

    for failure in failures:
        print(f"validate_crds.py: FAIL: {failure}", file=sys.stderr)
    if failures:
        return 1
    if not validated:
        # A build without any custom resource means this check tested nothing: say so loudly.
        print(f"validate_crds.py: FAIL: {manifest_path} contains no custom resource to validate", file=sys.stderr)
        return 1
    for line in validated:
        print(f"validate_crds.py: ok: {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
