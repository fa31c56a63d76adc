import { execa } from 'execa';
import { HarnessError } from '../../core/errors.ts';
import { STAND_IN_LABEL, type ImageRecipe } from './build-image.ts';
import { offlineImageName } from './resolve-image.ts';

/** A recipe without its name: the name is always offlineImageName(the image it stands in for). */
export type StandInRecipe = Omit<ImageRecipe, 'name'>;

export interface StandIn {
  /** The image real users pull, as a toolchain names it. */
  configured: string;
  /** How the stand-in differs from it, in a sentence (also a label on the image). */
  note: string;
  recipe(): Promise<StandInRecipe>;
}

/** Debian's directory names for its JVMs end with the architecture. */
function debianArch(): string {
  const arch = { x64: 'amd64', arm64: 'arm64', ppc64: 'ppc64el', s390x: 's390x' }[process.arch as string];
  if (!arch) throw new HarnessError(`no Debian architecture known for ${process.arch}`);
  return arch;
}

/** This machine's Go root and version; the Go stand-in copies that toolchain in. */
async function hostGo(): Promise<{ root: string; version: string }> {
  const found = await execa('go', ['env', 'GOROOT', 'GOVERSION'], { reject: false });
  const [root, version] = found.stdout.trim().split('\n');
  if (found.failed || !root || !version) throw new HarnessError('the Go stand-in copies this machine\'s Go toolchain, and `go env GOROOT` failed: install Go (https://go.dev/dl) or put it on PATH');
  return { root, version };
}

const JDK_VERSIONS = 'java -version 2>&1 | head -1; mvn -v 2>/dev/null | head -1';

/**
 * The offline stand-in of every image a toolchain names, built from Debian bookworm's
 * packages and this machine's toolchains. A stand-in keeps the paths and commands of its
 * original (`python`, `go` in /usr/local/go/bin, `mvn`, `java`) but not always its
 * version; each says how it differs in its STAND_IN_LABEL, which `grader doctor` shows.
 */
export const STAND_INS: readonly StandIn[] = [
  {
    configured: 'node:20-bookworm-slim',
    note: "this machine's node and npm on Debian bookworm",
    recipe: async () => ({ addNode: true, addNpm: true, user: 'node' }),
  },
  {
    configured: 'python:3.12-slim',
    note: "Debian bookworm's Python 3.11 standing in for 3.12",
    recipe: async () => ({
      addNode: false,
      addNpm: false,
      packages: ['python3', 'python3-venv', 'python3-pip', 'ca-certificates'],
      // The official image has `python` and `pip`; the Python toolchain's commands use them.
      links: { '/usr/local/bin/python': '/usr/bin/python3', '/usr/local/bin/pip': '/usr/bin/pip3' },
      env: { LANG: 'C.UTF-8' },
      cmd: ['python3'],
      versionCommand: 'python3 --version; pip3 --version | cut -d" " -f1-2',
    }),
  },
  {
    configured: 'golang:1.23-bookworm',
    note: "this machine's Go toolchain standing in for Go 1.23 (go.mod's go line still decides the language version)",
    async recipe() {
      const go = await hostGo();
      return {
        addNode: false,
        addNpm: false,
        // What the official image adds for fetching modules over VCS; cgo is off in the Go toolchain, so no gcc.
        packages: ['git', 'ca-certificates'],
        // The Go root's own test suite is 60 MB that no build reads.
        copies: [{ from: go.root, to: '/usr/local/go', exclude: ['test', '.git'] }],
        env: { PATH: '/go/bin:/usr/local/go/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', GOPATH: '/go', GOTOOLCHAIN: 'local' },
        hostVersions: { go: go.version },
        versionCommand: 'go version',
      };
    },
  },
  {
    configured: 'maven:3-eclipse-temurin-21',
    note: "Debian bookworm's OpenJDK 17 and Maven 3.8 standing in for Temurin 21 and Maven 3.9",
    recipe: async () => ({
      addNode: false,
      addNpm: false,
      packages: ['openjdk-17-jdk-headless', 'maven', 'ca-certificates', 'ca-certificates-java'],
      env: { JAVA_HOME: `/usr/lib/jvm/java-17-openjdk-${debianArch()}`, MAVEN_HOME: '/usr/share/maven', LANG: 'C.UTF-8' },
      cmd: ['mvn'],
      versionCommand: JDK_VERSIONS,
    }),
  },
  {
    configured: 'eclipse-temurin:21-jre',
    note: "Debian bookworm's OpenJDK 17 runtime standing in for Temurin 21",
    recipe: async () => ({
      addNode: false,
      addNpm: false,
      packages: ['openjdk-17-jre-headless', 'ca-certificates'],
      env: { JAVA_HOME: `/usr/lib/jvm/java-17-openjdk-${debianArch()}`, LANG: 'C.UTF-8' },
      cmd: ['java', '-version'],
      versionCommand: JDK_VERSIONS,
    }),
  },
  {
    configured: 'debian:bookworm-slim',
    note: 'a minbase debootstrap of Debian bookworm (the slim image is one too)',
    recipe: async () => ({ addNode: false, addNpm: false, cmd: ['bash'] }),
  },
];

export function findStandIn(configured: string): StandIn | undefined {
  const wanted = offlineImageName(configured);
  return STAND_INS.find((standIn) => offlineImageName(standIn.configured) === wanted);
}

/** The full recipe for `configured`'s stand-in; a clear error for an image without one. */
export async function standInRecipe(configured: string): Promise<ImageRecipe> {
  const standIn = findStandIn(configured);
  if (!standIn) {
    throw new HarnessError(`no offline recipe for ${configured} (there is one for ${STAND_INS.map((s) => s.configured).join(', ')}); pull it from a registry instead`);
  }
  const recipe = await standIn.recipe();
  return { ...recipe, name: offlineImageName(configured), labels: { ...recipe.labels, [STAND_IN_LABEL]: `${standIn.configured}: ${standIn.note}` } };
}
