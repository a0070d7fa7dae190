// Shared helpers for the browser tests: launch Debian's Chromium through
// playwright-core (no downloaded browser), open pages in fresh contexts that
// record everything a test may want to forbid, and run axe-core.
import { before, after } from 'node:test';
import { chromium } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import assert from 'node:assert/strict';

// The server under test. CI starts it on a loopback port and exports AH_BASE_URL.
export const BASE_URL = (process.env.AH_BASE_URL ?? 'http://127.0.0.1:18080').replace(/\/+$/, '');
const BASE_HOST = new URL(BASE_URL).hostname;

// The WCAG 2.1 AA rule set that BITV 2.0 refers to.
export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

export const VIEWPORTS = {
  desktop: { width: 1280, height: 900 },
  phone: { width: 375, height: 740 },
};

// Flags: root in a container needs --no-sandbox; the rest keep Chromium from
// talking to Google services, so that "no request leaves the host" is about the
// page alone. Playwright gives every launch a fresh temporary --user-data-dir.
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export async function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.AH_CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
  });
}

// Opens a fresh context (no shared cookies or cache between tests) and a page
// whose problems are collected in `problems`:
//   consoleErrors   console.error messages, including CSP "Refused to …" reports
//   pageErrors      uncaught exceptions
//   cspViolations   securitypolicyviolation events seen by the document
//   foreignRequests requests to any host other than the server's (aborted)
//   failedResponses subresources that answered >= 400 or failed to load
// Each test file is its own client, as different people are: scripts/test starts the server
// trusting X-Forwarded-For from loopback, and every browser context of a file sends the
// same address from the documentation range, derived from the file's name. So the
// server's per-client limits (30 logins in 15 minutes) count each file on its own, however
// many files the suite grows to; a server that trusts no proxy ignores the header.
export const CLIENT_ADDRESS = (() => {
  const file = process.argv[1] ?? '';
  let hash = 0;
  for (const ch of file) hash = (hash * 31 + ch.codePointAt(0)) >>> 0;
  return `198.51.100.${1 + (hash % 254)}`;
})();

export async function openPage(browser, { viewport = VIEWPORTS.desktop, javaScriptEnabled = true, colorScheme = 'light' } = {}) {
  const context = await browser.newContext({
    viewport, javaScriptEnabled, colorScheme, locale: 'de-DE',
    extraHTTPHeaders: { 'X-Forwarded-For': CLIENT_ADDRESS },
  });
  const problems = { consoleErrors: [], pageErrors: [], cspViolations: [], foreignRequests: [], failedResponses: [] };

  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (new URL(url).hostname === BASE_HOST) return route.continue();
    problems.foreignRequests.push(url);
    return route.abort('blockedbyclient');
  });

  // Runs before any page script; the CSP governs page content, not scripts the
  // test injects over the DevTools protocol, so this listener itself is allowed.
  await context.addInitScript(() => {
    window.__ahCsp = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__ahCsp.push(`${e.violatedDirective} blocked ${e.blockedURI || '(inline)'} at ${e.sourceFile}:${e.lineNumber}`);
    });
  });

  const page = await context.newPage();
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.consoleErrors.push({ text: msg.text(), url: msg.location().url });
  });
  page.on('pageerror', (err) => problems.pageErrors.push(String(err)));
  page.on('response', (res) => {
    if (res.status() >= 400 && res.request().resourceType() !== 'document') {
      problems.failedResponses.push(`${res.status()} ${res.url()}`);
    }
  });
  page.on('requestfailed', (req) => {
    if (!problems.foreignRequests.includes(req.url())) {
      problems.failedResponses.push(`failed ${req.url()}: ${req.failure()?.errorText}`);
    }
  });
  return { context, page, problems };
}

// Loads `path` and waits until web fonts are in, so contrast and layout checks
// see the final rendering. Returns the main document's HTTP status.
export async function visit(page, path, { waitForFonts = true } = {}) {
  const response = await page.goto(BASE_URL + path, { waitUntil: 'load' });
  if (waitForFonts) await page.evaluate(() => document.fonts.ready.then(() => undefined));
  return response.status();
}

export async function cspViolations(page) {
  return page.evaluate(() => window.__ahCsp ?? []);
}

