// Network policy: which addresses the client may talk to, and when cleartext http is allowed.
// The one loopback rule serves both the client's cleartext check and the HTTP server's Host check.
import { FayValidationError } from './errors.js';

const BASE_URL_FIX =
  'Use the address of the Fay API, like https://api.fay.work (https, no user:password@, ' +
  'no ?query or #fragment).';

/**
 * Host names that never leave the machine: localhost and *.localhost, 127.0.0.0/8 and ::1 (bare or
 * bracketed).
 */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  return (
    host === 'localhost' ||
    host.endsWith('.localhost') ||
    host === '::1' ||
    host === '[::1]' ||
    /^127(\.\d{1,3}){3}$/.test(host)
  );
}

/**
 * Parses a base URL: https (http only on loopback, or with `allowInsecureHttp`), no credentials,
 * query or fragment; returned without a trailing '/'.
 */
export function validateBaseUrl(value: unknown, allowInsecureHttp = false): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw invalidBaseUrl(`is missing. ${BASE_URL_FIX}`);
  }
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    throw invalidBaseUrl(`is not a valid URL. ${BASE_URL_FIX}`);
  }
  const problem = baseUrlProblem(url, value, allowInsecureHttp);
  if (problem) throw invalidBaseUrl(`${problem}. ${BASE_URL_FIX}`);
  return url.href.replace(/\/+$/, '');
}

/** What makes a parsed base URL unusable, or null. `raw` is the text as given. */
function baseUrlProblem(url: URL, raw: string, allowInsecureHttp: boolean): string | null {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return `uses ${url.protocol} instead of http or https`;
  }
  if (url.username || url.password) return 'contains credentials (put the key in apiKey instead)';
  if (/[?#]/.test(raw)) return 'contains a ?query or #fragment (even an empty one)';
  if (url.protocol === 'http:' && !allowInsecureHttp && !isLoopbackHost(url.hostname)) {
    return (
      `uses http:// on ${url.hostname}, which is not this machine, so every request ` +
      'would send the API key unencrypted. Use https://, or set allowInsecureHttp if ' +
      'it is a trusted proxy on your own network'
    );
  }
  return null;
}

function invalidBaseUrl(problem: string): FayValidationError {
  return new FayValidationError(`baseUrl ${problem}`, { field: 'baseUrl', problem });
}
