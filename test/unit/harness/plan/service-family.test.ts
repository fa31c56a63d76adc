import { describe, expect, it } from 'vitest';
import { serviceFamily } from '../../../../harness/baseline/service-family.ts';
import type { RepoFiles } from '../../../../sandbox/toolchains/toolchain.ts';

const files = (entries: Record<string, string>): RepoFiles => ({ has: (file) => file in entries, read: async (file) => entries[file] ?? null });

describe('service family (what throughput is compared within)', () => {
  it('names the framework a project depends on, or the bare runtime', async () => {
    expect(await serviceFamily(files({ 'package.json': '{"dependencies": {"express": "5.1.0"}}' }), 'node')).toBe('node/express');
    expect(await serviceFamily(files({ 'package.json': '{"dependencies": {"@hapi/hapi": "21"}}' }), 'node')).toBe('node/hapi');
    expect(await serviceFamily(files({ 'package.json': '{"name": "x", "scripts": {"start": "node server.js"}}' }), 'node')).toBe('node/node:http');
    expect(await serviceFamily(files({ 'requirements.txt': 'Flask==3.0\ngunicorn\n' }), 'python')).toBe('python/flask');
    expect(await serviceFamily(files({ 'pyproject.toml': 'dependencies = [\n  "fastapi>=0.110",\n]' }), 'python')).toBe('python/fastapi');
    expect(await serviceFamily(files({}), 'python')).toBe('python/the standard library');
    expect(await serviceFamily(files({ 'go.mod': 'module x\nrequire github.com/gin-gonic/gin v1.10.0\n' }), 'go')).toBe('go/gin');
    expect(await serviceFamily(files({ 'go.mod': 'module x\ngo 1.22\n' }), 'go')).toBe('go/net/http');
    expect(await serviceFamily(files({ 'pom.xml': '<artifactId>spring-boot-starter-web</artifactId>' }), 'java')).toBe('java/spring-boot');
    expect(await serviceFamily(files({}), 'command')).toBe('command');
  });

  it('a framework named only in a description or a dev script is not a dependency', async () => {
    // express as a dev dependency (a test double) or a word in the description.
    expect(await serviceFamily(files({ 'package.json': '{"description": "an express-like server", "devDependencies": {"express": "5", "supertest": "7"}}' }), 'node')).toBe('node/node:http');
  });
});
