#!/usr/bin/env bash
# Makes a machine ready to grade: a Docker engine that answers, npm dependencies, and the
# runtime image (pulled, or built offline when no registry is reachable). Idempotent: a
# second run takes a few seconds.
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

# 3. npm dependencies of the harness.
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  log "npm ci"
  npm ci --no-audit --no-fund --loglevel=error
fi

# 4. The runtime image: present, pulled, or built offline (cached by `grader image build`).
image=node:20-bookworm-slim
if docker image inspect "$image" >/dev/null 2>&1 || docker image inspect "takehome-grader/$image" >/dev/null 2>&1; then
  log "image ready"
elif timeout 120 docker pull -q "$image" >/dev/null 2>&1; then
  log "pulled $image"
else
  log "no registry reachable: building takehome-grader/$image offline (about a minute)"
  command -v debootstrap >/dev/null 2>&1 || apt_install debootstrap
  npx grader image build
fi
npx grader doctor >&2
