import path from 'node:path';

/**
 * The direction of imports (docs: /work/shared/DESIGN.md, "Folders and the direction of
 * imports"), as pure functions of project-relative POSIX paths so they can be tested on
 * made-up edges without touching the file system.
 */

/** Top-level folders that are layers by themselves. */
const FOLDER_LAYERS = ['core', 'sandbox', 'graders', 'reports', 'harness', 'bench'] as const;
/** assignments/<id>/checks/: an author's custom checks, compiled into the prober bundle. */
export const LAYERS = [...FOLDER_LAYERS, 'assignment-checks'] as const;
export type Layer = (typeof LAYERS)[number];

/** Where an import lands: a project file (with its layer, if any), an npm package, or nowhere allowed. */
export type Target =
  | { kind: 'project'; path: string; layer: Layer | null }
  | { kind: 'package'; name: string }
  | { kind: 'outside'; specifier: string };

/** What each layer may import of the project. assignment-checks also gets its own folder, see below. */
const ALLOWED: Record<Layer, readonly Layer[]> = {
  core: ['core'],
  sandbox: ['core', 'sandbox'],
  graders: ['core', 'graders'],
  reports: ['core', 'reports'],
  harness: ['core', 'sandbox', 'graders', 'reports', 'harness'],
  // Not in the design's rules: benchmarks drive the product from outside, like the CLI does.
  bench: ['core', 'sandbox', 'graders', 'reports', 'harness', 'bench'],
  'assignment-checks': ['core', 'graders'],
};

/** Packages only one folder may import: the Docker client stays behind the runtime interface. */
const RESTRICTED_PACKAGES: ReadonlyArray<{ names: readonly string[]; onlyUnder: string }> = [{ names: ['dockerode', '@types/dockerode'], onlyUnder: 'sandbox/docker/' }];

const CHECKS_FOLDER = /^assignments\/([^/]+)\/checks\//;

export function layerOf(file: string): Layer | null {
  if (CHECKS_FOLDER.test(file)) return 'assignment-checks';
  const top = file.split('/')[0] ?? '';
  return FOLDER_LAYERS.find((layer) => layer === top) ?? null;
}

/** `dockerode/lib/x` → `dockerode`; `@types/dockerode/index` → `@types/dockerode`. */
export function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier);
}

/** Resolves `specifier` as written in project file `from` (both POSIX, `from` relative to the root). */
export function resolveImport(from: string, specifier: string): Target {
  if (specifier.startsWith('./') || specifier.startsWith('../') || specifier === '.' || specifier === '..') {
    const resolved = path.posix.normalize(path.posix.join(path.posix.dirname(from), specifier));
    if (resolved.startsWith('../') || resolved === '..') return { kind: 'outside', specifier };
    return { kind: 'project', path: resolved, layer: layerOf(resolved) };
  }
  // Absolute paths, file: URLs and package.json "imports" (#x) dodge the folder rules.
  if (specifier.startsWith('/') || specifier.startsWith('#') || (/^[a-z]+:/i.test(specifier) && !specifier.startsWith('node:'))) {
    return { kind: 'outside', specifier };
  }
  return { kind: 'package', name: packageName(specifier) };
}

/** Why the edge `from → specifier` is not allowed, or null when it is. */
export function importViolation(from: string, specifier: string): string | null {
  const source = layerOf(from);
  if (source === null) return null;
  const target = resolveImport(from, specifier);
  switch (target.kind) {
    case 'outside':
      return `${source} imports ${specifier}, which is not a project folder or an npm package`;
    case 'package': {
      const rule = RESTRICTED_PACKAGES.find((r) => r.names.includes(target.name));
      if (rule && !from.startsWith(rule.onlyUnder)) return `${target.name} may be imported only under ${rule.onlyUnder}`;
      return null;
    }
    case 'project': {
      if (source === 'assignment-checks') {
        const own = CHECKS_FOLDER.exec(from)?.[1];
        // A check may be split into files within its own assignment's checks folder.
        if (CHECKS_FOLDER.exec(target.path)?.[1] === own) return null;
      } else if (target.layer === source) {
        return null;
      }
      if (target.layer !== null && ALLOWED[source].includes(target.layer)) return null;
      return `${source} may import only ${[...ALLOWED[source]].join(', ')}${source === 'assignment-checks' ? ' and its own checks folder' : ''}; this is ${target.layer ?? topFolder(target.path)}`;
    }
  }
}

function topFolder(file: string): string {
  return file.includes('/') ? `${file.split('/')[0]}/` : file;
}
