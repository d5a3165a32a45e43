// Outbound proxies for calls to Fay: HTTPS_PROXY / HTTP_PROXY / NO_PROXY (or lowercase), with
// Node's built-in proxy support. Node ≥ 24.14 turns it on at runtime (http.setGlobalProxyFromEnv,
// for fetch and node:http alike); on older Node the user sets NODE_USE_ENV_PROXY=1 (Node ≥ 22.21),
// which Node reads at start. Nothing is done when no proxy variable is set.
import http from 'node:http';

const PROXY_VARIABLES = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy'];

/** Returns a line for stderr when a proxy is set but this Node cannot apply it by itself. */
export function useEnvProxy(env: NodeJS.ProcessEnv): string | undefined {
  if (!PROXY_VARIABLES.some((name) => env[name])) return undefined;
  if (env.NODE_USE_ENV_PROXY === '1') return undefined; // Node applied it at start
  const setGlobal = (http as { setGlobalProxyFromEnv?: (env: NodeJS.ProcessEnv) => unknown })
    .setGlobalProxyFromEnv;
  if (typeof setGlobal === 'function') {
    setGlobal(env);
    return undefined;
  }
  return (
    `a proxy variable is set but Node ${process.version} applies it only with ` +
    'NODE_USE_ENV_PROXY=1 in the environment (Node ≥ 22.21), or on Node ≥ 24.14.'
  );
}
