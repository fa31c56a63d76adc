#!/usr/bin/env bash
# Makes a machine ready to grade: a Docker engine that answers, npm dependencies, and the
# images: the runtime image (pulled, or built offline when no registry is reachable) and
# the harness's own helper image. Idempotent: a second run takes a few seconds.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf 'setup: %s\n' "$*" >&2; }
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

engine_answers() { command -v docker >/dev/null 2>&1 && timeout 10 docker version >/dev/null 2>&1; }

apt_updated=0
apt_install() {
  if [ "$apt_updated" -eq 0 ]; then as_root apt-get update -qq; apt_updated=1; fi
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "$@" >/dev/null
}

# 1. A Docker engine (honours DOCKER_HOST when one is set and answers).
if engine_answers; then
  log "Docker engine answers ($(docker version --format '{{.Server.Version}}'))"
else
  if ! command -v dockerd >/dev/null 2>&1; then
    log "installing docker.io (no engine on this machine)"
    apt_install docker.io
  fi
  log "starting dockerd in the background (log: /var/log/takehome-grader-dockerd.log)"
  as_root sh -c 'nohup setsid dockerd >/var/log/takehome-grader-dockerd.log 2>&1 &'
  for _ in $(seq 1 60); do engine_answers && break; sleep 1; done
  engine_answers || { log "dockerd did not answer within 60 s; see /var/log/takehome-grader-dockerd.log"; exit 1; }
  log "Docker engine answers ($(docker version --format '{{.Server.Version}}'))"
fi

# 2. Debian's Chromium, which the test suite drives to check report.html (not needed to grade).
if ! command -v chromium >/dev/null 2>&1; then
  log "installing chromium (for the HTML report's browser test)"
  apt_install chromium
fi

# 2b. Debian's redis-server: the queue (`grader queue`, `grader worker`) keeps its jobs
#     there, and the queue's integration test starts one of its own.
if ! command -v redis-server >/dev/null 2>&1; then
  log "installing redis-server (for the job queue and its integration test)"
  apt_install redis-server
fi

# 2c. What scripts/second-engine.sh needs to start a second dockerd in a network namespace
#     (the two-engine pool test): ip, iptables (docker.io's dependency) and nsenter.
if ! command -v ip >/dev/null 2>&1 || ! command -v nsenter >/dev/null 2>&1; then
  log "installing iproute2 and util-linux (for the second engine of the pool test)"
  apt_install iproute2 util-linux
fi

# 3. npm dependencies of the harness.
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  log "npm ci"
  npm ci --no-audit --no-fund --loglevel=error
fi

# 4. Debian's static busybox: the integration tests build an image from it that has no node.
if [ ! -x /bin/busybox ]; then
  log "installing busybox-static (for the no-node image of the integration tests)"
  apt_install busybox-static
fi

# 5. Images. The runtime image is pulled when a registry answers; `grader image build`
#    then builds its offline stand-in only if it is still missing, and always makes sure of
#    the harness's own helper image (it runs the prober). `--all` adds the stand-ins of
#    every toolchain (python:3.12-slim, golang:1.23-bookworm + debian:bookworm-slim,
#    maven:3-eclipse-temurin-21 + eclipse-temurin:21-jre) and the pytest prober image,
#    which test/integration/languages.test.ts grades in. Each is cached by a hash of its
#    recipe: a second run takes seconds. Cold (debootstrap included) on 2 cores: about
#    6 minutes in all; the Go stand-in copies this machine's Go, so Go must be on PATH.
image=node:20-bookworm-slim
if ! docker image inspect "$image" >/dev/null 2>&1 && ! docker image inspect "takehome-grader/$image" >/dev/null 2>&1; then
  if timeout 120 docker pull -q "$image" >/dev/null 2>&1; then log "pulled $image"; else log "no registry reachable: $image will be built offline"; fi
fi
command -v debootstrap >/dev/null 2>&1 || apt_install debootstrap
command -v go >/dev/null 2>&1 || { log "go is not on PATH: the Go stand-in copies this machine's Go toolchain"; exit 1; }
log "grader image build --all (cold: debootstrap, Debian packages and the host's toolchains, about 6 minutes)"
start=$(date +%s)
npx grader image build --all >&2
log "images ready in $(( $(date +%s) - start )) s"
npx grader doctor >&2
