// Memberships in the browser, with the demo accounts of `serve --demo`: a person asks to
// join Kemberg, Kemberg's admin confirms with the keyboard, and every signed-in page on
// the way has no WCAG 2.1 AA violation at desktop and phone width.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openPage, visit, runAxe, formatViolations, VIEWPORTS, demoSuite, logIn } from './lib.mjs';

const KEMBERG = '/organisationen/15091160/mitglieder';
const ADMIN = 'gemeinde-admin@demo.augenhoehe.invalid';
const LAND = 'land@demo.augenhoehe.invalid';

const demo = demoSuite();
const { skip } = demo;

for (const [label, viewport] of Object.entries(VIEWPORTS)) {
  test(`signed-in pages at ${label} width have no WCAG 2.1 AA violations`, { timeout: 120_000, skip }, async () => {
    const { context, page } = await openPage(demo.browser, { viewport });
    try {
      await logIn(page, ADMIN, demo.accounts[ADMIN]);
      for (const path of ['/konto', '/konto/organisationen', KEMBERG, '/organisationen/15/mitglieder', '/', '/beteiligung/neu', '/beteiligung/1', '/vorschlaege/1', '/konto/benachrichtigungen', '/konto/benachrichtigungen/einstellungen']) {
        assert.equal(await visit(page, path), 200, path);
        // The account menu names the person and offers logout on every page.
        assert.match(await page.textContent('.ah-account'), /Admin Gemeinde Kemberg/, path);
        const violations = await runAxe(page);
        assert.equal(violations.length, 0, `${path}:\n${formatViolations(violations)}`);
      }
    } finally {
      await context.close();
    }
  });
}

test('signed-in pages reflow at 320px without horizontal scrolling', { timeout: 120_000, skip }, async () => {
  const { context, page } = await openPage(demo.browser, { viewport: { width: 320, height: 640 } });
  try {
    await logIn(page, ADMIN, demo.accounts[ADMIN]);
    for (const path of ['/konto', '/konto/organisationen', '/konto/tokens', KEMBERG, '/', '/beteiligung/neu', '/konto/benachrichtigungen', '/konto/benachrichtigungen/einstellungen']) {
      await visit(page, path);
      const { scrollWidth, clientWidth } = await page.evaluate(() => ({
        scrollWidth: document.documentElement.scrollWidth,
        clientWidth: document.documentElement.clientWidth,
      }));
      assert.ok(scrollWidth <= clientWidth, `${path} is ${scrollWidth}px wide in a ${clientWidth}px viewport`);
    }
  } finally {
    await context.close();
  }
});

test('staff of the Land ask to join Kemberg; Kemberg\'s admin confirms with the keyboard', { timeout: 120_000, skip }, async () => {
  const asker = await openPage(demo.browser);
  const admin = await openPage(demo.browser);
  try {
    await logIn(asker.page, LAND, demo.accounts[LAND]);
    await visit(asker.page, KEMBERG);
    // The Land is an organisation like any other: its staff ask like everyone else.
    await Promise.all([asker.page.waitForNavigation(), asker.page.click('form[action$="/antrag"] button')]);
    assert.match(await asker.page.textContent('[role=status]'), /Anfrage ist gestellt/);

    await logIn(admin.page, ADMIN, demo.accounts[ADMIN]);
    await visit(admin.page, KEMBERG);
    const confirm = admin.page.locator('li', { hasText: 'Land Sachsen-Anhalt (Demo)' }).locator('input[value=confirm] ~ button');
    await confirm.focus();
    await Promise.all([admin.page.waitForNavigation(), admin.page.keyboard.press('Enter')]);
    assert.match(await admin.page.textContent('[role=status]'), /Mitgliedschaft ist bestätigt/);
    const violations = await runAxe(admin.page);
    assert.equal(violations.length, 0, formatViolations(violations));

    await visit(asker.page, '/konto/organisationen');
    assert.match(await asker.page.textContent('main'), /Kemberg/);
    // Leaving again keeps the demo as it was for the next run of the other tests.
    await visit(asker.page, KEMBERG);
    await Promise.all([asker.page.waitForNavigation(), asker.page.click('form[action$="/austritt"] button')]);
    assert.match(await asker.page.textContent('[role=status]'), /nicht mehr Mitglied/);
  } finally {
    await asker.context.close();
    await admin.context.close();
  }
});
