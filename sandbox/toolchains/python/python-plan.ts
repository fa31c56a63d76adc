import type { CommandStep, PlanResult, RepoFiles } from '../toolchain.ts';

/** Where the start convention looks for the app, in this order of preference for messages. */
const ENTRY_FILES = ['main.py', 'app.py', 'server.py'] as const;
/**
 * RepoFiles can only answer "is this file there", so tests are found by the places pytest
 * users conventionally put them or configure it, not by listing folders.
 */
const TEST_MARKERS = [
  'pytest.ini',
  'conftest.py',
  'tests/conftest.py',
  'tests/__init__.py',
  ...['test_app.py', 'test_main.py', 'test_server.py', 'test_api.py', 'app_test.py', 'main_test.py', 'server_test.py'].flatMap((name) => [name, `tests/${name}`, `test/${name}`]),
];
const FASTAPI_APP = /^app\s*(?::[^=\n]+)?=\s*(?:fastapi\.)?(?:FastAPI|Starlette)\(/m;

const shell = (script: string, display: string): CommandStep => ({ cmd: ['sh', '-c', script], display });

/**
 * Install into a venv inside the app folder: the image's own site-packages is read-only at
 * run time and the build runs unprivileged, and only the workspace travels from the build
 * to the server.
 */
function installStep(files: RepoFiles): CommandStep | { problem: string } | null {
  const venv = 'python -m venv .venv && .venv/bin/pip install --no-cache-dir';
  if (files.has('requirements.txt')) return shell(`${venv} -r requirements.txt`, 'pip install -r requirements.txt');
  // A poetry.lock or uv.lock beside pyproject.toml is not used: poetry and uv are not in the
  // image, and pip resolves the same [project] dependencies (unpinned) through the build backend.
  if (files.has('pyproject.toml') || files.has('setup.py')) return shell(`${venv} .`, 'pip install .');
  if (files.has('Pipfile')) {
    return { problem: 'only a Pipfile: pipenv is not in the image; commit a requirements.txt (`pipenv requirements > requirements.txt`)' };
  }
  return null;
}

async function dependencyText(files: RepoFiles): Promise<string> {
  const texts = await Promise.all(['requirements.txt', 'pyproject.toml', 'setup.py', 'Pipfile'].map((name) => files.read(name)));
  return texts.filter((text): text is string => text !== null).join('\n').toLowerCase();
}

/**
 * The conventional start: uvicorn for a FastAPI/Starlette app whose module is unambiguous
 * (`python -m uvicorn`, so the venv's own interpreter runs it whatever the script shebangs
 * say), else the one entry file there is; null when that guess would be a coin toss.
 */
async function startStep(files: RepoFiles): Promise<CommandStep | null> {
  const present = ENTRY_FILES.filter((name) => files.has(name));
  if (/\b(?:fastapi|starlette)\b/.test(await dependencyText(files))) {
    const sources = await Promise.all(present.map(async (name) => ({ name, text: (await files.read(name)) ?? '' })));
    const apps = sources.filter((source) => FASTAPI_APP.test(source.text));
    if (apps.length === 1 && apps[0]) {
      const target = `${apps[0].name.replace(/\.py$/, '')}:app`;
      return shell(`exec python -m uvicorn ${target} --host 0.0.0.0 --port "\${PORT:-3000}"`, `uvicorn ${target}`);
    }
  }
  if (present.length === 1 && present[0]) return { cmd: ['python', present[0]], display: `python ${present[0]}` };
  return null;
}

async function hasTests(files: RepoFiles): Promise<boolean> {
  if (TEST_MARKERS.some((name) => files.has(name))) return true;
  const pyproject = (await files.read('pyproject.toml')) ?? '';
  const setupCfg = (await files.read('setup.cfg')) ?? '';
  return /^\[tool\.pytest\.ini_options\]/m.test(pyproject) || /^\[tool:pytest\]/m.test(setupCfg);
}

/** pip into a venv, pytest when tests are there, and the conventional start. */
export async function planPython(files: RepoFiles): Promise<PlanResult> {
  const install = installStep(files);
  if (install && 'problem' in install) return { ok: false, problem: install.problem };
  return {
    ok: true,
    plan: {
      install,
      build: null,
      test: (await hasTests(files)) ? { cmd: ['python', '-m', 'pytest', '-q', '--junitxml=/tmp/pytest.xml'], display: 'pytest' } : null,
      start: await startStep(files),
    },
  };
}
