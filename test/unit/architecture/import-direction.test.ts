import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { importViolation, layerOf, resolveImport } from './import-rules.ts';
import { importsOf, scanProject } from './import-scan.ts';

// Not harness/paths.ts: this test must not depend on a folder whose imports it judges.
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

describe('the rule function', () => {
  const allowed: Array<[string, string]> = [
    ['core/report.ts', './areas.ts'],
    ['core/report.ts', 'zod'],
    ['sandbox/engine.ts', '../core/errors.ts'],
    ['sandbox/toolchains/node/node-toolchain.ts', '../toolchain.ts'],
    ['sandbox/docker/docker-runtime.ts', 'dockerode'],
    ['sandbox/docker/docker-runtime.ts', '@types/dockerode'],
    ['graders/checks/pagination/full-walk.ts', '../../../core/report.ts'],
    ['reports/renderers/html-renderer.ts', '../by-area.ts'],
    ['harness/pipeline.ts', '../sandbox/engine.ts'],
    ['harness/pipeline.ts', '../graders/catalogue.ts'],
    ['harness/cli/summary-table.ts', '../../reports/by-area.ts'],
    ['assignments/orders-service-repair/checks/cache-churn.ts', '../../../graders/check.ts'],
    ['assignments/orders-service-repair/checks/cache-churn.ts', './helpers.ts'],
    ['bench/overhead.ts', '../harness/pipeline.ts'],
    ['harness/logger.ts', 'node:fs/promises'],
  ];
  const wrongWay: Array<[string, string]> = [
    ['core/report.ts', '../reports/renderer.ts'],
    ['core/areas.ts', '../harness/paths.ts'],
    ['sandbox/engine.ts', '../harness/logger.ts'],
    ['sandbox/engine.ts', '../graders/check.ts'],
    ['graders/check.ts', '../sandbox/engine.ts'],
    ['graders/check.ts', '../reports/renderer.ts'],
    ['reports/write-report.ts', '../harness/paths.ts'],
    ['reports/renderer.ts', '../sandbox/labels.ts'],
    ['harness/pipeline.ts', '../test/support/sample-report.ts'],
    ['harness/pipeline.ts', '../assignments/orders-service-repair/checks/cache-churn.ts'],
    ['harness/pipeline.ts', '../bench/support.ts'],
    ['assignments/orders-service-repair/checks/cache-churn.ts', '../../../harness/paths.ts'],
    ['assignments/orders-service-repair/checks/cache-churn.ts', '../../rate-limited-items/checks/other.ts'],
    ['assignments/orders-service-repair/checks/cache-churn.ts', '../reference/server.js'],
    ['sandbox/engine.ts', 'dockerode'],
    ['sandbox/container/managed-container.ts', 'dockerode/lib/container'],
    ['harness/cli/doctor-command.ts', 'dockerode'],
    ['graders/prober/main.ts', '@types/dockerode'],
    ['core/report.ts', '../../outside-the-project.ts'],
    ['core/report.ts', '/abs/path.ts'],
  ];

  it.each(allowed)('%s → %s is allowed', (from, to) => {
    expect(importViolation(from, to)).toBeNull();
  });

  it.each(wrongWay)('%s → %s is flagged', (from, to) => {
    expect(importViolation(from, to)).toEqual(expect.any(String));
  });

  it('resolves specifiers to layers', () => {
    expect(layerOf('assignments/x/checks/a.ts')).toBe('assignment-checks');
    expect(layerOf('assignments/x/reference/server.js')).toBeNull();
    expect(layerOf('test/support/fake-server.ts')).toBeNull();
    expect(resolveImport('harness/cli/main.ts', '../../core/areas.ts')).toEqual({ kind: 'project', path: 'core/areas.ts', layer: 'core' });
    expect(resolveImport('harness/cli/main.ts', '@types/dockerode/index')).toEqual({ kind: 'package', name: '@types/dockerode' });
  });

  it('the scanner finds every kind of import, type-only and dynamic ones too', () => {
    const text = [
      // Triple-slash directives count only before the first statement, as in TypeScript.
      '/// <reference types="dockerode" />',
      "import a from './a.ts';",
      "import type { B } from '../b.ts';",
      "export { c } from './c.ts';",
      "export * from './d.ts';",
      "import './side-effect.ts';",
      "const e = await import('./e.ts');",
      "type F = import('./f.ts').F;",
      "import g = require('./g.ts');",
      "const h = require('dockerode');",
      'const dynamic = await import(someUrl);',
      "// import nope from './comment.ts';",
      "const s = \"import x from './string.ts'\";",
    ].join('\n');
    const { sites, computed } = importsOf('harness/x.ts', text);
    expect(sites.map((site) => site.specifier).sort()).toEqual(['../b.ts', './a.ts', './c.ts', './d.ts', './e.ts', './f.ts', './g.ts', './side-effect.ts', 'dockerode', 'dockerode'].sort());
    expect(computed.map((site) => site.specifier)).toEqual(['someUrl']);
  });
});

describe('the project', () => {
  const { files, sites } = scanProject(ROOT);

  it('scans the folders that have a direction', () => {
    for (const folder of ['core/', 'sandbox/', 'graders/', 'reports/', 'harness/']) {
      expect(files.some((file) => file.startsWith(folder)), `no .ts file found under ${folder}`).toBe(true);
    }
    expect(sites.length).toBeGreaterThan(files.length);
  });

  it('imports only in the allowed direction', () => {
    const offending = sites.flatMap((site) => {
      const why = importViolation(site.file, site.specifier);
      return why === null ? [] : [`${site.file}:${site.line} → ${site.specifier}  (${why})`];
    });
    expect(offending, `wrong-way imports:\n${offending.join('\n')}`).toEqual([]);
  });
});
