import type { CommandStep, PlanResult, RepoFiles } from '../toolchain.ts';

// Build plugins that make a second jar next to the runnable one (sources, javadoc, the
// shade plugin's pre-shading original, test jars) are ruled out by name.
const START = [
  'set -- $(ls target/*.jar 2>/dev/null | grep -v -e "-sources\\.jar$" -e "-javadoc\\.jar$" -e "-tests\\.jar$" -e "/original-[^/]*$")',
  'if [ "$#" -ne 1 ]; then echo "grader: expected exactly one runnable jar in target/, found $#: $*" >&2; exit 1; fi',
  'exec java -jar "$1"',
].join('; ');

/** Where the build step writes the truststore made from the CA bundle (the container's own tmpfs). */
export const TRUSTSTORE = '/tmp/grader-truststore.p12';

/**
 * The JVM reads no PEM bundle, so Maven would trust only the image's cacerts and fail on a
 * registry reached through an intercepting proxy. When the harness copied the host's bundle
 * in (SSL_CERT_FILE points at it), this prelude turns it into a PKCS12 truststore and
 * points Maven's JVM at it. keytool imports one certificate per call, a JVM start each
 * (minutes for a 140-certificate bundle on one CPU); one single-file Java program
 * (`java File.java`, any JDK from 11) reads the whole bundle with CertificateFactory.
 */
export const TRUSTSTORE_PRELUDE = [
  'if [ -n "${SSL_CERT_FILE:-}" ] && [ -f "$SSL_CERT_FILE" ]; then',
  "cat > /tmp/GraderTrust.java <<'GRADER_EOF'",
  'import java.io.*; import java.security.KeyStore; import java.security.cert.*;',
  'public class GraderTrust { public static void main(String[] a) throws Exception {',
  '  KeyStore store = KeyStore.getInstance("PKCS12"); store.load(null, null); int n = 0;',
  '  try (InputStream in = new BufferedInputStream(new FileInputStream(a[0]))) {',
  '    for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) store.setCertificateEntry("ca-" + n++, c);',
  '  }',
  '  if (n == 0) throw new IllegalStateException("no certificate in " + a[0]);',
  '  try (OutputStream out = new FileOutputStream(a[1])) { store.store(out, "changeit".toCharArray()); }',
  '} }',
  'GRADER_EOF',
  `java /tmp/GraderTrust.java "$SSL_CERT_FILE" ${TRUSTSTORE} || { echo "grader: could not make a Java truststore from $SSL_CERT_FILE" >&2; exit 1; }`,
  `export MAVEN_OPTS="\${MAVEN_OPTS:-} -Djavax.net.ssl.trustStore=${TRUSTSTORE} -Djavax.net.ssl.trustStoreType=PKCS12 -Djavax.net.ssl.trustStorePassword=changeit"`,
  'fi',
].join('\n');

/**
 * Maven reads neither HTTPS_PROXY nor (with its native transport) the JVM's proxy
 * properties: when the job's egress proxy is set, this prelude writes it into the
 * settings.xml of the JVM's user.home (/tmp, see BASE_OPTS) for http and https.
 */
export const PROXY_PRELUDE = [
  'if [ -n "${HTTPS_PROXY:-}" ]; then',
  '  grader_proxy="${HTTPS_PROXY#*://}"; grader_proxy="${grader_proxy%%/*}"',
  '  grader_proxy_host="${grader_proxy%:*}"; grader_proxy_port="${grader_proxy##*:}"',
  '  mkdir -p /tmp/.m2',
  '  { echo "<settings><proxies>"',
  '    for grader_protocol in https http; do',
  '      echo "<proxy><id>grader-$grader_protocol</id><active>true</active><protocol>$grader_protocol</protocol><host>$grader_proxy_host</host><port>$grader_proxy_port</port></proxy>"',
  '    done',
  '    echo "</proxies></settings>"; } > /tmp/.m2/settings.xml',
  'fi',
].join('\n');

/**
 * Surefire resolves its test-framework provider (surefire-junit-platform, -junit4, -testng)
 * only when it runs tests, so after `package -DskipTests` the offline test step could not
 * start. A `test` run whose filter names a method no class has (`#…`) resolves the
 * provider and runs nothing: test classes are scanned and loaded, none is executed. A
 * failure here is not the build's: the test step then reports what is missing.
 */
const FETCH_TEST_PROVIDER = [
  'mvn -B -q test -Dtest="#graderFetchesTheTestProviderOnly" -Dsurefire.failIfNoSpecifiedTests=false -DfailIfNoTests=false >/tmp/grader-provider.log 2>&1',
  '|| { echo "grader: could not fetch the Surefire provider ahead of the offline test step:" >&2; tail -5 /tmp/grader-provider.log >&2; }',
].join(' ');

const BUILD = 'mvn -B -q -DskipTests package';

// Offline (-o): the test step has no network, and everything it needs was fetched by the
// build into the job's repository. Surefire's console summary is silent under -q when
// every test passes; its reports are not.
const TEST = 'mvn -B -q -o test; status=$?; find . -path "*/surefire-reports/*.txt" -exec cat {} + 2>/dev/null; exit $status';

/** A test framework in the POM: otherwise `mvn test` would only say "No tests to run". */
const TEST_DEPENDENCY = /junit|testng|spring-boot-starter-test|<scope>\s*test\s*<\/scope>/i;

/** Maven: `mvn package` without tests, `java -jar` the one runnable jar, `mvn test` with its Surefire reports. */
export async function planMaven(files: RepoFiles): Promise<PlanResult> {
  const pom = await files.read('pom.xml');
  if (pom === null) return { ok: false, problem: 'no pom.xml at the root of the submission (or it is larger than 1 MiB)' };
  const shell = (script: string, display: string): CommandStep => ({ cmd: ['sh', '-c', script], display });
  const hasTests = TEST_DEPENDENCY.test(pom);
  const build = [TRUSTSTORE_PRELUDE, PROXY_PRELUDE, `${BUILD} || exit $?`, ...(hasTests ? [FETCH_TEST_PROVIDER] : []), 'exit 0'].join('\n');
  return {
    ok: true,
    plan: {
      // Dependencies resolve during the build; a separate dependency:go-offline misses
      // plugins resolved late (Surefire's providers) and would only double the time.
      install: null,
      build: shell(build, 'mvn package -DskipTests'),
      test: hasTests ? shell(TEST, 'mvn test') : null,
      start: shell(START, 'java -jar target/<the runnable jar>'),
    },
  };
}
