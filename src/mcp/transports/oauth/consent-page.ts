// The consent page: one small server-rendered HTML page, no script and no external assets. It says
// which app asks and where the browser will be sent, where to find a Fay key, and takes the key in
// one password field with Allow and Deny. Everything shown is HTML-escaped; the page cannot be
// framed (X-Frame-Options and CSP frame-ancestors), loads nothing, and sends its referrer only to
// itself, so the browser's POST carries an Origin header the server checks (CSRF).
import { createHash } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { redirectHost } from './clients.js';
import { NO_STORE } from './respond.js';

const STYLE = `
body{font:16px/1.5 system-ui,sans-serif;margin:0;background:#f6f6f4;color:#1c1c1c}
main{max-width:30rem;margin:3rem auto;padding:2rem;background:#fff;border-radius:.75rem;box-shadow:0 1px 4px #0002}
h1{font-size:1.35rem;margin:0 0 1rem}
.note{color:#555;font-size:.9rem}
.error{background:#fdecea;color:#8a1c12;padding:.6rem .8rem;border-radius:.4rem}
label{display:block;font-weight:600;margin:1.2rem 0 .3rem}
input{width:100%;box-sizing:border-box;padding:.55rem;font:inherit;border:1px solid #999;border-radius:.4rem}
.buttons{display:flex;gap:.75rem;margin-top:1.2rem}
button{flex:1;padding:.6rem;font:inherit;border-radius:.4rem;border:1px solid #1c1c1c;cursor:pointer}
button[value=allow]{background:#1c1c1c;color:#fff}
button[value=deny]{background:#fff;color:#1c1c1c}
:focus-visible{outline:3px solid #2a6df4;outline-offset:2px}
`;
const STYLE_HASH = createHash('sha256').update(STYLE).digest('base64');

/** Framing refused, nothing loaded but the page's own style, referrer kept to this origin. */
const PAGE_HEADERS: Record<string, string> = {
  'content-type': 'text/html; charset=utf-8',
  'x-frame-options': 'DENY',
  'content-security-policy': `default-src 'none'; style-src 'sha256-${STYLE_HASH}'; img-src data:; frame-ancestors 'none'; base-uri 'none'`,
  'referrer-policy': 'same-origin',
  'x-content-type-options': 'nosniff',
  ...NO_STORE,
};

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ESCAPES[char]!);
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<link rel="icon" href="data:,">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`;
}

export interface ConsentView {
  /** Where the form posts: `<public URL>/authorize`. */
  action: string;
  clientId: string;
  clientName: string | undefined;
  clientKind: 'registered' | 'document';
  redirectUri: string;
  /** The sealed consent request. */
  request: string;
  /** Why the page is shown again (a key Fay refused...). */
  error?: string;
}

function whoAsks(view: ConsentView): string {
  if (view.clientKind === 'document') {
    const host = `<strong>${escapeHtml(new URL(view.clientId).host)}</strong>`;
    return view.clientName
      ? `<strong>${escapeHtml(view.clientName)}</strong> (published by ${host})`
      : `An app published by ${host}`;
  }
  return view.clientName
    ? `<strong>${escapeHtml(view.clientName)}</strong> <span class="note">(the name the app gave itself)</span>`
    : 'An app without a name';
}

export function consentPage(view: ConsentView): string {
  const error = view.error ? `<p class="error" role="alert">${escapeHtml(view.error)}</p>\n` : '';
  return page(
    'Sign in to Fay',
    `<h1>Sign in to Fay</h1>
<p>${whoAsks(view)} asks to run Fay research with your Fay account.</p>
<p class="note">After you allow it, your browser goes back to <strong>${escapeHtml(redirectHost(view.redirectUri))}</strong>. The app gets a token, never your key.</p>
${error}<form method="post" action="${escapeHtml(view.action)}">
<input type="hidden" name="request" value="${escapeHtml(view.request)}">
<label for="fay_api_key">Fay API key</label>
<input type="password" id="fay_api_key" name="fay_api_key" autocomplete="off" spellcheck="false" required autofocus aria-describedby="key-help">
<p class="note" id="key-help">Find it in your Fay dashboard under API Keys (<a href="https://fay.work" target="_blank" rel="noopener noreferrer">fay.work</a>).</p>
<div class="buttons">
<button type="submit" name="decision" value="allow">Allow</button>
<button type="submit" name="decision" value="deny" formnovalidate>Deny</button>
</div>
</form>`,
  );
}

export function errorPage(message: string): string {
  return page(
    'Fay sign-in cannot continue',
    `<h1>Sign-in cannot continue</h1>
<p class="error" role="alert">${escapeHtml(message)}</p>
<p class="note">Nothing was shared with the app. Go back to it and connect again; if this keeps happening, tell whoever runs this Fay server.</p>`,
  );
}

export function sendPage(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, PAGE_HEADERS);
  res.end(html);
}
