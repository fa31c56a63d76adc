#!/usr/bin/env bash
# A second Docker engine on this machine, for trying an engine pool without a second host:
# a dockerd in a network namespace of its own (its own bridge, iptables and containers),
# reached at unix:///run/tg-eng2/docker.sock, with its own data root so it starts with no
# images (a pool loads them from the host's engine when a grading first needs them).
# Its containers reach the outside the way the host's do, through a veth pair and NAT.
#
#   scripts/second-engine.sh start   # idempotent; prints the DOCKER_HOST value
#   scripts/second-engine.sh stop    # stops it, removes its containers and the namespace
#   scripts/second-engine.sh purge   # stop, and delete its data root (its images)
#
# Needs root, iproute2, iptables and docker.io (scripts/setup.sh installs the engine).
set -euo pipefail

NS=tg-eng2
RUN=/run/$NS
DATA=/var/lib/$NS
SOCK=$RUN/docker.sock
LOG=/var/log/takehome-grader-$NS.log
HOST_IF=tg2h
NS_IF=tg2n
SUBNET=10.231.0.0/30
HOST_ADDR=10.231.0.1
NS_ADDR=10.231.0.2
# Its default bridge must not collide with the host engine's 172.17.0.0/16.
BIP=172.31.0.1/24

say() { echo "second-engine: $*" >&2; }
forward_chain() { if iptables -nL DOCKER-USER >/dev/null 2>&1; then echo DOCKER-USER; else echo FORWARD; fi; }
running_pid() { [ -f "$RUN/docker.pid" ] && kill -0 "$(cat "$RUN/docker.pid")" 2>/dev/null && cat "$RUN/docker.pid"; }
answers() { DOCKER_HOST=unix://$SOCK docker version --format '{{.Server.Version}}' >/dev/null 2>&1; }

network_up() {
  ip netns list | grep -qw "$NS" || ip netns add "$NS"
  if ! ip link show "$HOST_IF" >/dev/null 2>&1; then
    ip link add "$HOST_IF" type veth peer name "$NS_IF"
    ip link set "$NS_IF" netns "$NS"
    ip addr add "$HOST_ADDR/30" dev "$HOST_IF"
    ip link set "$HOST_IF" up
    ip netns exec "$NS" ip addr add "$NS_ADDR/30" dev "$NS_IF"
    ip netns exec "$NS" ip link set "$NS_IF" up
    ip netns exec "$NS" ip link set lo up
    ip netns exec "$NS" ip route add default via "$HOST_ADDR"
  fi
  sysctl -qw net.ipv4.ip_forward=1
  iptables -t nat -C POSTROUTING -s "$SUBNET" ! -o "$HOST_IF" -j MASQUERADE 2>/dev/null ||
    iptables -t nat -A POSTROUTING -s "$SUBNET" ! -o "$HOST_IF" -j MASQUERADE
  # The host engine's FORWARD policy is DROP; DOCKER-USER is the chain it leaves to us.
  # Only to the uplink: the second engine's containers must not reach the host engine's
  # bridge networks (the candidates' containers there).
  local chain uplink
  chain=$(forward_chain)
  uplink=$(ip route show default | awk '{print $5; exit}')
  [ -n "$uplink" ] || { say "no default route: the second engine's installs could not reach the registries"; exit 1; }
  iptables -C "$chain" -i "$HOST_IF" -o "$uplink" -j ACCEPT 2>/dev/null || iptables -I "$chain" -i "$HOST_IF" -o "$uplink" -j ACCEPT
  iptables -C "$chain" -o "$HOST_IF" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT 2>/dev/null ||
    iptables -I "$chain" -o "$HOST_IF" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
}

start() {
  if answers; then echo "unix://$SOCK"; return 0; fi
  command -v dockerd >/dev/null || { say "dockerd is not installed (run scripts/setup.sh)"; exit 1; }
  network_up
  mkdir -p "$RUN" "$DATA"
  # A dockerd that is still starting keeps its pidfile: wait for it rather than start another.
  if ! running_pid >/dev/null; then
    rm -f "$SOCK" "$RUN/docker.pid"
    # Its own config file (the host's /etc/docker/daemon.json may set hosts, bip or a data
    # root that clash with these flags) and its own containerd namespaces, in case a
    # system containerd is shared with the host engine.
    echo '{}' >"$RUN/daemon.json"
    # nsenter, not `ip netns exec`: that remounts /sys, and dockerd would find no cgroups.
    # The default cgroup parent (/docker) is kept so the harness reads its containers'
    # kernel counters where it reads the host engine's.
    nohup setsid nsenter --net=/run/netns/$NS dockerd \
      --config-file "$RUN/daemon.json" --data-root "$DATA" --exec-root "$RUN/exec" --pidfile "$RUN/docker.pid" \
      --containerd-namespace "$NS" --containerd-plugins-namespace "$NS-plugins" \
      -H "unix://$SOCK" --bip "$BIP" >"$LOG" 2>&1 &
  fi
  for _ in $(seq 1 60); do
    if answers; then echo "unix://$SOCK"; return 0; fi
    sleep 1
  done
  say "dockerd did not answer within 60 s; see $LOG"
  tail -5 "$LOG" >&2 || true
  exit 1
}

stop() {
  if answers; then
    local ids
    ids=$(DOCKER_HOST=unix://$SOCK docker ps -aq || true)
    [ -z "$ids" ] || DOCKER_HOST=unix://$SOCK docker rm -f $ids >/dev/null 2>&1 || true
  fi
  local pid
  if pid=$(running_pid); then
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
    if kill -0 "$pid" 2>/dev/null; then
      say "dockerd $pid did not stop within 30 s; killing it"
      kill -9 "$pid" 2>/dev/null || true
      sleep 1
    fi
    # Never remove the namespace or the data root under a live daemon.
    if kill -0 "$pid" 2>/dev/null; then say "dockerd $pid is still running; not removing its namespace"; exit 1; fi
  fi
  ip link del "$HOST_IF" 2>/dev/null || true
  ip netns del "$NS" 2>/dev/null || true
  # From both chains: which one start used depends on whether the host engine ran then.
  local chain uplink
  uplink=$(ip route show default | awk '{print $5; exit}')
  for chain in DOCKER-USER FORWARD; do
    iptables -D "$chain" -i "$HOST_IF" -o "$uplink" -j ACCEPT 2>/dev/null || true
    iptables -D "$chain" -o "$HOST_IF" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT 2>/dev/null || true
  done
  iptables -t nat -D POSTROUTING -s "$SUBNET" ! -o "$HOST_IF" -j MASQUERADE 2>/dev/null || true
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  purge) stop; rm -rf "$DATA" ;;
  *) echo "usage: $0 start|stop|purge" >&2; exit 2 ;;
esac