// A browser reports an error status of the main document itself on the
// console ("Failed to load resource … 404"). For pages that are meant to be
// errors that one line is expected; everything else is a finding.
export function unexpectedConsoleErrors(problems, page, expectedStatus) {
  return problems.consoleErrors.filter((e) => !(
    expectedStatus >= 400 &&
    e.url === page.url() &&
    e.text.includes(`status of ${expectedStatus}`)
  ));
}

export async function runAxe(page) {
  const results = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze();
  return results.violations;
}

// One block per violation: rule, impact, what it means, and each failing node
// with its selector and axe's advice, so a failing run says what to fix.
export function formatViolations(violations) {
  return violations.map((v) => {
    const nodes = v.nodes.map((n) => {
      const summary = (n.failureSummary ?? '').split('\n').map((l) => `        ${l}`).join('\n');
      return `    - ${n.target.join(' ')}\n      ${n.html.slice(0, 200)}\n${summary}`;
    }).join('\n');
    return `[${v.impact}] ${v.id}: ${v.help}\n  ${v.helpUrl}\n${nodes}`;
  }).join('\n\n');
}

// Fails the test with axe's findings when the page has any WCAG 2.1 A/AA violation.
export async function noViolations(page, what) {
  const violations = await runAxe(page);
  assert.equal(violations.length, 0, `${what}:\n${formatViolations(violations)}`);
}

// Clicks and waits for the navigation the click starts (a link or a form's button).
export async function clickAndWait(page, selector) {
  await Promise.all([page.waitForNavigation(), page.click(selector)]);
}

// The newest .eml in DATA_DIR/outbox addressed to `to`, decoded from quoted-printable.
export async function latestMailTo(dataDir, to) {
  const dir = path.join(dataDir, 'outbox');
  const files = (await readdir(dir)).filter((f) => f.endsWith('.eml')).sort();
  for (const file of files.reverse()) {
    const raw = await readFile(path.join(dir, file), 'utf8');
    if (!raw.includes(`To: ${to}`)) continue;
    const body = raw.slice(raw.indexOf('\r\n\r\n') + 4);
    return body.replace(/=\r\n/g, '').replace(/=([0-9A-F]{2})/g, (_, hex) => String.fromCharCode(parseInt(hex, 16)));
  }
  assert.fail(`no mail to ${to} in ${dir}`);
}

// axe, CSP and console on the page as it is now; `status` is the document's.
export async function checkPage(page, problems, what, status = 200) {
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
  const violations = await runAxe(page);
  assert.equal(violations.length, 0, `${what}: axe found violations:\n\n${formatViolations(violations)}`);
  assert.deepEqual(await cspViolations(page), [], `${what}: CSP violations`);
  assert.deepEqual(unexpectedConsoleErrors(problems, page, status), [], `${what}: console errors`);
  problems.consoleErrors.length = 0;  // the next page starts clean
}

// The password of accounts the browser tests register.
export const PASSWORD = 'ein sicherer langer Satz';

// Submits the form and waits for the page it leads to.
export async function submit(page, formSelector) {
  await Promise.all([page.waitForNavigation(), page.click(`${formSelector} button[type=submit]`)]);
}

// The path and query of the first link to `path` in the newest mail to `to` (from the
// outbox of the server under test, AH_DATA_DIR).
export async function linkInMail(to, path) {
  const mail = await latestMailTo(process.env.AH_DATA_DIR, to);
  const found = mail.match(new RegExp(`https?://[^\\s]+(${path.replace('?', '\\?')}\\?token=[A-Za-z0-9_-]+)`));
  assert.ok(found, `no ${path} link in:\n${mail}`);
  return found[1];
}

// Registers a new account through the form, confirms it with the link from the mail and
// logs in, as a person would.
export async function registerAndLogIn(page, email, name = 'Tia Token') {
  await visit(page, '/konto/registrieren', { waitForFonts: false });
  await page.fill('#field-display_name', name);
  await page.fill('#field-email', email);
  await page.fill('#field-password', PASSWORD);
  await page.fill('#field-password_repeat', PASSWORD);
  await submit(page, 'form[action="/konto/registrieren"]');
  assert.equal(await visit(page, await linkInMail(email, '/konto/bestaetigen'), { waitForFonts: false }), 200);
  await visit(page, '/konto/anmelden', { waitForFonts: false });
  await page.fill('#field-email', email);
  await page.fill('#field-password', PASSWORD);
  await submit(page, 'form[action="/konto/anmelden"]');
  assert.equal(new URL(page.url()).pathname, '/konto');
}

