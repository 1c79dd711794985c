"""The `darkroom` command line as the deployment files may use it: subcommands and their flags.

Shared by compose_structure.py and k8s_output.py so that a typo in a flag (say `--metric-port`) fails the
offline checks instead of crash-looping a container. Written from the commands' definitions in
Sources/darkroom/Cluster/*.swift, Sources/darkroom/Serve/ServeCommand.swift and the option groups in
Sources/darkroom/Support/*Options.swift (`darkroom <command> --help` prints the same list); update it
with them.
"""

from __future__ import annotations

# --database-url (DatabaseOptions); DARKROOM_DATABASE_URL can replace it.
_DATABASE = {"--database-url"}
# SimulationOptions.
_SIMULATION = {"--sim-gpus", "--sim-seconds", "--sim-failure-rate", "--sim-switch-seconds"}
# BackendOptions.
_BACKENDS = {
    "--backend",
    "--backend-slots",
    "--models",
    "--comfyui-workflow",
    "--breaker-max-fails",
    "--breaker-fail-timeout",
    "--affinity-window",
}
_LOG = {"--log-level"}
# AutoscalingOptions (gateway and serve): the latency target behind darkroom_desired_workers.
_AUTOSCALING = {"--latency-target"}
# WebhookOptions (gateway and serve; workers never deliver webhooks). DARKROOM_WEBHOOK_SECRET can replace
# --webhook-secret.
_WEBHOOKS = {"--webhook-secret", "--allow-private-webhooks", "--webhook-retry-seconds"}

FLAGS: dict[str, set[str]] = {
    "migrate": _DATABASE | _LOG,
    "gateway": _DATABASE | _AUTOSCALING | _WEBHOOKS | _LOG | {"--host", "--port", "--image-dir", "--auth", "--metrics-auth"},
    "worker": _DATABASE
    | _SIMULATION
    | _BACKENDS
    | _LOG
    | {
        "--image-dir",
        "--name",
        "--metrics-host",
        "--metrics-port",
        "--job-timeout",
        "--lease-seconds",
        "--rescue-interval",
        "--drain-seconds",
        "--retention-days",
    },
    "serve": _SIMULATION
    | _BACKENDS
    | _AUTOSCALING
    | _WEBHOOKS
    | _LOG
    | {"--host", "--port", "--data-dir", "--job-timeout", "--retention-days"},
}

# Boolean switches (ArgumentParser @Flag): present or absent, never followed by a value.
SWITCHES = {"--allow-private-webhooks"}
# Every other flag above takes a value.
TAKES_VALUE = set().union(*FLAGS.values()) - SWITCHES


def check_args(args: list[str]) -> list[str]:
    """Problems with a darkroom argument vector (the container's command/args, without the binary)."""
    if not args:
        return ["no subcommand (the image's default is `serve`; name the role explicitly)"]
    command, rest = str(args[0]), [str(a) for a in args[1:]]
    if command not in FLAGS:
        return [f"unknown subcommand {command!r} (known: {', '.join(sorted(FLAGS))})"]
    problems = []
    index = 0
    while index < len(rest):
        arg = rest[index]
        flag, has_inline_value = (arg.split("=", 1)[0], True) if arg.startswith("--") and "=" in arg else (arg, False)
        if not flag.startswith("--"):
            problems.append(f"{command}: unexpected argument {arg!r} (darkroom {command} takes only --flags)")
        elif flag not in FLAGS[command]:
            problems.append(f"{command}: unknown flag {flag!r}")
            if not has_inline_value and index + 1 < len(rest) and not rest[index + 1].startswith("--"):
                index += 1  # skip its value, so that it is not reported as a stray argument too
        elif flag in SWITCHES:
            if has_inline_value:
                problems.append(f"{command}: {flag} is a switch and takes no value")
        elif not has_inline_value:
            if index + 1 >= len(rest) or rest[index + 1].startswith("--"):
                problems.append(f"{command}: {flag} needs a value")
            index += 1
        index += 1
    return problems


def flag_value(args: list[str], flag: str) -> str | None:
    """The (last) value given for `flag`, or None."""
    value = None
    args = [str(a) for a in args]
    for index, arg in enumerate(args):
        if arg == flag and index + 1 < len(args):
            value = args[index + 1]
        elif arg.startswith(flag + "="):
            value = arg.split("=", 1)[1]
    return value
