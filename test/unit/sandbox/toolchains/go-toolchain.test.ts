import { describe, expect, it } from 'vitest';
import { goToolchain } from '../../../../sandbox/toolchains/go/go-toolchain.ts';
import { parseGoTestSummary } from '../../../../sandbox/toolchains/go/test-summary.ts';
import type { ToolchainPlan } from '../../../../sandbox/toolchains/toolchain.ts';
import { fakeRepo, leaksIn } from './fake-repo.ts';

async function plan(files: Record<string, string>): Promise<ToolchainPlan> {
  const result = await goToolchain.plan(fakeRepo(files));
  if (!result.ok) throw new Error(result.problem);
  return result.plan;
}

const GO_MOD = 'module example.com/items\n\ngo 1.22\n';

describe('go toolchain: detect', () => {
  it('is certain of go.mod and ignores loose .go files', () => {
    expect(goToolchain.detect(fakeRepo({ 'go.mod': GO_MOD }))).toEqual({ confidence: 'certain', because: 'go.mod' });
    expect(goToolchain.detect(fakeRepo({ 'main.go': 'package main' }))).toBeNull();
  });
});

describe('go toolchain: plan', () => {
  it('downloads verified modules, builds the root package to a fixed path and starts that binary', async () => {
    const p = await plan({ 'go.mod': GO_MOD, 'go.sum': '', 'main.go': 'package main' });
    expect(p.install?.cmd).toEqual(['go', 'mod', 'download']);
    expect(p.build?.cmd.slice(0, 2)).toEqual(['sh', '-c']);
    expect(p.build?.cmd[2]).toMatch(/^go build -o \/workspace\/app\/\.grader-bin\/server \. \|\| exit \$\?; /);
    expect(p.build?.display).toBe('go build -o /workspace/app/.grader-bin/server .');
    expect(p.start?.cmd).toEqual(['/workspace/app/.grader-bin/server']);
    expect(p.test?.cmd[2]).toMatch(/exec go test -json \.\/\.\.\.$/);
  });

  it('compiles the test binaries in the build without running them, and tests over a symlink farm of a read-only build cache', async () => {
    const p = await plan({ 'go.mod': GO_MOD, 'main.go': 'package main' });
    expect(p.build?.cmd[2]).toContain('go test -run "^$" -exec /bin/true ./... >/dev/null 2>&1; exit 0');
    expect(p.test?.cmd[2]).toMatch(/^if \[ -d "\$GOCACHE" \] && \[ ! -w "\$GOCACHE" \]; then cp -rs "\$GOCACHE" \/tmp\/go-build-farm && export GOCACHE=\/tmp\/go-build-farm; fi/);
  });

  it('has nothing to download without a go.sum (no requirements)', async () => {
    expect((await plan({ 'go.mod': GO_MOD, 'main.go': '' })).install).toBeNull();
  });

  it('builds a main package under cmd/ when the root has none', async () => {
    expect((await plan({ 'go.mod': GO_MOD, 'cmd/api/main.go': '' })).build?.display).toMatch(/ \.\/cmd\/api$/);
    expect((await plan({ 'go.mod': GO_MOD, 'server.go': '' })).build?.display).toMatch(/ \.$/);
  });

  it('builds static binaries with every Go path writable, and caches modules and builds', () => {
    expect(goToolchain.buildEnv).toMatchObject({ HOME: '/tmp', CGO_ENABLED: '0', GOFLAGS: '-buildvcs=false' });
    expect(goToolchain.caches.map((cache) => [cache.id, Object.keys(cache.env)])).toEqual([
      ['go-mod', ['GOMODCACHE']],
      ['go-build', ['GOCACHE']],
    ]);
    expect(goToolchain.runEnv.HOME).toBe('/tmp');
  });

  it('lets the offline test step read both caches, read-only', () => {
    expect(goToolchain.caches.map((cache) => [cache.id, cache.inTests ?? null])).toEqual([
      ['go-mod', 'read-only'],
      ['go-build', 'read-only'],
    ]);
  });

  it('runs the static binary on plain Debian', () => {
    expect(goToolchain.runImage).toBe('debian:bookworm-slim');
  });
});