// Every page the server ships so far, for the accessibility and behaviour suites. Add a
// page here when a module adds one.
export const PAGES = [
  { name: 'start page', path: '/', status: 200 },
  { name: '404 page', path: '/gibt-es-nicht', status: 404 },
  { name: 'organisations', path: '/organisationen', status: 200 },
  { name: 'organisations filtered', path: '/organisationen?type=gemeinde&kreis=15091&q=stadt', status: 200 },
  { name: 'a Gemeinde', path: '/organisationen/15091375', status: 200 },
  { name: 'members of a Gemeinde', path: '/organisationen/15091160/mitglieder', status: 200 },
  { name: 'a Landkreis', path: '/organisationen/15091', status: 200 },
  { name: 'the Land', path: '/organisationen/15', status: 200 },
  { name: 'a bad filter (400)', path: '/organisationen?type=dorf', status: 400 },
  { name: 'participation', path: '/beteiligung', status: 200 },
  { name: 'participation filtered', path: '/beteiligung?kreis=15091&state=published', status: 200 },
  { name: 'processes of one organisation', path: '/beteiligung?org=15091160', status: 200 },
  { name: 'processes in my Gemeinde', path: '/beteiligung?gemeinde=15091160', status: 200 },
  { name: 'participation search', path: '/beteiligung?q=Spielplatz', status: 200 },
  { name: 'participation search with topic, nothing found', path: '/beteiligung?topic=verkehr&q=Spielplatz', status: 200 },
  { name: 'participation, unknown topic (400)', path: '/beteiligung?topic=kirmes', status: 400 },
  { name: 'a process (demo)', path: '/beteiligung/1', status: 200 },
  { name: 'a proposal (demo)', path: '/vorschlaege/1', status: 200 },
  { name: 'an answered proposal (demo)', path: '/vorschlaege/2', status: 200 },
  { name: 'proposals in random order', path: '/beteiligung/1?order=random&seed=7', status: 200 },
  { name: 'statistics of a process', path: '/beteiligung/1/statistik', status: 200 },
  { name: 'report a proposal (demo)', path: '/vorschlaege/1/melden', status: 200 },
  { name: 'report a comment (demo)', path: '/kommentare/1/melden', status: 200 },
  { name: 'working groups', path: '/arbeitsgruppen', status: 200 },
  { name: 'working groups search', path: '/arbeitsgruppen?q=Beteiligung', status: 200 },
  { name: 'a working group (demo)', path: '/arbeitsgruppen/1', status: 200 },
  { name: 'a thread of a working group (demo)', path: '/themen/1', status: 200 },
  { name: 'founding a group, signed out', path: '/arbeitsgruppen/neu', status: 200 },
  { name: 'drafts of a working group (demo)', path: '/arbeitsgruppen/1/entwuerfe', status: 200 },
  { name: 'a draft (demo)', path: '/entwuerfe/1', status: 200 },
  { name: 'an earlier version of a draft (demo)', path: '/entwuerfe/1?fassung=1', status: 200 },
  { name: 'versions of a draft (demo)', path: '/entwuerfe/1/versionen', status: 200 },
  { name: 'two versions compared inline (demo)', path: '/entwuerfe/1/vergleich?von=1&bis=3&ansicht=inline', status: 200 },
  { name: 'two versions side by side (demo)', path: '/entwuerfe/1/vergleich?von=1&bis=3&ansicht=nebeneinander', status: 200 },
  { name: 'meetings of a working group (demo)', path: '/arbeitsgruppen/1/termine', status: 200 },
  { name: 'an upcoming meeting (demo)', path: '/termine/1', status: 200 },
  { name: 'a past meeting with minutes (demo)', path: '/termine/3', status: 200 },
  { name: 'planning a meeting, signed out', path: '/arbeitsgruppen/1/termine/neu', status: 200 },
  { name: 'calendar link, signed out', path: '/konto/kalender', status: 200 },
  { name: 'decisions of a working group (demo)', path: '/arbeitsgruppen/1/entscheidungen', status: 200 },
  { name: 'an open consent decision (demo)', path: '/entscheidungen/1', status: 200 },
  { name: 'a closed poll with its outcome (demo)', path: '/entscheidungen/2', status: 200 },
  { name: 'the Beschlussregister (demo)', path: '/arbeitsgruppen/1/beschlussregister', status: 200 },
  { name: 'consultations', path: '/konsultationen', status: 200 },
  { name: 'open consultations only', path: '/konsultationen?offen=1', status: 200 },
  { name: 'an open consultation (demo)', path: '/konsultationen/1', status: 200 },
  { name: 'a section with an amendment (demo)', path: '/konsultationen/1/abschnitte/a6', status: 200 },
  { name: 'who has answered (demo)', path: '/konsultationen/1/stand', status: 200 },
  { name: 'rounds of a consultation (demo)', path: '/konsultationen/1/runden', status: 200 },
  { name: 'Abwägung before the deadline (demo)', path: '/konsultationen/1/abwaegung', status: 200 },
  { name: 'a finished consultation (demo)', path: '/konsultationen/2', status: 200 },
  { name: 'a section with a citizen comment (demo)', path: '/konsultationen/2/abschnitte/a6', status: 200 },
  { name: 'a published Abwägung (demo)', path: '/konsultationen/2/abwaegung', status: 200 },
  { name: 'a new consultation, signed out', path: '/konsultationen/neu', status: 200 },
  { name: 'registration', path: '/konto/registrieren', status: 200 },
  { name: 'login', path: '/konto/anmelden', status: 200 },
  { name: 'a bad confirmation link', path: '/konto/bestaetigen?token=erfunden', status: 400 },
  { name: 'forgotten password', path: '/konto/passwort-vergessen', status: 200 },
  { name: 'a bad reset link', path: '/konto/passwort-neu?token=erfunden', status: 400 },
  { name: 'a bad email-change link', path: '/konto/email-bestaetigen?token=erfunden', status: 400 },
  // Signed out, the notification pages lead to the login (signed in: notifications.test.mjs).
  { name: 'notifications, signed out', path: '/konto/benachrichtigungen', status: 200 },
  { name: 'notification settings, signed out', path: '/konto/benachrichtigungen/einstellungen', status: 200 },
  { name: 'imprint', path: '/impressum', status: 200 },
  { name: 'privacy', path: '/datenschutz', status: 200 },
  { name: 'accessibility statement', path: '/barrierefreiheit', status: 200 },
];

