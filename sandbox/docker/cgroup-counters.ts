import { readFile } from 'node:fs/promises';
import type { LimitCounters } from '../runtime/sandbox-runtime.ts';

const ROOT = '/sys/fs/cgroup';

/**
 * Where the engine puts a container's cgroup on this host, per controller: cgroup v1 with
 * the cgroupfs or systemd driver, then v2 with either. Only a local engine's containers
 * are found; a remote engine's are not on this filesystem, and the counters are unknown.
 */
export function cgroupDirectories(id: string, controller: 'pids' | 'memory'): string[] {
  return [
    `${ROOT}/${controller}/docker/${id}`,
    `${ROOT}/${controller}/system.slice/docker-${id}.scope`,
    `${ROOT}/docker/${id}`,
    `${ROOT}/system.slice/docker-${id}.scope`,
  ];
}

/** "max 12" in pids.events (v1 and v2): forks the cgroup refused at its limit. */
export function parsePidsEvents(text: string): number | null {
  const match = /^max (\d+)$/m.exec(text);
  return match ? Number(match[1]) : null;
}

/** "oom_kill 1" in memory.events (v2) or memory.oom_control (v1, kernel ≥ 4.13). */
export function parseOomKills(text: string): number | null {
  const match = /^oom_kill (\d+)$/m.exec(text);
  return match ? Number(match[1]) : null;
}

async function firstReadable(paths: string[]): Promise<string | null> {
  for (const candidate of paths) {
    const text = await readFile(candidate, 'utf8').catch(() => null);
    if (text !== null) return text;
  }
  return null;
}

/**
 * The kernel's own counters for a running container, read from the host: the candidate
 * cannot forge them (a log line saying "EAGAIN" could be). Null once the cgroup is gone
 * (the container exited) or when the engine is not on this host.
 */
export async function readCgroupCounters(id: string): Promise<LimitCounters | null> {
  const [pids, memory] = await Promise.all([
    firstReadable(cgroupDirectories(id, 'pids').map((dir) => `${dir}/pids.events`)),
    firstReadable(cgroupDirectories(id, 'memory').flatMap((dir) => [`${dir}/memory.events`, `${dir}/memory.oom_control`])),
  ]);
  if (pids === null && memory === null) return null;
  return {
    pidsRefused: pids === null ? null : parsePidsEvents(pids),
    oomKills: memory === null ? null : parseOomKills(memory),
  };
}
