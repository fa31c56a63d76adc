import { describe, expect, it } from 'vitest';
import { pythonToolchain } from '../../../../sandbox/toolchains/python/python-toolchain.ts';
import { parsePytestSummary } from '../../../../sandbox/toolchains/python/test-summary.ts';
import type { ToolchainPlan } from '../../../../sandbox/toolchains/toolchain.ts';
import { fakeRepo, leaksIn } from './fake-repo.ts';

async function plan(files: Record<string, string>): Promise<ToolchainPlan> {
  const result = await pythonToolchain.plan(fakeRepo(files));
  if (!result.ok) throw new Error(result.problem);
  return result.plan;
}

const FASTAPI_MAIN = 'from fastapi import FastAPI\n\napp = FastAPI(title="items")\n';

describe('python toolchain: detect', () => {
  it.each(['pyproject.toml', 'requirements.txt', 'setup.py', 'Pipfile'])('is certain of %s', (file) => {
    expect(pythonToolchain.detect(fakeRepo({ [file]: '' }))).toEqual({ confidence: 'certain', because: file });
  });

  it('does not apply to a bare script or a Node project', () => {
    expect(pythonToolchain.detect(fakeRepo({ 'app.py': '' }))).toBeNull();
    expect(pythonToolchain.detect(fakeRepo({ 'package.json': '{}' }))).toBeNull();
  });
});

describe('python toolchain: plan', () => {
  it('installs requirements.txt into a venv in the app folder and starts the one entry file', async () => {
    const p = await plan({ 'requirements.txt': 'pytest==8.3.4\n', 'app.py': 'print()', 'tests/test_app.py': '' });
    expect(p.install?.cmd).toEqual(['sh', '-c', 'python -m venv .venv && .venv/bin/pip install --no-cache-dir -r requirements.txt']);
    expect(p.build).toBeNull();
    expect(p.test?.cmd).toEqual(['python', '-m', 'pytest', '-q', '--junitxml=/tmp/pytest.xml']);
    expect(p.start).toEqual({ cmd: ['python', 'app.py'], display: 'python app.py' });
  });

  it('installs a pyproject project with pip (poetry and uv are not in the image) and finds pytest config', async () => {
    const p = await plan({ 'pyproject.toml': '[project]\nname = "x"\n\n[tool.pytest.ini_options]\n', 'poetry.lock': '', 'server.py': '' });
    expect(p.install?.display).toBe('pip install .');
    expect(p.install?.cmd[2]).toMatch(/\.venv\/bin\/pip install --no-cache-dir \.$/);
    expect(p.test).not.toBeNull();
    expect(p.start?.cmd).toEqual(['python', 'server.py']);
  });

  it('starts a FastAPI app with uvicorn on $PORT when exactly one module defines it', async () => {
    const p = await plan({ 'requirements.txt': 'fastapi==0.115.0\nuvicorn\n', 'main.py': FASTAPI_MAIN, 'app.py': 'import main\n' });
    expect(p.start?.cmd).toEqual(['sh', '-c', 'exec python -m uvicorn main:app --host 0.0.0.0 --port "${PORT:-3000}"']);
    expect(p.start?.display).toBe('uvicorn main:app');
  });

  it('reads FastAPI from pyproject dependencies too', async () => {
    const p = await plan({ 'pyproject.toml': '[project]\ndependencies = ["FastAPI>=0.110", "uvicorn[standard]"]\n', 'app.py': 'import fastapi\napp: fastapi.FastAPI = fastapi.FastAPI()\n' });
    expect(p.start?.display).toBe('uvicorn app:app');
  });

  it('has no start convention when the entry file is ambiguous, and no tests when none are found', async () => {
    const p = await plan({ 'requirements.txt': 'flask\n', 'main.py': '', 'app.py': '' });
    expect(p.start).toBeNull();
    expect(p.test).toBeNull();
  });

  it('does not guess between two FastAPI modules, falling back to no start', async () => {
    const p = await plan({ 'requirements.txt': 'fastapi\n', 'main.py': FASTAPI_MAIN, 'server.py': FASTAPI_MAIN });
    expect(p.start).toBeNull();
  });

  it('refuses a Pipfile-only project with the fix', async () => {
    const result = await pythonToolchain.plan(fakeRepo({ Pipfile: '[packages]\n', 'app.py': '' }));
    expect(result).toEqual({ ok: false, problem: expect.stringMatching(/pipenv requirements > requirements.txt/) });
  });

  it('puts the venv first on PATH for the build and the server', () => {
    for (const env of [pythonToolchain.buildEnv, pythonToolchain.runEnv]) {
      expect(env.PATH?.split(':')[0]).toBe('/workspace/app/.venv/bin');
      expect(env.VIRTUAL_ENV).toBe('/workspace/app/.venv');
      expect(env.HOME).toBe('/tmp');
    }
    expect(pythonToolchain.packIgnore).toContain('.venv');
  });
});

