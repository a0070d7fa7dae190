// A citizen's first visit, done with the keyboard alone: register, confirm the address
// with the link from the mail (read from the server's outbox), log in, log out. Also axe on
// the account pages in their error states.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, openPage, visit, runAxe, formatViolations, latestMailTo, VIEWPORTS } from './lib.mjs';

// The server's data folder (scripts/test starts it with --data-dir and exports this).
const DATA_DIR = process.env.AH_DATA_DIR;

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

// Presses Tab until `selector` has the focus (from the top of the page), like a person
// who moves through the page with the keyboard; fails if it never gets there.
async function tabTo(page, selector, maxPresses = 40) {
  for (let i = 0; i < maxPresses; i += 1) {
    await page.keyboard.press('Tab');
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
  }
  assert.fail(`${selector} cannot be reached with the Tab key`);
}

test('register, confirm, log in and log out with the keyboard alone', { timeout: 120_000, skip: !DATA_DIR && 'AH_DATA_DIR not set' }, async () => {
  const { context, page } = await openPage(browser);
  const email = `tastatur-${Date.now()}@example.org`;
  try {
    await visit(page, '/konto/registrieren');
    await tabTo(page, '#field-display_name');
    await page.keyboard.type('Kim Tastatur');
    await page.keyboard.press('Tab');
    await page.keyboard.type(email);
    await page.keyboard.press('Tab');
    await page.keyboard.type('ein sicherer langer Satz');
    await page.keyboard.press('Tab');
    await page.keyboard.type('ein sicherer langer Satz');
    await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
    assert.match(await page.textContent('h1'), /Fast geschafft/);

    const mail = await latestMailTo(DATA_DIR, email);
    const link = mail.match(/https?:\/\/[^\s]+\/konto\/bestaetigen\?token=[A-Za-z0-9_-]+/);
    assert.ok(link, `no confirmation link in:\n${mail}`);
    const confirm = new URL(link[0]);
    await visit(page, confirm.pathname + confirm.search);
    assert.match(await page.textContent('h1'), /bestätigt/);

    await visit(page, '/konto/anmelden');
    await tabTo(page, '#field-email');
    await page.keyboard.type(email);
    await page.keyboard.press('Tab');
    await page.keyboard.type('ein sicherer langer Satz');
    await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
    assert.equal(new URL(page.url()).pathname, '/konto');
    assert.match(await page.textContent('main'), /Kim Tastatur/);

    await tabTo(page, 'form[action="/konto/abmelden"] button');
    await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
    assert.equal(new URL(page.url()).pathname, '/');
    await visit(page, '/konto');
    assert.equal(new URL(page.url()).pathname, '/konto/anmelden', 'logged out');
  } finally {
    await context.close();
  }
});

for (const [label, viewport] of Object.entries({ desktop: VIEWPORTS.desktop, phone: VIEWPORTS.phone })) {
  test(`registration with errors at ${viewport.width}px has no WCAG 2.1 AA violations`, { timeout: 60_000 }, async () => {
    const { context, page } = await openPage(browser, { viewport });
    try {
      await visit(page, '/konto/registrieren');
      await page.fill('#field-display_name', 'Kim');
      await page.fill('#field-email', 'kein-at');
      await page.fill('#field-password', 'kurz');
      await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
      assert.ok(await page.$('[aria-invalid="true"]'), `${label}: the fields with errors are marked`);
      const violations = await runAxe(page);
      assert.equal(violations.length, 0, formatViolations(violations));
    } finally {
      await context.close();
    }
  });
}
