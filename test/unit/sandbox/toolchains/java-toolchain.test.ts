import { describe, expect, it } from 'vitest';
import { javaToolchain } from '../../../../sandbox/toolchains/java/java-toolchain.ts';
import { parseSurefireSummary } from '../../../../sandbox/toolchains/java/test-summary.ts';
import { TRUSTSTORE, TRUSTSTORE_PRELUDE } from '../../../../sandbox/toolchains/java/java-plan.ts';
import type { ToolchainPlan } from '../../../../sandbox/toolchains/toolchain.ts';
import { fakeRepo, leaksIn } from './fake-repo.ts';

async function plan(files: Record<string, string>): Promise<ToolchainPlan> {
  const result = await javaToolchain.plan(fakeRepo(files));
  if (!result.ok) throw new Error(result.problem);
  return result.plan;
}

const POM_WITH_JUNIT = '<project><dependencies><dependency><groupId>org.junit.jupiter</groupId><artifactId>junit-jupiter</artifactId><scope>test</scope></dependency></dependencies></project>';

describe('java toolchain: detect', () => {
  it('is certain of pom.xml', () => {
    expect(javaToolchain.detect(fakeRepo({ 'pom.xml': '<project/>' }))).toEqual({ confidence: 'certain', because: 'pom.xml' });
  });

  it.each(['build.gradle', 'build.gradle.kts'])('leaves %s to the unsupported path', (file) => {
    expect(javaToolchain.detect(fakeRepo({ [file]: '', 'settings.gradle': '' }))).toBeNull();
  });
});

describe('java toolchain: plan', () => {
  it('packages without tests, runs the one runnable jar and tests offline with Surefire reports', async () => {
    const p = await plan({ 'pom.xml': POM_WITH_JUNIT });
    expect(p.install).toBeNull();
    expect(p.build?.cmd.slice(0, 2)).toEqual(['sh', '-c']);
    expect(p.build?.display).toBe('mvn package -DskipTests');
    expect(p.build?.cmd[2]).toContain('mvn -B -q -DskipTests package || exit $?');
    expect(p.start?.cmd[0]).toBe('sh');
    expect(p.start?.cmd[2]).toMatch(/exec java -jar "\$1"$/);
    expect(p.test?.cmd[2]).toMatch(/^mvn -B -q -o test; status=\$\?; find \. -path "\*\/surefire-reports\/\*\.txt"/);
  });

  it('fetches the Surefire provider in the build (by a test run that selects no method), only when there are tests', async () => {
    const withTests = (await plan({ 'pom.xml': POM_WITH_JUNIT })).build?.cmd[2] ?? '';
    expect(withTests).toMatch(/mvn -B -q test -Dtest="#\w+" -Dsurefire\.failIfNoSpecifiedTests=false/);
    const without = (await plan({ 'pom.xml': '<project><artifactId>x</artifactId></project>' })).build?.cmd[2] ?? '';
    expect(without).not.toContain('-Dtest=');
  });

  it('has no test step when the POM names no test framework', async () => {
    expect((await plan({ 'pom.xml': '<project><artifactId>x</artifactId></project>' })).test).toBeNull();
  });

  it('turns the CA bundle into a PKCS12 truststore for Maven before the build, only when one was copied in', async () => {
    const build = (await plan({ 'pom.xml': POM_WITH_JUNIT })).build?.cmd[2] ?? '';
    expect(build.indexOf(TRUSTSTORE_PRELUDE)).toBe(0);
    expect(TRUSTSTORE_PRELUDE).toMatch(/^if \[ -n "\$\{SSL_CERT_FILE:-\}" \] && \[ -f "\$SSL_CERT_FILE" \]; then/);
    expect(TRUSTSTORE_PRELUDE).toContain('generateCertificates(in)');
    expect(TRUSTSTORE_PRELUDE).toContain(`-Djavax.net.ssl.trustStore=${TRUSTSTORE} -Djavax.net.ssl.trustStoreType=PKCS12`);
    expect(javaToolchain.caBundleEnv).toEqual(['SSL_CERT_FILE']);
  });

  it('keeps a per-job Maven repository in the workspace (no shared cache: Maven does not verify what it re-reads)', () => {
    expect(javaToolchain.buildEnv.MAVEN_OPTS).toBe('-Duser.home=/tmp -Dmaven.repo.local=/workspace/home/.m2/repository');
    expect(javaToolchain.caches).toEqual([]);
    expect(javaToolchain.packIgnore).toEqual(['target']);
  });

  it('runs the jar on a JRE image and builds on the Maven one', () => {
    expect(javaToolchain.image).toBe('maven:3-eclipse-temurin-21');
    expect(javaToolchain.runImage).toBe('eclipse-temurin:21-jre');
  });
});