describe('python toolchain: pytest summary (output of pytest 9.2 on Python 3.11)', () => {
  it('reads the -q closing line', () => {
    const output = [
      '.FFs.                                                                    [100%]',
      '=================================== FAILURES ===================================',
      'test_x.py:4: ValueError',
      '=========================== short test summary info ============================',
      'FAILED test_x.py::test_b - assert 1 == 2',
      'FAILED test_x.py::test_c - ValueError: boom',
      '2 failed, 2 passed, 1 skipped in 0.02s',
    ].join('\n');
    expect(parsePytestSummary(output)).toEqual({ runner: 'pytest', passed: 2, failed: 2 });
  });

  it('reads the ruled closing line of the default output', () => {
    expect(parsePytestSummary('FAILED test_x.py::test_c - ValueError: boom\n==================== 2 failed, 2 passed, 1 skipped in 0.02s ====================\n')).toEqual({ runner: 'pytest', passed: 2, failed: 2 });
    expect(parsePytestSummary('..                                                                       [100%]\n2 passed in 0.00s\n')).toEqual({ runner: 'pytest', passed: 2, failed: 0 });
  });

  it('counts collection errors as failures and ignores warnings', () => {
    expect(parsePytestSummary('ERROR test_bad.py\n!!!!!!!!!!!!!!!!!!!! Interrupted: 1 error during collection !!!!!!!!!!!!!!!!!!!!\n1 error in 0.24s\n')).toEqual({ runner: 'pytest', passed: 0, failed: 1 });
    expect(parsePytestSummary('11 passed, 3 warnings in 0.64s')).toEqual({ runner: 'pytest', passed: 11, failed: 0 });
  });

  it('says nothing without a summary line', () => {
    expect(parsePytestSummary('ModuleNotFoundError: No module named pytest\n')).toBeNull();
  });
});

describe('python toolchain: leak patterns', () => {
  // A real traceback (python3 /tmp/pyfix/boom.py), as a careless handler returns it in JSON.
  const TRACEBACK = [
    'Traceback (most recent call last):',
    '  File "/tmp/pyfix/boom.py", line 4, in <module>',
    '    handler("{}")',
    '  File "/tmp/pyfix/boom.py", line 3, in handler',
    '    return json.loads(body)["name"]',
    "KeyError: 'name'",
  ].join('\n');

  it('finds a traceback and its frames, raw or inside a JSON string', () => {
    expect(leaksIn(pythonToolchain.leakPatterns, TRACEBACK)).toEqual(['a Python traceback', 'a Python stack frame']);
    expect(leaksIn(pythonToolchain.leakPatterns, JSON.stringify({ error: TRACEBACK }))).toEqual(['a Python traceback', 'a Python stack frame']);
    expect(leaksIn(pythonToolchain.leakPatterns, '{"detail":"/usr/local/lib/python3.12/site-packages/fastapi/routing.py"}')).toEqual(['site-packages']);
  });

  it('finds nothing in ordinary JSON error bodies', () => {
    for (const body of [
      '{"type":"about:blank","title":"Invalid item","status":400,"detail":"name must be a string of 1 to 200 characters","errors":[{"field":"name","message":"must be a string of 1 to 200 characters"}]}',
      '{"detail":[{"type":"missing","loc":["body","name"],"msg":"Field required","input":{}}]}',
      '{"error":"File \\"report.csv\\" is too large"}',
    ]) {
      expect(leaksIn(pythonToolchain.leakPatterns, body)).toEqual([]);
    }
  });
});
