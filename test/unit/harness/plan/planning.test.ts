import { describe, expect, it } from 'vitest';
import { manifestSchema } from '../../../../core/manifest.ts';
import { CATALOGUE } from '../../../../graders/catalogue.ts';
import type { CheckDefinition, IsolationNeed } from '../../../../graders/check.ts';
import { buildEnv } from '../../../../harness/plan/build-env.ts';
import { chooseToolchain } from '../../../../harness/plan/choose-toolchain.ts';
import { instanceEnv } from '../../../../harness/plan/instance-env.ts';
import { planInstanceRuns, reusesStarted, type InstanceRun } from '../../../../harness/plan/instance-runs.ts';
import { checkParams } from '../../../../harness/plan/prober-input.ts';
import { noStartMessage, resolveStart } from '../../../../harness/plan/resolve-start.ts';
import { selectChecks, selectLoadChecks } from '../../../../harness/plan/select-checks.ts';
import { nodeToolchain } from '../../../../sandbox/toolchains/node/node-toolchain.ts';
import type { RepoFiles } from '../../../../sandbox/toolchains/toolchain.ts';

const manifest = manifestSchema.parse({ id: 'x', version: '1', title: 'X' });
const files = (names: string[], contents: Record<string, string> = {}): RepoFiles => ({
  has: (name) => names.includes(name),
  read: async (name) => contents[name] ?? null,
});
const check = (id: string, instance: CheckDefinition['instance'], need: IsolationNeed = 'nothing'): CheckDefinition => ({
  id, area: 'contract', tier: 'must', title: id, points: 1, standard: 's', accepted: 'a', instance, isolation: { need, why: 'test' }, run: async () => ({ status: 'pass', message: '' }),
});
const labels = (runs: InstanceRun[]) => runs.map((run) => [run.label, run.kind === 'checks' ? run.checks.map((c) => c.id).join(',') : 'suite']);

describe('which instances run which checks', () => {
  const checks = [
    check('a', 'relaxed'), check('b', 'rate_limit', 'process'), check('c', 'relaxed', 'process'), check('d', 'relaxed', 'identity'),
    check('e', 'rate_limit'), check('f', 'relaxed', 'collection'), check('g', 'relaxed', 'collection'),
  ];
  const suite = { spec: { id: 's', instance: 'relaxed' } as never, cwd: '/prober/suites/s', files: {} as never };

  it('shares by need: one instance for what needs nothing or an identity, one for the collection checks, one per process check, then each suite', () => {
    const runs = planInstanceRuns(checks, [suite]);
    expect(labels(runs)).toEqual([
      ['relaxed instance', 'a,d'],
      ['relaxed instance for the collection checks', 'f,g'],
      ['relaxed instance for c', 'c'],
      ['rate_limit instance', 'e'],
      ['rate_limit instance for b', 'b'],
      ['relaxed instance for suite s', 'suite'],
    ]);
    expect(runs.map((run) => reusesStarted(run, 'relaxed'))).toEqual([true, false, false, false, false, false]);
  });

  it('all-fresh (the proof that sharing changes nothing) gives every check its own instance', () => {
    const runs = planInstanceRuns(checks, [suite], 'all-fresh');
    expect(labels(runs).map(([label]) => label)).toEqual([
      'relaxed instance for a', 'relaxed instance for c', 'relaxed instance for d', 'relaxed instance for f', 'relaxed instance for g',
      'rate_limit instance for b', 'rate_limit instance for e', 'relaxed instance for suite s',
    ]);
  });

  it('every built-in check justifies its isolation in one line', () => {
    for (const builtin of CATALOGUE) {
      expect(builtin.isolation.why.length, builtin.id).toBeGreaterThan(15);
      expect(builtin.isolation.why, builtin.id).not.toMatch(/\n/);
    }
  });

  it('the built-in catalogue: every check has an instance profile the plan knows', () => {
    const runs = planInstanceRuns(CATALOGUE, []);
    const planned = runs.flatMap((run) => (run.kind === 'checks' ? run.checks.map((c) => c.id) : []));
    expect(planned.sort()).toEqual(CATALOGUE.map((c) => c.id).sort());
  });

  it('unknown check ids in a manifest are the author\'s error; load checks follow load.enabled', () => {
    expect(() => selectChecks({ ...manifest, checks: ['nope'] }, CATALOGUE)).toThrow(/unknown checks: nope/);
    expect(selectLoadChecks({ ...manifest, load: { ...manifest.load, enabled: false } })).toEqual([]);
    expect(selectLoadChecks(manifest).length).toBeGreaterThan(0);
  });
});