// The demo accounts of a `serve --demo` server (DATA_DIR/demo-accounts.txt: "email  password
// name" per line), by email; null without AH_DATA_DIR.
export async function demoAccounts() {
  if (!process.env.AH_DATA_DIR) return null;
  const { readFile } = await import('node:fs/promises');
  const text = await readFile(`${process.env.AH_DATA_DIR}/demo-accounts.txt`, 'utf8');
  const accounts = {};
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const [email, password] = line.split(/\s{2,}/);
    accounts[email] = password;
  }
  return accounts;
}

// Session cookies of the accounts this test file has logged in, by email. Logging in goes
// through the form once per account and file; later contexts reuse the session, so a whole
// run stays inside the server's login rate limits (10 per account, 30 per client in 15
// minutes) however many tests sign in.
const sessions = new Map();

// Logs the page's context in: through the login form the first time, then with the
// session it got (unless that session has ended).
export async function logIn(page, email, password) {
  const saved = sessions.get(email);
  if (saved) {
    await page.context().addCookies(saved);
    await visit(page, '/konto', { waitForFonts: false });
    if (new URL(page.url()).pathname === '/konto') return;
    await page.context().clearCookies();
  }
  await visit(page, '/konto/anmelden', { waitForFonts: false });
  await page.fill('#field-email', email);
  await page.fill('#field-password', password);
  await Promise.all([page.waitForNavigation(), page.click('main button[type=submit]')]);
  if (new URL(page.url()).pathname !== '/konto') throw new Error(`login as ${email} failed: ${page.url()}`);
  sessions.set(email, (await page.context().cookies()).filter((c) => c.name === 'ah_session'));
}

// For suites that use the demo accounts of a `serve --demo` server: one browser for the
// file, launched before its tests and closed after them, and the accounts' passwords.
// `skip` is the reason to skip such tests when AH_DATA_DIR is not set (else false).
export function demoSuite() {
  const suite = { browser: null, accounts: null, skip: !process.env.AH_DATA_DIR && 'AH_DATA_DIR not set' };
  before(async () => {
    suite.browser = await launchBrowser();
    suite.accounts = await demoAccounts();
  });
  after(async () => { await suite.browser?.close(); });
  return suite;
}
