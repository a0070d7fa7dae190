// The signed-in account pages, which PAGES (anonymous) cannot reach: a fresh account is
// registered, confirmed through the outbox and logged in; then the API token pages (empty
// list, form errors, the token shown once, the list, revoking) and the change of email
// address (form errors, the confirm page, the result) are checked with axe, for CSP
// violations and console errors. The new token is also used the way a script would.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  launchBrowser, openPage, visit,
  BASE_URL, VIEWPORTS, submit, linkInMail, registerAndLogIn, PASSWORD, checkPage,
} from './lib.mjs';

const DATA_DIR = process.env.AH_DATA_DIR;

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });


const VARIANTS = {
  desktop: { viewport: VIEWPORTS.desktop },
  'phone, dark': { viewport: VIEWPORTS.phone, colorScheme: 'dark' },
};

for (const [label, options] of Object.entries(VARIANTS)) {
  test(`API token pages (${label}): create, shown once, revoke; no WCAG 2.1 AA violations`, { timeout: 120_000, skip: !DATA_DIR && 'AH_DATA_DIR not set' }, async () => {
    const { context, page, problems } = await openPage(browser, options);
    try {
      await registerAndLogIn(page, `token-${label.replace(/\W+/g, '-')}-${Date.now()}@example.org`);
      await checkPage(page, problems, '/konto');
      await Promise.all([page.waitForNavigation(), page.click('a[href="/konto/tokens"]')]);
      assert.match(await page.textContent('main'), /noch keine Tokens/);
      await checkPage(page, problems, '/konto/tokens (empty)');

      await page.uncheck('#field-scope_read');
      await page.fill('#field-name', '   ');
      await submit(page, 'form[action="/konto/tokens"]');
      assert.ok(await page.$('#field-name[aria-invalid="true"]'), 'the name field is marked');
      assert.ok(await page.$('a[href="#field-scopes"]'), 'the summary links to the rights');
      await checkPage(page, problems, '/konto/tokens with errors', 422);

      await page.fill('#field-name', 'Ratsinfo-Import');
      await page.check('#field-scope_read');
      await submit(page, 'form[action="/konto/tokens"]');
      const token = await page.inputValue('#field-token');
      assert.match(token, /^ah_[A-Za-z0-9_-]{43}$/);
      assert.match(await page.textContent('main'), /nur dieses eine Mal/);
      await checkPage(page, problems, 'the new token');

      // A script with the token: reading works, minting more does not.
      const bearer = { authorization: `Bearer ${token}` };
      const me = await fetch(`${BASE_URL}/api/v1/me`, { headers: bearer });
      assert.equal(me.status, 200);
      const mint = await fetch(`${BASE_URL}/api/v1/tokens`, {
        method: 'POST', headers: { ...bearer, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'mehr', scopes: ['read'] }),
      });
      assert.equal(mint.status, 403);
      assert.equal(mint.headers.get('content-type'), 'application/problem+json');

      await visit(page, '/konto/tokens');
      assert.match(await page.textContent('main'), /Ratsinfo-Import/);
      assert.ok(!(await page.content()).includes(token), 'the token is shown once only');
      await checkPage(page, problems, '/konto/tokens (one token)');
      await submit(page, 'form[action$="/widerrufen"]');
      assert.equal(new URL(page.url()).pathname, '/konto/tokens');
      assert.match(await page.textContent('main'), /widerrufen am/);
      assert.equal((await fetch(`${BASE_URL}/api/v1/me`, { headers: bearer })).status, 401, 'revoked');
      await checkPage(page, problems, '/konto/tokens (revoked)');
    } finally {
      await context.close();
    }
  });

  test(`change of email address (${label}): errors, confirm page, result; no WCAG 2.1 AA violations`, { timeout: 120_000, skip: !DATA_DIR && 'AH_DATA_DIR not set' }, async () => {
    const { context, page, problems } = await openPage(browser, options);
    const stamp = `${label.replace(/\W+/g, '-')}-${Date.now()}`;
    const newEmail = `neu-${stamp}@example.org`;
    try {
      await registerAndLogIn(page, `alt-${stamp}@example.org`);
      await page.fill('#field-new_email', newEmail);
      await page.fill('#field-current_password', 'falsch geraten');
      await submit(page, 'form[action="/konto/email"]');
      assert.ok(await page.$('#field-current_password[aria-invalid="true"]'), 'the password field is marked');
      assert.equal(await page.inputValue('#field-new_email'), newEmail, 'keeps the address');
      assert.equal(await page.inputValue('#field-current_password'), '', 'but not the password');
      await checkPage(page, problems, '/konto with a wrong password', 422);

      await page.fill('#field-current_password', PASSWORD);
      await submit(page, 'form[action="/konto/email"]');
      await checkPage(page, problems, 'link sent');
      await visit(page, await linkInMail(newEmail, '/konto/email-bestaetigen'));
      assert.match(await page.textContent('main'), new RegExp(newEmail.replace(/\./g, '\\.')));
      await checkPage(page, problems, 'the confirm page');
      await submit(page, 'form[action="/konto/email-bestaetigen"]');
      assert.match(await page.textContent('h1'), /E-Mail-Adresse geändert/);
      await checkPage(page, problems, 'address changed');
      await visit(page, '/konto');
      assert.match(await page.textContent('main'), new RegExp(newEmail.replace(/\./g, '\\.')));
    } finally {
      await context.close();
    }
  });
}
