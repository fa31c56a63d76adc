import { describe, expect, it } from 'vitest';
import { manifestSchema } from '../../../../core/manifest.ts';
import { CATALOGUE } from '../../../../graders/catalogue.ts';
import type { CheckDefinition } from '../../../../graders/check.ts';
import { buildEnv } from '../../../../harness/plan/build-env.ts';
import { chooseToolchain } from '../../../../harness/plan/choose-toolchain.ts';
import { instanceEnv } from '../../../../harness/plan/instance-env.ts';
import { planInstanceRuns, reusesStarted } from '../../../../harness/plan/instance-runs.ts';
import { checkParams } from '../../../../harness/plan/prober-input.ts';
import { resolveStart } from '../../../../harness/plan/resolve-start.ts';
import { selectChecks, selectLoadChecks } from '../../../../harness/plan/select-checks.ts';
import { nodeToolchain } from '../../../../sandbox/toolchains/node/node-toolchain.ts';
import type { RepoFiles } from '../../../../sandbox/toolchains/toolchain.ts';

const manifest = manifestSchema.parse({ id: 'x', version: '1', title: 'X' });
const files = (names: string[], contents: Record<string, string> = {}): RepoFiles => ({
  has: (name) => names.includes(name),
  read: async (name) => contents[name] ?? null,
});
const check = (id: string, instance: CheckDefinition['instance'], isolation?: 'fresh'): CheckDefinition => ({
  id, area: 'contract', tier: 'must', title: id, points: 1, standard: 's', accepted: 'a', instance, ...(isolation ? { isolation } : {}), run: async () => ({ status: 'pass', message: '' }),
});

describe('which instances run which checks', () => {
  it('shares one instance per profile, gives fresh checks their own, then each suite', () => {
    const runs = planInstanceRuns(
      [check('a', 'relaxed'), check('b', 'rate_limit', 'fresh'), check('c', 'relaxed', 'fresh'), check('d', 'relaxed'), check('e', 'rate_limit')],
      [{ spec: { id: 's', instance: 'relaxed' } as never, cwd: '/prober/suites/s', files: {} as never }],
    );
    expect(runs.map((run) => [run.label, run.kind === 'checks' ? run.checks.map((c) => c.id).join(',') : 'suite'])).toEqual([
      ['relaxed instance', 'a,d'],
      ['relaxed instance for c', 'c'],
      ['rate_limit instance', 'e'],
      ['rate_limit instance for b', 'b'],
      ['relaxed instance for suite s', 'suite'],
    ]);
    expect(runs.map((run) => reusesStarted(run, 'relaxed'))).toEqual([true, false, false, false, false]);
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

  it('the grader\'s start command runs under sh -c; otherwise the convention; otherwise none', () => {
    expect(resolveStart({ override: 'node dist/main.js', convention: { cmd: ['npm', 'start'], display: 'npm start' }, toolchainTitle: 'Node.js (npm)' })).toEqual({
      step: { cmd: ['sh', '-c', 'node dist/main.js'], display: 'node dist/main.js' },
      from: 'given by the grader',
    });
    expect(resolveStart({ override: null, convention: { cmd: ['npm', 'start'], display: 'npm start' }, toolchainTitle: 'Node.js (npm)' })?.from).toBe('the Node.js (npm) convention');
    expect(resolveStart({ override: null, convention: null, toolchainTitle: 'x' })).toBeNull();
  });

  it('the Node toolchain plans npm ci with a lockfile, npm install without, and skips npm\'s placeholder test', async () => {
    const withLock = await nodeToolchain.plan(files(['package.json', 'package-lock.json'], { 'package.json': '{"scripts":{"build":"tsc","test":"echo \\"Error: no test specified\\" && exit 1"}}' }));
    expect(withLock).toMatchObject({ ok: true, plan: { install: { display: 'npm ci' }, build: { display: 'npm run build' }, test: null, start: { display: 'npm start' } } });
    const noLock = await nodeToolchain.plan(files(['package.json'], { 'package.json': '{}' }));
    expect(noLock).toMatchObject({ ok: true, plan: { install: { display: 'npm install' }, build: null } });
    expect(await nodeToolchain.plan(files(['package.json'], { 'package.json': '{oops' }))).toMatchObject({ ok: false, problem: expect.stringMatching(/not valid/) });
  });
});
