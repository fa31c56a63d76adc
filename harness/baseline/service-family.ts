import type { RepoFiles } from '../../sandbox/toolchains/toolchain.ts';

/**
 * Web frameworks by toolchain, in the order they are looked for, with the text that
 * shows a project uses one (a dependency name in its manifest). A framework costs a
 * fixed overhead per request that says nothing about the candidate's code: throughput is
 * only compared within a family.
 */
const FRAMEWORKS: Record<string, { files: string[]; frameworks: Array<[string, RegExp]>; bare: string }> = {
  node: {
    files: ['package.json'],
    frameworks: [
      ['express', /"express"\s*:/],
      ['fastify', /"fastify"\s*:/],
      ['koa', /"koa"\s*:/],
      ['hapi', /"@hapi\/hapi"\s*:/],
      ['nest', /"@nestjs\/core"\s*:/],
      ['hono', /"hono"\s*:/],
      ['restify', /"restify"\s*:/],
    ],
    bare: 'node:http',
  },
  python: {
    files: ['requirements.txt', 'pyproject.toml', 'setup.py', 'Pipfile'],
    frameworks: [
      ['fastapi', /^\s*"?fastapi\b/im],
      ['flask', /^\s*"?flask\b/im],
      ['django', /^\s*"?django\b/im],
      ['starlette', /^\s*"?starlette\b/im],
      ['aiohttp', /^\s*"?aiohttp\b/im],
    ],
    bare: 'the standard library',
  },
  go: {
    files: ['go.mod'],
    frameworks: [
      ['gin', /github\.com\/gin-gonic\/gin\b/],
      ['echo', /github\.com\/labstack\/echo\b/],
      ['fiber', /github\.com\/gofiber\/fiber\b/],
      ['chi', /github\.com\/go-chi\/chi\b/],
      ['gorilla/mux', /github\.com\/gorilla\/mux\b/],
    ],
    bare: 'net/http',
  },
  java: {
    files: ['pom.xml', 'build.gradle', 'build.gradle.kts'],
    frameworks: [
      ['spring-boot', /spring-boot/],
      ['quarkus', /io\.quarkus/],
      ['micronaut', /io\.micronaut/],
      ['javalin', /io\.javalin/],
    ],
    bare: 'the JDK',
  },
};

/** "node/express", "go/net/http", …; the toolchain alone when it has no table here. */
export async function serviceFamily(files: RepoFiles, toolchainId: string): Promise<string> {
  const table = FRAMEWORKS[toolchainId];
  if (!table) return toolchainId;
  const texts = (await Promise.all(table.files.map((file) => files.read(file))))
    .filter((text): text is string => text !== null)
    .map((text) => (toolchainId === 'node' ? runtimeDependencies(text) : text));
  const found = table.frameworks.find(([, pattern]) => texts.some((text) => pattern.test(text)));
  return `${toolchainId}/${found ? found[0] : table.bare}`;
}

/** Only what the server runs with: a framework in devDependencies (a test helper) is not its family. */
function runtimeDependencies(packageJson: string): string {
  try {
    const parsed: unknown = JSON.parse(packageJson);
    const deps = parsed && typeof parsed === 'object' && 'dependencies' in parsed ? parsed.dependencies : null;
    return deps && typeof deps === 'object' ? JSON.stringify(deps) : '';
  } catch {
    return '';
  }
}