describe('go toolchain: go test -json summary (output of go 1.26, trimmed)', () => {
  const event = (action: string, test?: string, extra = '') =>
    `{"Time":"2026-12-02T13:51:21.13985Z","Action":"${action}","Package":"example.com/gofix"${test ? `,"Test":"${test}"` : ''}${extra}}`;
  const RUN = [
    event('start'),
    event('run', 'TestAdd'),
    `{"Time":"2026-12-02T13:51:21.13981Z","Action":"output","Package":"example.com/gofix","Test":"TestAdd","Output":"--- PASS: TestAdd (0.00s)\\n"}`,
    event('pass', 'TestAdd', ',"Elapsed":0'),
    event('pass', 'TestTable/one', ',"Elapsed":0'),
    event('fail', 'TestTable/two', ',"Elapsed":0'),
    event('fail', 'TestTable', ',"Elapsed":0'),
    event('skip', 'TestSkip', ',"Elapsed":0'),
    event('fail', 'TestFail', ',"Elapsed":0'),
    event('fail', undefined, ',"Elapsed":0.003'),
  ];

  it('counts top-level tests only; subtests are part of their parent', () => {
    expect(parseGoTestSummary(RUN.join('\n'))).toEqual({ runner: 'go test', passed: 1, failed: 2 });
  });

  it('counts a package that did not compile as one failure', () => {
    const buildFail = [
      '{"ImportPath":"example.com/gofix/broken [example.com/gofix/broken.test]","Action":"build-output","Output":"broken/b.go:3:23: cannot use \\"s\\" (untyped string constant) as int value in return statement\\n"}',
      '{"ImportPath":"example.com/gofix/broken [example.com/gofix/broken.test]","Action":"build-fail"}',
      '{"Time":"2026-12-02T13:51:27.6216Z","Action":"start","Package":"example.com/gofix/broken"}',
      '{"Time":"2026-12-02T13:51:27.6219Z","Action":"fail","Package":"example.com/gofix/broken","Elapsed":0,"FailedBuild":"example.com/gofix/broken [example.com/gofix/broken.test]"}',
    ];
    expect(parseGoTestSummary([...buildFail, ...RUN].join('\n'))).toEqual({ runner: 'go test', passed: 1, failed: 3 });
  });

  it('skips lines that are not events and says nothing without any', () => {
    expect(parseGoTestSummary(`go: downloading golang.org/x/text v0.14.0\n${event('pass', 'TestAdd')}\n`)).toEqual({ runner: 'go test', passed: 1, failed: 0 });
    expect(parseGoTestSummary('ok  \texample.com/gofix\t0.003s\n')).toBeNull();
  });
});

describe('go toolchain: leak patterns', () => {
  // A real panic (go run . on a nil-map write), as a handler that echoes recover() output returns it.
  const PANIC = 'panic: assignment to entry in nil map\n\ngoroutine 1 [running]:\nmain.main()\n\t/tmp/gofix/x.go:9 +0x28\nexit status 2';

  it('finds the panic, the goroutine header and the source position', () => {
    expect(leaksIn(goToolchain.leakPatterns, PANIC)).toEqual(['a Go panic', 'a goroutine dump', 'a Go source position']);
    expect(leaksIn(goToolchain.leakPatterns, JSON.stringify({ error: PANIC }))).toEqual(['a Go panic', 'a goroutine dump', 'a Go source position']);
  });

  it('finds nothing in ordinary JSON error bodies', () => {
    for (const body of [
      '{"type":"about:blank","title":"Not found","status":404,"detail":"no item with id does-not-exist"}',
      '{"error":"json: cannot unmarshal string into Go struct field .price_cents of type int64"}',
      '{"error":"invalid character \'}\' looking for beginning of object key string"}',
    ]) {
      expect(leaksIn(goToolchain.leakPatterns, body)).toEqual([]);
    }
  });
});
