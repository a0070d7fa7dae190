// Moderation in the browser, with the demo of `serve --demo`: someone comments on the
// Kemberg playground, a citizen reports the comment, Kemberg's admin hides it with a
// public reason, every reader sees the reason instead of the text, and the log lists it.
// The queue and the log have no WCAG 2.1 AA violation at desktop and phone width.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openPage, visit, runAxe, formatViolations, VIEWPORTS, demoSuite, logIn } from './lib.mjs';

const PROPOSAL = '/vorschlaege/1';
const QUEUE = '/beteiligung/1/moderation';
const LOG = '/beteiligung/1/moderation/protokoll';
const ADMIN = 'gemeinde-admin@demo.augenhoehe.invalid';
const CITIZEN = 'buergerin@demo.augenhoehe.invalid';
const NEIGHBOUR = 'wittenberg@demo.augenhoehe.invalid';
const LAND = 'land@demo.augenhoehe.invalid';

const demo = demoSuite();
const { skip } = demo;

for (const [label, viewport] of Object.entries(VIEWPORTS)) {
  test(`moderation pages at ${label} width have no WCAG 2.1 AA violations`, { timeout: 120_000, skip }, async () => {
    const { context, page } = await openPage(demo.browser, { viewport });
    try {
      await logIn(page, ADMIN, demo.accounts[ADMIN]);
      for (const path of [QUEUE, LOG, '/kommentare/1/melden']) {
        assert.equal(await visit(page, path), 200, path);
        const violations = await runAxe(page);
        assert.equal(violations.length, 0, `${path}:\n${formatViolations(violations)}`);
      }
      // The demo has one open report, so the queue shows a real entry.
      await visit(page, QUEUE);
      assert.match(await page.textContent('main'), /Persönliche Daten/);
    } finally {
      await context.close();
    }
  });
}

test('the Land\'s admin may not moderate Kemberg\'s process', { timeout: 60_000, skip }, async () => {
  const { context, page } = await openPage(demo.browser);
  try {
    await logIn(page, LAND, demo.accounts[LAND]);
    assert.equal(await visit(page, QUEUE), 403);
    assert.match(await page.textContent('main'), /moderieren nur/);
  } finally {
    await context.close();
  }
});

test('a citizen reports a comment, Kemberg\'s admin hides it with a reason, the page and the log show it', { timeout: 180_000, skip }, async () => {
  const marker = `Billige Uhren unter uhren-${Date.now()}.invalid`;
  const neighbour = await openPage(demo.browser);
  const citizen = await openPage(demo.browser);
  const admin = await openPage(demo.browser);
  const reader = await openPage(demo.browser, { javaScriptEnabled: false });
  try {
    await logIn(neighbour.page, NEIGHBOUR, demo.accounts[NEIGHBOUR]);
    await visit(neighbour.page, PROPOSAL);
    await neighbour.page.fill('#field-comment', marker);
    await Promise.all([neighbour.page.waitForNavigation(), neighbour.page.click('form[action$="/kommentare"]:not(:has(input[name=parent])) button')]);
    const id = new URL(neighbour.page.url()).hash.replace('#kommentar-', '');
    assert.match(id, /^\d+$/, neighbour.page.url());

    await logIn(citizen.page, CITIZEN, demo.accounts[CITIZEN]);
    await visit(citizen.page, PROPOSAL);
    await Promise.all([citizen.page.waitForNavigation(), citizen.page.click(`#kommentar-${id} a[href$="/melden"]`)]);
    assert.match(await citizen.page.textContent('main'), new RegExp(marker.replace(/\./g, '\\.')));
    await citizen.page.check('#reason-spam');
    await citizen.page.fill('#field-text', 'Werbung für einen Shop');
    await Promise.all([citizen.page.waitForNavigation(), citizen.page.click('main button[type=submit]')]);
    assert.match(await citizen.page.textContent('[role=status]'), /Danke/);

    await logIn(admin.page, ADMIN, demo.accounts[ADMIN]);
    await visit(admin.page, QUEUE);
    const entry = admin.page.locator('li.ah-comment', { hasText: marker });
    assert.match(await entry.textContent(), /Spam oder Werbung/);
    assert.match(await entry.textContent(), /Werbung für einen Shop/);
    await entry.locator('input[name=reason]').fill('Werbung für einen Uhrenhandel');
    await Promise.all([admin.page.waitForNavigation(), entry.locator('button[value=hide]').click()]);
    assert.match(await admin.page.textContent('[role=status]'), /ausgeblendet/);

    assert.equal(await visit(reader.page, PROPOSAL), 200);
    const comment = await reader.page.textContent(`#kommentar-${id}`);
    assert.match(comment, /Ausgeblendet: Werbung für einen Uhrenhandel/);
    assert.doesNotMatch(await reader.page.content(), new RegExp(marker.replace(/\./g, '\\.')));

    await visit(admin.page, LOG);
    const newest = await admin.page.textContent('main ol li:first-child');
    assert.match(newest, /ausgeblendet/);
    assert.match(newest, /Werbung für einen Uhrenhandel/);
    assert.match(newest, /Admin Gemeinde Kemberg/);
  } finally {
    for (const p of [neighbour, citizen, admin, reader]) await p.context.close();
  }
});
