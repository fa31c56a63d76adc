import { describe, expect, it } from 'vitest';
import { loadLockScope, parseEnginePool } from '../../../../harness/engines/engine-pool.ts';
import { dockerOptionsFor } from '../../../../sandbox/docker/connect-engine.ts';

describe('parseEnginePool', () => {
  it('reads YAML and JSON, resolving certificate paths beside the file', () => {
    const yaml = parseEnginePool('engines:\n  - { name: local, host: "unix:///var/run/docker.sock", slots: 2 }\n  - name: b\n    host: tcp://10.0.0.2:2376\n    slots: 4\n    tls: { ca: certs/ca.pem, cert: certs/cert.pem, key: certs/key.pem }\n', '/etc/grader/engines.yaml');
    expect(yaml.engines.map((engine) => [engine.name, engine.slots])).toEqual([['local', 2], ['b', 4]]);
    expect(yaml.engines[1]?.tls?.ca).toBe('/etc/grader/certs/ca.pem');
    expect(parseEnginePool('{"engines":[{"name":"a","host":"ssh://me@h","slots":1}]}', 'p.json').engines[0]?.host).toBe('ssh://me@h');
  });

  it('refuses unknown keys, bad hosts, zero slots and duplicate names, in one line naming the file', () => {
    const refused = (text: string) => {
      try {
        parseEnginePool(text, 'pool.yaml');
      } catch (error) {
        return (error as Error).message;
      }
      return 'accepted';
    };
    expect(refused('engines: [{ name: a, host: "unix:///s", slots: 1, cpus: 2 }]')).toMatch(/^pool\.yaml: engines\.0: .*cpus/);
    expect(refused('engines: [{ name: a, host: "http://x", slots: 1 }]')).toMatch(/^pool\.yaml: engines\.0\.host: a DOCKER_HOST value/);
    expect(refused('engines: [{ name: a, host: "unix:///s", slots: 0 }]')).toMatch(/engines\.0\.slots/);
    expect(refused('engines: [{ name: a, host: "unix:///s", slots: 1 }, { name: a, host: "unix:///t", slots: 1 }]')).toMatch(/"a" is listed twice/);
    expect(refused('engines: [')).toMatch(/^pool\.yaml: not valid YAML or JSON/);
    expect(refused('engines: []')).toMatch(/at least one engine/);
    for (const message of ['engines: [{ name: a, host: "unix:///s", slots: 1, cpus: 2 }]', 'engines: [']) expect(refused(message)).not.toContain('\n');
  });

  it('gives an engine on this host the machine\'s load lock and a remote one its own', () => {
    const [local, remote, forced] = parseEnginePool('engines:\n  - { name: l, host: "unix:///s", slots: 1 }\n  - { name: r, host: "ssh://h", slots: 1 }\n  - { name: f, host: "unix:///t", slots: 1, loadLock: engine }\n', 'p.yaml').engines;
    expect([local, remote, forced].map((engine) => (engine ? loadLockScope(engine) : 'missing'))).toEqual([null, 'r', 'f']);
  });
});

describe('dockerOptionsFor', () => {
  it('turns each DOCKER_HOST form into dockerode options', () => {
    expect(dockerOptionsFor('unix:///var/run/docker.sock')).toEqual({ socketPath: '/var/run/docker.sock' });
    expect(dockerOptionsFor('tcp://127.0.0.1:2375')).toEqual({ host: '127.0.0.1', port: 2375, protocol: 'http' });
    expect(dockerOptionsFor('tcp://engine-b:2376', { ca: 'C', cert: 'T', key: 'K' })).toEqual({ host: 'engine-b', port: 2376, protocol: 'https', ca: 'C', cert: 'T', key: 'K' });
    expect(dockerOptionsFor('ssh://grader@engine-c:2222')).toMatchObject({ protocol: 'ssh', host: 'engine-c', port: 2222, username: 'grader' });
  });

  it('refuses plain tcp to another machine, and other schemes', () => {
    expect(() => dockerOptionsFor('tcp://10.0.0.2:2375')).toThrow(/needs TLS/);
    expect(() => dockerOptionsFor('http://x')).toThrow(/unsupported scheme/);
    expect(() => dockerOptionsFor('unix://')).toThrow(/socket path/);
  });
});
