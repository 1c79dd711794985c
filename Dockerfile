# syntax=docker/dockerfile:1
#
# Darkroom: one image for every role. The command picks it:
#   docker run IMAGE                         -> `darkroom serve` (embedded, SQLite under /data)
#   docker run IMAGE gateway --host 0.0.0.0  -> stateless API gateway (PostgreSQL)
#   docker run IMAGE worker ...              -> GPU worker (PostgreSQL)
#   docker run IMAGE migrate                 -> apply the schema and exit
# See deploy/compose.yaml and deploy/kubernetes/ for how the roles are wired together.

# ---------------------------------------------------------------------------------------------------
# Build stage: the Swift toolchain image. Debian bookworm so that the runtime stage's system libraries
# (libsqlite3, zlib, libstdc++) are the very versions the binary was linked against.
# ---------------------------------------------------------------------------------------------------
FROM swift:6.3-bookworm AS build

SHELL ["/bin/bash", "-o", "pipefail", "-c"]

# GRDB links the system SQLite; CompressNIO links zlib.
# The Swift base image's tag pins the Debian release; pinning exact Debian package versions as well would
# break the build each time Debian's security archive replaces a version, hence the DL3008 exception.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends libsqlite3-dev zlib1g-dev \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /src

# Dependencies first: this layer is rebuilt only when the manifest or the lock file changes, not on
# every source edit. Package.resolved is optional (the glob matches nothing when it is absent); when it
# is there, the build uses exactly the versions it records.
COPY Package.swift Package.resolve[d] ./
RUN if [ -f Package.resolved ]; then \
        swift package resolve --force-resolved-versions; \
    else \
        swift package resolve; \
    fi

# Then the sources. Tests/ is copied too because Package.swift declares the test targets and SwiftPM
# refuses a manifest whose target directories are missing; the tests themselves are not built.
COPY Sources ./Sources
COPY Tests ./Tests

# --static-swift-stdlib: the runtime image needs no Swift runtime, only the C libraries below.
# SwiftPM puts resource bundles (*.resources: the SQL migrations, the OpenAPI document, GRDB's
# privacy manifest) next to the executable and Bundle.module looks for them there, so they are staged
# together with it. The binary is not stripped, and the toolchain's static swift-backtrace goes along,
# so that a crash logs a symbolicated backtrace (SWIFT_BACKTRACE below).
RUN swift build -c release --product darkroom --static-swift-stdlib \
    && bin_path="$(swift build -c release --show-bin-path)" \
    && toolchain="$(dirname "$(readlink -f "$(command -v swift)")")/.." \
    && install -d /staging/bin \
    && install -m 0755 "$bin_path/darkroom" /staging/bin/darkroom \
    && install -m 0755 "$toolchain/libexec/swift/linux/swift-backtrace-static" /staging/bin/swift-backtrace-static \
    && find -L "$bin_path" -maxdepth 1 -name '*.resources' -exec cp -R {} /staging/bin/ \;

# ---------------------------------------------------------------------------------------------------
# Runtime stage: Debian slim with only what the binary loads at run time.
# ---------------------------------------------------------------------------------------------------
FROM debian:bookworm-slim AS runtime

# libsqlite3-0 (GRDB, embedded mode), zlib1g (CompressNIO), ca-certificates (TLS to PostgreSQL or to
# remote inference servers), tzdata (log timestamps in the configured zone). libstdc++6 and libgcc-s1
# are already part of bookworm-slim (apt itself needs them). Same DL3008 reasoning as above.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends libsqlite3-0 zlib1g ca-certificates tzdata \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 10001 darkroom \
    && useradd --system --uid 10001 --gid darkroom --home-dir /data --no-create-home \
        --shell /usr/sbin/nologin darkroom \
    && install -d -o 10001 -g 10001 -m 0750 /data /data/images

COPY --from=build /staging/bin/ /opt/darkroom/bin/
ENV PATH="/opt/darkroom/bin:${PATH}" \
    SWIFT_BACKTRACE="enable=yes,sanitize=yes,threads=all,images=all,interactive=no,swift-backtrace=/opt/darkroom/bin/swift-backtrace-static"

# Numeric user, so that Kubernetes' runAsNonRoot can verify it without a passwd lookup.
USER 10001:10001
WORKDIR /data
# Embedded mode keeps its SQLite database and images here; in cluster mode /data/images is the shared
# image volume (gateways read it, workers write it).
VOLUME ["/data"]

# 8080: the API (`serve`, `gateway`). 9090: a worker's /healthz, /readyz and /metrics.
EXPOSE 8080 9090

# No curl or wget in the image: bash's /dev/tcp sends `GET /healthz` and checks for a 200 status line.
# It tries 8080 (serve, gateway) and then 9090 (worker), so the same check fits every role; set
# DARKROOM_HEALTH_PORTS to check other ports. Kubernetes ignores HEALTHCHECK and uses its own probes.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["/bin/bash", "-c", "for port in ${DARKROOM_HEALTH_PORTS:-8080 9090}; do { exec 3<>/dev/tcp/127.0.0.1/$port; } 2>/dev/null || continue; printf 'GET /healthz HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n' >&3; IFS= read -r -t 4 line <&3; case $line in *' 200 '*) exit 0;; esac; done; exit 1"]

ENTRYPOINT ["darkroom"]
CMD ["serve", "--host", "0.0.0.0", "--data-dir", "/data"]
