import type { Toolchain } from '../toolchain.ts';

/**
 * Any submission the grader describes itself: an image to run in and a start command
 * (`--image`, `--start`), nothing to install. Never detected; chosen explicitly, e.g. for a
 * language the harness has no toolchain for yet.
 */
export const commandToolchain: Toolchain = {
  id: 'command',
  title: 'a given image and start command',
  image: 'debian:bookworm-slim',
  lookedFor: null,
  detect: () => null,
  lockfiles: [],
  packIgnore: [],
  plan: async () => ({ ok: true, plan: { install: null, build: null, test: null, start: null } }),
  buildEnv: { HOME: '/tmp' },
  caBundleEnv: ['SSL_CERT_FILE'],
  runEnv: { HOME: '/tmp' },
  caches: [],
  parseTestSummary: () => null,
  leakPatterns: [],
};
