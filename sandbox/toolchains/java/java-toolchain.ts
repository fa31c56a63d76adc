import { WORKSPACE_HOME } from '../../sandbox-job.ts';
import type { Toolchain } from '../toolchain.ts';
import { JAVA_LEAK_PATTERNS } from './leak-patterns.ts';
import { planMaven } from './java-plan.ts';
import { parseSurefireSummary } from './test-summary.ts';

/**
 * The job's own Maven repository, in the workspace's home beside the app (the workspace
 * root is not the sandbox user's to write): the build fills it (registries reachable) and
 * the offline test step reads it, each in its own container, while /tmp lives only as
 * long as one container.
 */
export const MAVEN_REPOSITORY = `${WORKSPACE_HOME}/.m2/repository`;
// The sandbox user has no passwd entry, so the JVM's user.home would be "?" and Maven would
// put its files in a folder of that name inside the workspace.
const BASE_OPTS = '-Duser.home=/tmp';

/**
 * Java with Maven. Gradle projects are deliberately not detected here: they need their own
 * toolchain (and a wrapper or an image with gradle), so they fall to "unsupported".
 */
export const javaToolchain: Toolchain = {
  id: 'java',
  title: 'Java (Maven)',
  image: 'maven:3-eclipse-temurin-21',
  // The jar needs a JRE only; the JDK and Maven stay in the build.
  runImage: 'eclipse-temurin:21-jre',
  lookedFor: 'pom.xml',
  detect: (files) => (files.has('pom.xml') ? { confidence: 'certain', because: 'pom.xml' } : null),
  // target/ holds what the build recreates; a committed jar must not win the start's jar search.
  // Maven resolves versions from pom.xml alone; it has no lockfile of its own.
  lockfiles: [],
  packIgnore: ['target'],
  plan: planMaven,
  buildEnv: {
    // The root is read-only and the build runs unprivileged: a home under /tmp, the repository in the workspace.
    HOME: '/tmp',
    MAVEN_OPTS: `${BASE_OPTS} -Dmaven.repo.local=${MAVEN_REPOSITORY}`,
    // The image sets /root/.m2, which the sandbox user cannot read, and mvnw passes this
    // variable on as command-line arguments ("Unknown lifecycle phase /root/.m2").
    MAVEN_CONFIG: '',
  },
  // Maven's JVM takes no PEM bundle: the build step turns the bundle SSL_CERT_FILE points
  // at into a PKCS12 truststore first (TRUSTSTORE_PRELUDE in java-plan.ts).
  caBundleEnv: ['SSL_CERT_FILE'],
  runEnv: { HOME: '/tmp' },
  // No shared repository: a Maven build runs plugins the POM names, i.e. the candidate's
  // code, with the repository writable, and Maven re-reads cached jars without checking
  // them, so a shared one could be poisoned for the next submission. Each job downloads
  // into its own (MAVEN_REPOSITORY); the price is the download, every grading.
  caches: [],
  parseTestSummary: parseSurefireSummary,
  leakPatterns: JAVA_LEAK_PATTERNS,
};
