import { APP_DIR } from '../../container/container-specs.ts';
import { WORKSPACE_HOME } from '../../sandbox-job.ts';
import type { CommandStep, PlanResult, RepoFiles } from '../toolchain.ts';

/** Where the built server lands: inside the workspace, the only thing that reaches the server's container. */
export const GO_BINARY = `${APP_DIR}/.grader-bin/server`;
/** go's work folder for the test step: in the workspace, which (unlike /tmp) allows executing what go links there. */
const GO_TMP = `${WORKSPACE_HOME}/go-tmp`;
/** The main package when it is not at the module root, by the common layouts. */
const MAIN_PACKAGES = ['cmd/server', 'cmd/api', 'cmd/app', 'cmd/main'];

const step = (...cmd: string[]): CommandStep => ({ cmd, display: cmd.join(' ') });

/**
 * The main package: the module root when it has a main.go, else the first common cmd/
 * folder with one, else the root (a root with main in server.go still builds; anything
 * else fails the build with go's own message).
 */
function mainPackage(files: RepoFiles): string {
  if (files.has('main.go')) return '.';
  const nested = MAIN_PACKAGES.find((dir) => files.has(`${dir}/main.go`));
  return nested ? `./${nested}` : '.';
}

/**
 * After the build (shared caches writable, registries reachable), the test binaries are
 * compiled too, and `-exec /bin/true` runs none of them: no candidate code runs with the
 * cache writable, and the offline test step finds the standard library and the modules
 * already compiled (a cold compile of net/http's tree takes over a minute on one CPU). A
 * test that does not compile is the test step's to report, not the build's.
 */
const PRECOMPILE_TESTS = 'go test -run "^$" -exec /bin/true ./... >/dev/null 2>&1';

/**
 * Go writes to its build cache on every run and fails outright on a read-only one. When
 * the shared cache is mounted read-only (CacheMount.inTests), the test step runs on a
 * writable farm of symlinks to its entries: hits are read through the links, misses are
 * compiled and written into the farm, and the shared cache itself cannot be changed by
 * the tests. Without the mount, GOCACHE is a fresh folder and everything compiles.
 */
const TEST = [
  'if [ -d "$GOCACHE" ] && [ ! -w "$GOCACHE" ]; then cp -rs "$GOCACHE" /tmp/go-build-farm && export GOCACHE=/tmp/go-build-farm; fi',
  // go test runs the test binary from its work folder, and /tmp is mounted noexec.
  `mkdir -p ${GO_TMP} && export GOTMPDIR=${GO_TMP}`,
  'exec go test -json ./...',
].join('; ');

/** `go mod download` (with a go.sum), `go build` to a fixed path, the binary, `go test -json`. */
export async function planGo(files: RepoFiles): Promise<PlanResult> {
  if ((await files.read('go.mod')) === null) return { ok: false, problem: 'no go.mod at the root of the submission (or it is larger than 1 MiB)' };
  const build = step('go', 'build', '-o', GO_BINARY, mainPackage(files));
  return {
    ok: true,
    plan: {
      // Without a go.sum there is nothing verified to download; a module with requirements
      // then fails the build with go's own "missing go.sum entry", which names the fix.
      install: files.has('go.sum') ? step('go', 'mod', 'download') : null,
      build: { cmd: ['sh', '-c', `${build.cmd.join(' ')} || exit $?; ${PRECOMPILE_TESTS}; exit 0`], display: build.display },
      test: { cmd: ['sh', '-c', TEST], display: 'go test ./...' },
      start: { cmd: [GO_BINARY], display: '.grader-bin/server (go build output)' },
    },
  };
}
