import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { TOOLCHAINS } from '../../sandbox/toolchains/toolchains.ts';
import { safeGit } from '../source/resolve-source.ts';
import type { RepoSignals } from '../../core/report.ts';

const README = /^readme(\.(md|markdown|txt|rst))?$/i;
/** A command line that installs or runs the project, in any of the toolchains' tools. */
const SETUP_COMMAND = /\b(?:npm|pnpm|yarn|npx|pip|pipenv|poetry|uv|python3?|uvicorn|go|mvn|\.\/mvnw|gradle|\.\/gradlew|java|docker(?:-| )compose)\s+(?:ci|install|start|run|build|sync|package|up|-m|-jar|test)\b/;

/**
 * Signals read from the submission's files and history, without running anything of the
 * candidate's on the host: the README's sections, config files present, and the commit
 * timeline (git with hooks and fsmonitor off; a shallow clone shows only its last commit).
 */
export async function readRepoSignals(
  root: string,
  options: { deadline: string | null; timeBoxHours: number | null },
): Promise<Omit<RepoSignals, 'tests'>> {
  const names = await readdir(root).catch(() => [] as string[]);
  const readmeName = names.find((name) => README.test(name));
  const readme = readmeName ? (await readFile(path.join(root, readmeName), 'utf8').catch(() => '')).slice(0, 200_000) : '';
  const headings = readme
    .split('\n')
    .filter((line) => /^#{1,4}\s/.test(line))
    .join('\n')
    .toLowerCase();
  const has = (...files: string[]) => files.some((file) => names.includes(file));
  return {
    readme: {
      present: Boolean(readmeName),
      words: readme.split(/\s+/).filter(Boolean).length,
      hasSetup: /install|setup|getting started|run|usage|start/.test(headings) || SETUP_COMMAND.test(readme),
      hasTradeoffs: /trade-?offs?|design|decisions?|architecture|limitations|future|improvements/.test(headings),
    },
    files: {
      lockfile: has(...TOOLCHAINS.flatMap((toolchain) => toolchain.lockfiles)),
      typescript: has('tsconfig.json'),
      linter: names.some((name) => /^(\.eslintrc.*|eslint\.config\.[cm]?[jt]s|biome\.jsonc?|\.prettierrc.*|prettier\.config\.[cm]?js)$/.test(name)),
      dockerfile: has('Dockerfile', 'docker-compose.yml', 'compose.yaml'),
    },
    commits: await commitTimeline(root, options),
  };
}

async function commitTimeline(root: string, options: { deadline: string | null; timeBoxHours: number | null }): Promise<RepoSignals['commits']> {
  const none: RepoSignals['commits'] = {
    count: 0,
    firstAt: null,
    lastAt: null,
    spanHours: null,
    estimatedHours: null,
    afterDeadline: 0,
    timeline: 'none',
    note: 'not a git repository',
  };
  const isRepo = await readdir(path.join(root, '.git')).then(
    () => true,
    () => false,
  );
  if (!isRepo) return none;
  const log = await safeGit(root).raw(['log', '--format=%at', '-n', '500']).catch(() => '');
  const times = log
    .split('\n')
    .filter(Boolean)
    .map((line) => Number(line) * 1000)
    .sort((a, b) => a - b);
  if (times.length === 0) return none;
  const first = times[0] ?? 0;
  const last = times[times.length - 1] ?? 0;
  const deadline = options.deadline ? Date.parse(options.deadline) : Number.NaN;
  // Sessions: gaps under two hours are one sitting; each new sitting counts 30 minutes.
  let estimate = 0;
  for (let i = 0; i < times.length; i += 1) {
    const gap = i === 0 ? Number.POSITIVE_INFINITY : (times[i] ?? 0) - (times[i - 1] ?? 0);
    estimate += gap < 2 * 3_600_000 ? gap : 30 * 60_000;
  }
  const estimatedHours = estimate / 3_600_000;
  const single = times.length === 1;
  return {
    count: times.length,
    firstAt: new Date(first).toISOString(),
    lastAt: new Date(last).toISOString(),
    spanHours: (last - first) / 3_600_000,
    estimatedHours: single ? null : estimatedHours,
    afterDeadline: Number.isNaN(deadline) ? 0 : times.filter((time) => time > deadline).length,
    timeline: single ? 'single-commit' : 'ok',
    note: single
      ? 'a single (squashed or shallow-cloned) commit: no timeline, not penalised'
      : `${times.length} commits over ${((last - first) / 3_600_000).toFixed(1)} h; about ${estimatedHours.toFixed(1)} h of work${options.timeBoxHours ? ` against a ${options.timeBoxHours} h time-box` : ''}`,
  };
}
