import { homedir } from 'node:os';
import path from 'node:path';

/** Per-machine cache (baselines, calibration, the base root filesystem): GRADER_CACHE_DIR, else XDG, else ~/.cache. */
export function cacheDir(...parts: string[]): string {
  const root = process.env.GRADER_CACHE_DIR ?? path.join(process.env.XDG_CACHE_HOME ?? path.join(homedir(), '.cache'), 'takehome-grader');
  return path.join(root, ...parts);
}
