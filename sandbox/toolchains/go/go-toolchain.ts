import type { Toolchain } from '../toolchain.ts';
import { GO_LEAK_PATTERNS } from './leak-patterns.ts';
import { planGo } from './go-plan.ts';
import { parseGoTestSummary } from './test-summary.ts';

const MOD_CACHE = '/cache/go-mod';
const BUILD_CACHE = '/cache/go-build';

/** Go modules: `go mod download`, a static `go build`, the binary, `go test -json`. */
export const goToolchain: Toolchain = {
  id: 'go',
  title: 'Go (modules)',
  image: 'golang:1.23-bookworm',
  // The static binary (CGO_ENABLED=0) needs no Go at run time.
  runImage: 'debian:bookworm-slim',
  lookedFor: 'go.mod',
  detect: (files) => (files.has('go.mod') ? { confidence: 'certain', because: 'go.mod' } : null),
  // The build output folder is recreated; a committed one could pass off a foreign binary.
  lockfiles: ['go.sum'],
  packIgnore: ['.grader-bin'],
  plan: planGo,
  buildEnv: {
    // The root is read-only and the build runs unprivileged: every Go path under /tmp.
    HOME: '/tmp',
    GOPATH: '/tmp/go',
    GOMODCACHE: '/tmp/go/pkg/mod',
    GOCACHE: '/tmp/go-build',
    // A static binary runs in the runtime image whatever its libc; cgo would also run C
    // compilers over the submission's files.
    CGO_ENABLED: '0',
    // The copied workspace may hold a .git owned by another uid; VCS stamping would then
    // fail the build over something the candidate did not do.
    GOFLAGS: '-buildvcs=false',
    // `go mod init` writes the author's Go version; the image's older go fetches that
    // toolchain through the module proxy instead of refusing to build.
    GOTOOLCHAIN: 'auto',
  },
  caBundleEnv: ['SSL_CERT_FILE'],
  runEnv: { HOME: '/tmp' },
  // Modules enter the cache only after go checks them against go.sum and the checksum
  // database, and `go mod download`/`go build` run none of the submission's code (no build
  // scripts; cgo is off), so install and build cannot plant anything in either cache.
  // `go test` does run it: the test step mounts these caches read-only (inTests) and
  // never writable. Offline it cannot do without the module cache, and with the build
  // cache (which the build warmed with the test binaries) it skips a minute of compiling;
  // go-plan.ts gives go a writable symlink farm over the read-only build cache.
  caches: [
    { id: 'go-mod', target: MOD_CACHE, env: { GOMODCACHE: MOD_CACHE }, inTests: 'read-only' },
    { id: 'go-build', target: BUILD_CACHE, env: { GOCACHE: BUILD_CACHE }, inTests: 'read-only' },
  ],
  parseTestSummary: parseGoTestSummary,
  leakPatterns: GO_LEAK_PATTERNS,
};
