// The consent page in a real browser: Debian's Chromium (installed with apt-get when missing),
// driven by playwright-core, with a fresh profile. A user opens the authorization URL, types the
// key, presses Allow and lands on the client's redirect with a code that buys a working token; the
// same by keyboard alone; a key Fay rejects shows the page again, saying why; Deny needs no key;
// a page on another origin that frames the consent page gets nothing. The console shows no
// errors on the way.
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { aptInstall } from '../support/apt.ts';
import { startFayServer, type FayServer } from '../support/fay-server.ts';
import { startSignIn, type SignInStart } from '../support/oauth-sign-in.ts';
import { LIST_TOOLS, post } from '../support/mcp.ts';
import { startOAuthDeployment, type OAuthDeployment } from './oauth-deployment.ts';

const CHROMIUM = '/usr/bin/chromium';
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
/** Distinctive, so any echo of it is visible. */
const KEY = 'fay_browser_user_key_Hk42Pz7Vn';
const WRONG_KEY = 'fay_not_a_known_key_Jr58Tb3Wq';

let fay: FayServer;
let ours: OAuthDeployment;
let profile: string;
let browser: BrowserContext;
/** The client's site: its redirect endpoint and a page of another origin that frames things. */
let site: Server;
let siteUrl: string;
const callbacks: URL[] = [];

async function ensureChromium(): Promise<void> {
  if (existsSync(CHROMIUM)) return;
  if (!(await aptInstall(['chromium'])) || !existsSync(CHROMIUM)) {
    throw new Error('The browser tests need Chromium: apt-get install chromium (as root).');
  }
}

beforeAll(async () => {
  await ensureChromium();
  fay = await startFayServer({ apiKeys: [KEY] });
  ours = await startOAuthDeployment({ fayUrl: fay.url });
  site = createServer((req, res) => {
    const url = new URL(req.url ?? '/', siteUrl);
    res.setHeader('content-type', 'text/html; charset=utf-8');
    if (url.pathname === '/callback') {
      callbacks.push(url);
      res.end('<!doctype html><title>Back at the client</title><p>Signed in.</p>');
    } else if (url.pathname === '/framer') {
      // The consent page in one frame; a frameable page in the other, to show framing works here.
      const src = (url.searchParams.get('src') ?? '')
        .replaceAll('&', '&amp;')
        .replaceAll('"', '&quot;');
      res.end(
        `<!doctype html><title>Framer</title>` +
          `<iframe name="consent" src="${src}"></iframe>` +
          `<iframe name="control" src="/frameable"></iframe>`,
      );
    } else if (url.pathname === '/favicon.ico') {
      res.writeHead(204).end(); // the browser asks for it; a 404 would be a console error
    } else if (url.pathname === '/frameable') {
      res.end('<!doctype html><title>Frameable</title><p>Framed content</p>');
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
  siteUrl = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
  profile = await mkdtemp(join(tmpdir(), 'fay-chromium-'));
  browser = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
  });
});
afterAll(async () => {
  await browser?.close();
  if (profile) await rm(profile, { recursive: true, force: true });
  if (site) {
    site.closeAllConnections();
    await new Promise<void>((resolve) => site.close(() => resolve()));
  }
  await ours?.stop();
  await fay?.close();
});

let pages: Page[] = [];
afterEach(async () => {
  await Promise.all(pages.map((page) => page.close()));
  pages = [];
  for (const replica of ours.replicas) expect(replica.stderr()).not.toContain(KEY);
});

/** A new tab, and the console errors (and uncaught page errors) it shows. */
async function newPage(): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage();
  pages.push(page);
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`${message.text()} (${message.location().url})`);
  });
  page.on('pageerror', (error) => errors.push(error.message));
  return { page, errors };
}

const callbackUrl = () => `${siteUrl}/callback`;

/** A new tab on the consent page of a new sign-in (registration and PKCE done by the client). */
async function openConsentPage(): Promise<{ page: Page; errors: string[]; start: SignInStart }> {
  const { page, errors } = await newPage();
  const start = await startSignIn(ours.publicUrl, callbackUrl());
  const opened = await page.goto(start.authorizationUrl.href);
  expect(opened?.status()).toBe(200);
  return { page, errors, start };
}

