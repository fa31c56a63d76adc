import { APP_DIR } from '../../container/container-specs.ts';
import type { Toolchain } from '../toolchain.ts';
import { PYTHON_LEAK_PATTERNS } from './leak-patterns.ts';
import { planPython } from './python-plan.ts';
import { parsePytestSummary } from './test-summary.ts';

const VENV = `${APP_DIR}/.venv`;
// The venv first, so `python`, `pip`, `uvicorn` and `gunicorn` are the submission's own.
const PATH = `${VENV}/bin:/usr/local/bin:/usr/local/sbin:/usr/bin:/usr/sbin:/bin:/sbin`;
const COMMON = {
  HOME: '/tmp',
  PATH,
  VIRTUAL_ENV: VENV,
  PIP_DISABLE_PIP_VERSION_CHECK: '1',
  PIP_NO_INPUT: '1',
  // Logs reach the report as they happen, not when a buffer fills.
  PYTHONUNBUFFERED: '1',
};

/** Python with pip: a venv in the app folder, pytest, and a uvicorn or `python <file>` start. */
export const pythonToolchain: Toolchain = {
  id: 'python',
  title: 'Python (pip)',
  image: 'python:3.12-slim',
  lookedFor: 'pyproject.toml, requirements.txt, Pipfile or setup.py',
  detect(files) {
    const manifest = ['pyproject.toml', 'requirements.txt', 'setup.py', 'Pipfile'].find((name) => files.has(name));
    return manifest ? { confidence: 'certain', because: manifest } : null;
  },
  // A committed venv holds interpreters and wheels built for another machine; the install recreates it.
  lockfiles: ['poetry.lock', 'uv.lock', 'Pipfile.lock', 'pdm.lock'],
  packIgnore: ['.venv', 'venv', '__pycache__'],
  plan: planPython,
  buildEnv: COMMON,
  caBundleEnv: ['PIP_CERT', 'REQUESTS_CA_BUNDLE', 'SSL_CERT_FILE'],
  // The workspace is read-only for the server: no .pyc files to write.
  runEnv: { ...COMMON, PYTHONDONTWRITEBYTECODE: '1' },
  // No shared pip cache: pip trusts its cache without hashes, and `pip install` runs the
  // candidate's setup.py, so one submission could plant a package for the next.
  caches: [],
  parseTestSummary: parsePytestSummary,
  leakPatterns: PYTHON_LEAK_PATTERNS,
};