describe('java toolchain: Surefire summary (output of Maven 3.8.7 with Surefire 3.2.5, trimmed)', () => {
  const FAILING = [
    '[INFO] Running items.ServerTest',
    '[ERROR] Tests run: 3, Failures: 1, Errors: 1, Skipped: 0, Time elapsed: 0.068 s <<< FAILURE! -- in items.ServerTest',
    '[ERROR] items.ServerTest.throwsError -- Time elapsed: 0.009 s <<< ERROR!',
    'java.lang.IllegalStateException: boom',
    '\tat items.ServerTest.throwsError(ServerTest.java:7)',
    '[INFO] Results:',
    '[ERROR] Failures: ',
    '[ERROR]   ServerTest.addsBadly:6 expected: <4> but was: <3>',
    '[ERROR] Tests run: 3, Failures: 1, Errors: 1, Skipped: 0',
    '[INFO] BUILD FAILURE',
  ].join('\n');

  it('reads the aggregate line, errors counting as failures', () => {
    expect(parseSurefireSummary(FAILING)).toEqual({ runner: 'surefire', passed: 1, failed: 2 });
  });

  it('sums the per-class lines of the reports when -q hid the aggregate (all passed)', () => {
    const quiet = [
      '-------------------------------------------------------------------------------',
      'Test set: items.ServerTest',
      '-------------------------------------------------------------------------------',
      'Tests run: 15, Failures: 0, Errors: 0, Skipped: 0, Time elapsed: 3.402 s -- in items.ServerTest',
      'Tests run: 4, Failures: 0, Errors: 0, Skipped: 1, Time elapsed: 0.047 s -- in items.JsonTest',
    ].join('\n');
    expect(parseSurefireSummary(quiet)).toEqual({ runner: 'surefire', passed: 18, failed: 0 });
  });

  it('sums the aggregates of a multi-module build and says nothing without Surefire', () => {
    expect(parseSurefireSummary('[INFO] Tests run: 2, Failures: 0, Errors: 0, Skipped: 0\n[INFO] Tests run: 5, Failures: 1, Errors: 0, Skipped: 1\n')).toEqual({ runner: 'surefire', passed: 5, failed: 1 });
    expect(parseSurefireSummary('[INFO] No tests to run.\n')).toBeNull();
  });
});

describe('java toolchain: leak patterns', () => {
  // A real uncaught exception (java Boom.java), as a handler that returns the trace in JSON leaks it.
  const TRACE = [
    'Exception in thread "main" java.lang.ClassCastException: class java.lang.String cannot be cast to class java.lang.Integer',
    '\tat Boom.parse(Boom.java:3)',
    '\tat Boom.main(Boom.java:4)',
  ].join('\n');

  it('finds the frames and the uncaught exception, raw or in JSON', () => {
    expect(leaksIn(javaToolchain.leakPatterns, TRACE)).toEqual(['a Java stack frame', 'an uncaught Java exception']);
    expect(leaksIn(javaToolchain.leakPatterns, JSON.stringify({ trace: TRACE }))).toEqual(['a Java stack frame', 'an uncaught Java exception']);
    expect(leaksIn(javaToolchain.leakPatterns, '\tat java.base/java.util.ArrayList.forEach(ArrayList.java:1511)')).toEqual(['a Java stack frame']);
  });

  it("finds Spring's Whitelabel page", () => {
    const page = '<html><body><h1>Whitelabel Error Page</h1><p>This application has no explicit mapping for /error, so you are seeing this as a fallback.</p></body></html>';
    expect(leaksIn(javaToolchain.leakPatterns, page)).toEqual(["Spring's Whitelabel Error Page"]);
  });

  it('finds nothing in ordinary JSON error bodies', () => {
    for (const body of [
      '{"type":"about:blank","title":"Bad Request","status":400,"detail":"Failed to read request","instance":"/items"}',
      '{"timestamp":"2026-12-02T13:51:21.139+00:00","status":404,"error":"Not Found","path":"/items/x"}',
      '{"error":"price_cents: must be greater than or equal to 0 (at index 0)"}',
    ]) {
      expect(leaksIn(javaToolchain.leakPatterns, body)).toEqual([]);
    }
  });
});
