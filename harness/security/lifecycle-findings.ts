import { z } from 'zod';
import type { Finding } from '../../core/security.ts';
import type { RepoFiles } from '../../sandbox/toolchains/toolchain.ts';

/** npm runs these around `npm install`/`npm ci` (and `prepare` after); each runs the candidate's code with network. */
const NPM_LIFECYCLE = ['preinstall', 'install', 'postinstall', 'prepare', 'prepublish'] as const;
const MAX_LINES = 20;

const packageJsonSchema = z.looseObject({ scripts: z.record(z.string(), z.unknown()).optional() });
const lockSchema = z.looseObject({ packages: z.record(z.string(), z.looseObject({ hasInstallScript: z.boolean().optional() })).optional() });

function parseJson(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/**
 * The code that runs during install besides the package manager itself: the project's
 * own lifecycle scripts, its dependencies' install scripts (the lockfile marks them), and
 * a setup.py, which pip executes. Severity info: most are legitimate (native modules, husky),
 * and a reviewer reads what they are.
 */
export async function lifecycleFindings(files: RepoFiles): Promise<Finding[]> {
  const findings: Finding[] = [];
  const manifest = packageJsonSchema.safeParse(parseJson(await files.read('package.json')));
  const own = manifest.success
    ? NPM_LIFECYCLE.flatMap((name) => {
        const script = manifest.data.scripts?.[name];
        return typeof script === 'string' ? [`package.json "${name}": ${script.slice(0, 200)}`] : [];
      })
    : [];
  if (own.length > 0) {
    findings.push({ kind: 'lifecycle-script', severity: 'info', where: 'install', summary: `the project's own lifecycle scripts run during install: ${own.map((line) => /"([^"]+)"/.exec(line)?.[1]).join(', ')}`, evidence: own, count: own.length });
  }
  const lock = lockSchema.safeParse(parseJson(await files.read('package-lock.json')));
  const withScripts = lock.success
    ? Object.entries(lock.data.packages ?? {})
        .filter(([name, entry]) => name !== '' && entry.hasInstallScript === true)
        .map(([name]) => name.replace(/^.*node_modules\//, ''))
    : [];
  if (withScripts.length > 0) {
    findings.push({
      kind: 'lifecycle-script',
      severity: 'info',
      where: 'install',
      summary: `${withScripts.length} dependenc${withScripts.length === 1 ? 'y runs its' : 'ies run their'} own install script (package-lock.json hasInstallScript)`,
      evidence: [...withScripts.slice(0, MAX_LINES), ...(withScripts.length > MAX_LINES ? [`… and ${withScripts.length - MAX_LINES} more`] : [])],
      count: withScripts.length,
    });
  }
  const setupPy = await files.read('setup.py');
  if (setupPy !== null) {
    const commands = setupPy.split('\n').filter((line) => /\b(cmdclass|subprocess|os\.system|urlopen|requests\.)/.test(line)).map((line) => line.trim().slice(0, 200));
    findings.push({
      kind: 'lifecycle-script',
      severity: 'info',
      where: 'install',
      summary: `setup.py runs as Python code during install${commands.length > 0 ? ` (it defines commands or runs processes: ${commands.length} line${commands.length === 1 ? '' : 's'})` : ''}`,
      evidence: commands.length > 0 ? commands.slice(0, MAX_LINES) : ['setup.py present'],
    });
  }
  return findings;
}