/** The browser is back at the client: check the answer, trade the code, use the token. */
async function expectSignedIn(page: Page, start: SignInStart): Promise<void> {
  await page.waitForURL((url) => url.href.startsWith(callbackUrl()));
  const back = new URL(page.url());
  expect(back.searchParams.get('state')).toBe(start.state);
  expect(back.searchParams.get('iss')).toBe(ours.publicUrl);
  const code = back.searchParams.get('code');
  expect(code).toBeTruthy();
  expect(callbacks.map(String)).toContain(back.href);
  const tokens = await start.finish(code!);
  const listed = await post(ours.mcpUrl, LIST_TOOLS, {
    authorization: `Bearer ${tokens.access_token}`,
  });
  expect(listed.status).toBe(200);
  expect(await listed.text()).toContain('fay_start_research');
}

/** Tab (no mouse) until `matches` says the focused element is the one wanted. */
async function tabTo(page: Page, what: string, matches: string): Promise<void> {
  for (let presses = 0; presses < 20; presses++) {
    const focused = await page.evaluate(
      (selector) => document.activeElement?.matches(selector) ?? false,
      matches,
    );
    if (focused) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached ${what} (${matches}).`);
}

describe('consent in Chromium', () => {
  it('open, type the key, press Allow: back at the client with a code that works', async () => {
    const { page, errors, start } = await openConsentPage();
    await page.getByLabel('Fay API key').fill(KEY);
    await page.getByRole('button', { name: 'Allow' }).click();
    await expectSignedIn(page, start);
    expect(errors).toEqual([]);
  });

  it('by keyboard alone: Tab to the key, type it, Tab to Allow, Enter', async () => {
    const { page, errors, start } = await openConsentPage();
    await tabTo(page, 'the key field', 'input[type=password][name=fay_api_key]');
    await page.keyboard.type(KEY);
    await tabTo(page, 'Allow', '[name=decision][value=allow]');
    await page.keyboard.press('Enter');
    await expectSignedIn(page, start);
    expect(errors).toEqual([]);
  });

  it('a key Fay rejects: the page again, saying why; then the right key goes through', async () => {
    const { page, errors, start } = await openConsentPage();
    const before = callbacks.length;
    await page.getByLabel('Fay API key').fill(WRONG_KEY);
    const [answer] = await Promise.all([
      page.waitForResponse((response) => response.request().method() === 'POST'),
      page.getByRole('button', { name: 'Allow' }).click(),
    ]);
    expect(answer.status()).toBe(200);
    await page.waitForLoadState();
    expect(callbacks.length).toBe(before);
    expect(new URL(page.url()).origin).toBe(ours.publicUrl);
    const why = await page.getByRole('alert').innerText();
    expect(why).toMatch(/key/i);
    expect(await page.content()).not.toContain(WRONG_KEY);
    await expect(page.getByLabel('Fay API key').inputValue()).resolves.toBe('');
    // The page shown again is a working consent page.
    await page.getByLabel('Fay API key').fill(KEY);
    await page.getByRole('button', { name: 'Allow' }).click();
    await expectSignedIn(page, start);
    expect(errors).toEqual([]);
  });

  it('Deny needs no key: back at the client with access_denied and no code', async () => {
    const { page, errors, start } = await openConsentPage();
    // Allow with the field empty: the browser's own validation keeps the form from being sent.
    let posted = 0;
    page.on('request', (request) => {
      if (request.method() === 'POST') posted += 1;
    });
    await page.getByRole('button', { name: 'Allow' }).click();
    expect(posted).toBe(0);
    await page.getByRole('button', { name: 'Deny' }).click();
    await page.waitForURL((url) => url.href.startsWith(callbackUrl()));
    expect(posted).toBe(1); // Deny's own: Allow's never went
    const back = new URL(page.url());
    expect(back.searchParams.get('error')).toBe('access_denied');
    expect(back.searchParams.get('state')).toBe(start.state);
    expect(back.searchParams.get('iss')).toBe(ours.publicUrl);
    expect(back.searchParams.get('code')).toBeNull();
    expect(errors).toEqual([]);
  });

  it('a page of another origin that frames the consent page gets nothing rendered', async () => {
    const { page, errors } = await newPage();
    const start = await startSignIn(ours.publicUrl, callbackUrl());
    const framer = new URL('/framer', siteUrl);
    framer.searchParams.set('src', start.authorizationUrl.href);
    await page.goto(framer.href);
    const control = page.frame({ name: 'control' })!;
    await expect(control.getByText('Framed content').count()).resolves.toBe(1);
    const consent = page.frame({ name: 'consent' })!;
    expect(consent.url()).not.toContain('/authorize');
    await expect(consent.locator('input[type=password]').count()).resolves.toBe(0);
    await expect(consent.getByText('Fay API key').count()).resolves.toBe(0);
    // Chromium says why: the consent page refused to be framed.
    expect(errors.join('\n')).toMatch(/frame-ancestors|X-Frame-Options/i);
  });
});
