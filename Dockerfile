# syntax=docker/dockerfile:1
#
# Herald's container image: every binary (herald, herald-gateway, herald-scheduler, herald-sandbox)
# and the web app, on Debian 12 packages. One image, several entry points: k8s/ runs each
# Deployment from it with its own command (k8s/README.md).
#
#   docker build -t herald:0.1.0 .
#   docker run --rm -e HERALD_PG_URL=... -e HERALD_REDIS_URL=... \
#     -e HERALD_SECURITY_MASTER_KEY_FILE=/run/secrets/master.key -v $PWD/master.key:/run/secrets/master.key:ro \
#     -p 8080:8080 herald:0.1.0                  # herald (all modules); or: herald migrate, herald-scheduler
#
# NOT BUILT YET: the machine this file was written on has no Docker daemon and no registry, so this
# image has never been built or run. What was checked instead: the package list comes from
# scripts/lib/deps.sh (the one scripts/start and scripts/test install from); the runtime packages
# are the owners of the shared libraries the -O2 build's binaries link (readelf -d NEEDED of
# build/bin/herald and herald-sandbox, build-ci/bin/herald-gateway and herald-scheduler, mapped
# with dpkg -S) and exist in bookworm (apt-cache policy); every path copied below is one the build
# produces (CMakePresets.json preset "default": binaryDir build/, CMAKE_RUNTIME_OUTPUT_DIRECTORY
# build/bin; vite.config.ts: outDir dist).
#
# amd64 only: Debian's Hyperscan (libhyperscan5, the listening matcher) is built for x86-64.

# --- 1. The server: Debian 12 toolchain and -dev packages, preset "default" (-O2 -g) -------------
FROM debian:12 AS build
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
WORKDIR /src
# The project's own package list (HERALD_BASE_PACKAGES), without the two servers it also lists
# (postgresql-15, redis-server: the tests' and scripts/start's, not the build's).
COPY scripts/ scripts/
RUN source scripts/lib/deps.sh \
 && packages=() \
 && for p in "${HERALD_BASE_PACKAGES[@]}"; do \
      case "$p" in postgresql-*|redis-server) ;; *) packages+=("$p") ;; esac; \
    done \
 && apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${packages[@]}" \
 && rm -rf /var/lib/apt/lists/*
# Everything CMakeLists.txt adds (tests/ and bench/ are configured even when only the servers are
# built: their CMakeLists.txt and sources must be there).
COPY CMakeLists.txt CMakePresets.json ./
COPY cmake/ cmake/
COPY services/ services/
COPY scheduler/ scheduler/
COPY adapters/ adapters/
COPY tests/ tests/
COPY bench/ bench/
# Only the four executables (as scripts/start builds only what it runs); ccache (the preset's
# compiler launcher) keeps its cache between image builds. The debug info is stripped from the
# copies that go into the image (the code is the same -O2 code the benchmarks measure).
RUN --mount=type=cache,target=/root/.cache/ccache \
    cmake --preset default \
 && cmake --build --preset default --target herald herald-gateway herald-scheduler herald-sandbox \
 && mkdir -p /out \
 && for b in herald herald-gateway herald-scheduler herald-sandbox; do \
      objcopy --strip-debug "build/bin/$b" "/out/$b"; \
    done

# --- 2. The web app (web/ -> web/dist) ---------------------------------------------------------------
# The official Node image on Debian 12: Vite 8 needs Node ^20.19 or >= 22.12, Debian 12's nodejs is
# 18. The same steps as scripts/lib/web.sh (npm ci from the lock file, no install scripts; npm run
# build = tsc --noEmit && vite build).
FROM node:22-bookworm-slim AS web
WORKDIR /src/web
COPY web/package.json web/package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
COPY web/ ./
RUN npm run --silent build && test -f dist/index.html

# --- 3. Runtime: debian:12-slim with the shared libraries the binaries link, nothing else ------------
FROM debian:12-slim AS runtime
# libstdc++6 is already in the slim image; libopencc1.1 brings libopencc-data (t2s.json, read by the
# listening matcher), libpqxx-6.4 brings libpq5, libspdlog1.10 brings libfmt9. tzdata: date-tz reads
# /usr/share/zoneinfo (posts keep their IANA zone); ca-certificates: TLS to the platforms.
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      libargon2-1 libcpp-httplib0.11 libdate-tz3 libhiredis0.14 libhyperscan5 libopencc1.1 \
      libpqxx-6.4 libqrencode4 libspdlog1.10 libssl3 libstdc++6 tzdata ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 herald \
 && useradd --system --uid 10001 --gid herald --no-create-home --home-dir /nonexistent \
      --shell /usr/sbin/nologin herald
COPY --from=build /out/herald /out/herald-gateway /out/herald-scheduler /out/herald-sandbox /usr/local/bin/
COPY --from=web /src/web/dist/ /usr/share/herald/web/
# Configuration defaults for a container (HERALD_<SECTION>_<KEY>, README "Configuration"): listen on
# every interface, serve the web app. PostgreSQL, Redis and the master key come from the deployment.
ENV HERALD_HTTP_LISTEN_ADDRESS=0.0.0.0 \
    HERALD_HTTP_PORT=8080 \
    HERALD_WEB_ROOT=/usr/share/herald/web
USER 10001:10001
EXPOSE 8080
# herald handles SIGTERM itself (drains within HERALD_HTTP_DRAIN_TIMEOUT_MS), also as PID 1.
CMD ["herald"]