describe('what an instance and a build step see', () => {
  it('toolchain env, then the manifest\'s, then PORT and the budget, which nothing overrides', () => {
    const env = instanceEnv({ ...manifest, runtime: { ...manifest.runtime, env: { NODE_ENV: 'production', PORT: '1', HOME: '/custom' } } }, nodeToolchain, 'rate_limit');
    expect(env).toMatchObject({ HOME: '/custom', NODE_ENV: 'production', PORT: '3000', RATE_LIMIT_MAX: '5', RATE_LIMIT_WINDOW_MS: '3000' });
    expect(instanceEnv(manifest, nodeToolchain, 'relaxed').RATE_LIMIT_MAX).toBe('1000000000');
  });

  it('points at caches only when mounted, and at the CA bundle only when one was copied in', () => {
    const bare = buildEnv(nodeToolchain, { caches: [], caPath: null });
    expect(bare.npm_config_cache).toBe('/tmp/.npm');
    expect(bare.NODE_EXTRA_CA_CERTS).toBeUndefined();
    const full = buildEnv(nodeToolchain, { caches: nodeToolchain.caches, caPath: '/workspace/ca/ca.crt', extra: { NODE_ENV: 'test' } });
    expect(full).toMatchObject({ npm_config_cache: '/cache/npm', NODE_EXTRA_CA_CERTS: '/workspace/ca/ca.crt', NODE_ENV: 'test', CI: 'true' });
  });

  it('passes only the toolchain\'s named registry settings from the grader\'s environment', () => {
    const env = buildEnv(nodeToolchain, { caches: [], caPath: null, host: { COREPACK_INTEGRITY_KEYS: '0', GITHUB_TOKEN: 'secret', DOCKER_HOST: 'tcp://x' } });
    expect(env.COREPACK_INTEGRITY_KEYS).toBe('0');
    expect(Object.values(env)).not.toContain('secret');
    expect(env.DOCKER_HOST).toBeUndefined();
  });

  it('check params carry the profile\'s budget and the toolchain\'s leak patterns', () => {
    const params = checkParams(manifest, 'rate_limit', nodeToolchain.leakPatterns);
    expect(params.rateLimit).toMatchObject({ max: 5, windowMs: 3000, identityHeader: 'X-API-Key' });
    expect(params.leakPatterns.map((p) => p.label)).toContain('a stack frame');
  });
});

