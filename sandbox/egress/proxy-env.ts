/**
 * The variables every supported toolchain reads its proxy from, all pointed at the job's
 * egress proxy. curl, pip, Go, npm, pnpm and Yarn 1 read HTTP(S)_PROXY or the npm_config_
 * pair; Yarn Berry reads its own; Maven reads neither, and its build prelude turns
 * HTTPS_PROXY into a settings.xml proxy (sandbox/toolchains/java/java-plan.ts). NO_PROXY
 * is empty on purpose: nothing is reached directly.
 */
export function proxyEnv(proxyUrl: string): Record<string, string> {
  return {
    HTTP_PROXY: proxyUrl,
    HTTPS_PROXY: proxyUrl,
    http_proxy: proxyUrl,
    https_proxy: proxyUrl,
    NO_PROXY: '',
    no_proxy: '',
    npm_config_proxy: proxyUrl,
    npm_config_https_proxy: proxyUrl,
    YARN_HTTP_PROXY: proxyUrl,
    YARN_HTTPS_PROXY: proxyUrl,
  };
}