describe('choosing a toolchain and a start command', () => {
  it('detects Node by package.json; nothing detected names what was looked for', () => {
    expect(chooseToolchain(files(['package.json']), { requested: null, imageAndStartGiven: false })).toMatchObject({ toolchain: { id: 'node' }, because: 'found package.json' });
    const none = chooseToolchain(files(['main.go']), { requested: null, imageAndStartGiven: false });
    expect(none.toolchain).toBeNull();
    expect('problem' in none && none.problem).toMatch(/looked for package\.json/);
  });

  it('an explicit choice wins; an unknown one is refused; an image and a start command need no detection', () => {
    expect(chooseToolchain(files(['package.json']), { requested: 'command', imageAndStartGiven: false }).toolchain?.id).toBe('command');
    expect(chooseToolchain(files([]), { requested: 'cobol', imageAndStartGiven: false })).toMatchObject({ toolchain: null });
    expect(chooseToolchain(files([]), { requested: null, imageAndStartGiven: true }).toolchain?.id).toBe('command');
  });

  it('start: the grader, then the assignment, then the Procfile, then the convention; else none', () => {
    const npmStart = { cmd: ['npm', 'start'], display: 'npm start' };
    const base = { override: null, manifest: null, procfile: null, convention: null, toolchainTitle: 'Node.js' };
    expect(resolveStart({ ...base, override: 'node dist/main.js', manifest: 'x', procfile: 'web: y', convention: npmStart })).toEqual({
      step: { cmd: ['sh', '-c', 'node dist/main.js'], display: 'node dist/main.js' },
      from: 'given by the grader (--start)',
    });
    expect(resolveStart({ ...base, manifest: 'node a.js', procfile: 'web: y', convention: npmStart })?.from).toMatch(/submission\.start/);
    expect(resolveStart({ ...base, procfile: 'release: migrate\nweb: node app/index.js\n', convention: npmStart })).toEqual({
      step: { cmd: ['sh', '-c', 'node app/index.js'], display: 'node app/index.js' },
      from: 'the Procfile (web:)',
    });
    expect(resolveStart({ ...base, procfile: 'worker: node w.js', convention: npmStart })?.from).toBe('the Node.js convention');
    expect(resolveStart(base)).toBeNull();
  });

  it('no start command says what was looked for, what the repository offers, and what to do', async () => {
    const planned = await nodeToolchain.plan(files(['package.json'], { 'package.json': '{"scripts":{"dev":"node --watch src/main.mjs"}}' }));
    if (!planned.ok) throw new Error(planned.problem);
    expect(planned.plan.start).toBeNull();
    const message = noStartMessage('Node.js', planned.plan);
    expect(message).toMatch(/script "dev": node --watch src\/main\.mjs/);
    expect(message).toMatch(/--start/);
    expect(message).toMatch(/Procfile/);
  });

  it('Node start conventions: start, then start:prod, then main, then one entry file', async () => {
    const start = async (pkg: object, names: string[] = []) => {
      const planned = await nodeToolchain.plan(files(['package.json', ...names], { 'package.json': JSON.stringify(pkg) }));
      return planned.ok ? planned.plan.start?.display ?? null : planned.problem;
    };
    expect(await start({ scripts: { start: 'nest start', 'start:prod': 'node dist/main' } })).toBe('npm start');
    expect(await start({ scripts: { 'start:prod': 'node dist/main' } })).toBe('npm run start:prod');
    expect(await start({ main: 'lib/server.js' }, ['lib/server.js'])).toBe('node lib/server.js');
    expect(await start({}, ['server.js'])).toBe('node server.js');
    expect(await start({}, ['server.js', 'index.js'])).toBeNull();
  });

  it('honours the package manager the candidate used: pnpm and Yarn through corepack, frozen to their lockfiles', async () => {
    const install = async (names: string[], pkg: object = {}, lock = '') => {
      const planned = await nodeToolchain.plan(files(['package.json', ...names], { 'package.json': JSON.stringify(pkg), 'yarn.lock': lock }));
      return planned.ok ? [planned.plan.install?.cmd.join(' '), planned.plan.start?.display] : planned.problem;
    };
    expect(await install(['pnpm-lock.yaml'], { scripts: { start: 'node s.js' } })).toEqual(['corepack pnpm install --frozen-lockfile', 'pnpm start']);
    expect(await install(['yarn.lock'], { packageManager: 'yarn@4.5.0' }, '__metadata:\n  version: 8\n')).toEqual(['corepack yarn install --immutable', undefined]);
    expect(await install(['yarn.lock'], {}, '# yarn lockfile v1\n')).toEqual(['corepack yarn install --frozen-lockfile --non-interactive', undefined]);
    expect(await install(['package-lock.json'])).toEqual(['npm ci --no-audit --no-fund', undefined]);
    expect(await install([], { packageManager: 'pnpm@9.12.0' })).toEqual(['corepack pnpm install', undefined]);
  });

  it('the Node toolchain plans npm ci with a lockfile, npm install without, and skips npm\'s placeholder test', async () => {
    const withLock = await nodeToolchain.plan(files(['package.json', 'package-lock.json'], { 'package.json': '{"scripts":{"build":"tsc","test":"echo \\"Error: no test specified\\" && exit 1"}}' }));
    expect(withLock).toMatchObject({ ok: true, plan: { install: { display: 'npm ci' }, build: { display: 'npm run build' }, test: null, start: null } });
    const noLock = await nodeToolchain.plan(files(['package.json'], { 'package.json': '{}' }));
    expect(noLock).toMatchObject({ ok: true, plan: { install: { display: 'npm install' }, build: null } });
    expect(await nodeToolchain.plan(files(['package.json'], { 'package.json': '{oops' }))).toMatchObject({ ok: false, problem: expect.stringMatching(/not valid/) });
  });
});

describe('rubric suggestions come only from what was observed', () => {
  it('suggests no level when too few of a criterion\'s checks ran, and says so', async () => {
    const { suggestLevels } = await import('../../../../harness/repo/rubric.ts');
    const rubric = { criteria: [{ id: 'c', title: 'Coding', automated: true, levels: { exceeds: 'e', meets: 'm', below: 'b' }, evidence: [{ area: 'rate_limit', weight: 1 }], reviewerLooksAt: [] }] };
    const result = (status: 'pass' | 'not_run', id: string) => ({ id, area: 'rate_limit' as const, tier: 'must' as const, title: id, status, points: 0, maxPoints: 1, message: '', standard: '', accepted: '', durationMs: 0, evidence: [], evidenceOmitted: 0, applies: true });
    const none = suggestLevels(rubric, ['a', 'b', 'c', 'd'].map((id) => result('not_run', id)), null);
    expect(none[0]?.suggested).toBeNull();
    expect(none[0]?.reasons[0]).toMatch(/not enough evidence: 0 of the 4/);
    const some = suggestLevels(rubric, [result('pass', 'a'), result('pass', 'b'), result('pass', 'c'), result('not_run', 'd')], null);
    expect(some[0]?.suggested).toBe('exceeds');
  });
});
