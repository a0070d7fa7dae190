// Entwürfe in the browser, with the demo accounts of `serve --demo`: a member of the demo
// group writes a draft and revises it, compares the versions inline and side by side; a
// second member, in another browser context, saves on the stale version and gets the
// conflict page showing both texts, then saves anyway. Every page on the way has no WCAG
// 2.1 AA violation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openPage, visit, demoSuite, logIn, noViolations, clickAndWait } from './lib.mjs';

const LAND = 'land@demo.augenhoehe.invalid';
const WITTENBERG = 'wittenberg@demo.augenhoehe.invalid';

const demo = demoSuite();
const { skip } = demo;

test('a member writes and revises a draft; a stale save shows both texts', { timeout: 180_000, skip }, async () => {
  const land = await openPage(demo.browser);
  const wittenberg = await openPage(demo.browser);
  const title = `Vorlage Aushang ${Date.now()}`;
  try {
    await logIn(land.page, LAND, demo.accounts[LAND]);
    assert.equal(await visit(land.page, '/arbeitsgruppen/1'), 200);
    await clickAndWait(land.page, 'main a[href="/arbeitsgruppen/1/entwuerfe"]');
    await noViolations(land.page, 'the drafts of the demo group');
    await clickAndWait(land.page, 'main a[href="/arbeitsgruppen/1/entwuerfe/neu"]');
    // A mistake first: the summary names it, the typed text stays.
    await land.page.fill('#field-body', 'Die Frist endet am Montag.\nBitte **rechtzeitig** aushängen.');
    await clickAndWait(land.page, 'main form button[type=submit]');
    assert.match(await land.page.textContent('[role=alert]'), /Titel/);
    assert.equal(await land.page.inputValue('#field-body'), 'Die Frist endet am Montag.\nBitte **rechtzeitig** aushängen.');
    await noViolations(land.page, 'the new draft form with errors');
    await land.page.fill('#field-title', title);
    await land.page.fill('#field-note', 'Erste Fassung');
    await clickAndWait(land.page, 'main form button[type=submit]');
    const draftPath = new URL(land.page.url()).pathname;
    assert.match(draftPath, /^\/entwuerfe\/\d+$/);
    assert.equal(await land.page.textContent('h1'), title);
    assert.match(await land.page.innerHTML('main .ah-text'), /<strong>rechtzeitig<\/strong>/);
    await noViolations(land.page, 'the new draft');

    // Both open the edit page on version 1.
    await clickAndWait(land.page, `main a[href="${draftPath}/bearbeiten"]`);
    await noViolations(land.page, 'the edit page');
    await logIn(wittenberg.page, WITTENBERG, demo.accounts[WITTENBERG]);
    assert.equal(await visit(wittenberg.page, `${draftPath}/bearbeiten`), 200);

    // The Land revises first.
    await land.page.fill('#field-body', 'Die Frist endet am Freitag.\nBitte **rechtzeitig** aushängen.');
    await land.page.fill('#field-note', 'Frist verschoben');
    await clickAndWait(land.page, 'main form button[type=submit]');
    assert.equal(new URL(land.page.url()).pathname, draftPath);
    assert.match(await land.page.textContent('main'), /Fassung 2/);

    // Wittenberg saves on version 1: the conflict page shows theirs, the diff and keeps the text.
    await wittenberg.page.fill('#field-body', 'Die Frist endet am Mittwoch.\nBitte **rechtzeitig** aushängen.');
    await clickAndWait(wittenberg.page, 'main form button[type=submit]');
    assert.match(await wittenberg.page.textContent('#conflict-heading'), /inzwischen geändert/);
    assert.match(await wittenberg.page.textContent('main'), /Die Frist endet am Freitag\./);
    assert.equal(await wittenberg.page.inputValue('#field-body'), 'Die Frist endet am Mittwoch.\nBitte **rechtzeitig** aushängen.');
    assert.match(await wittenberg.page.textContent('main del'), /Freitag/);
    assert.match(await wittenberg.page.textContent('main ins'), /Mittwoch/);
    await noViolations(wittenberg.page, 'the conflict page');
    await clickAndWait(wittenberg.page, 'main form button[type=submit]');
    assert.equal(new URL(wittenberg.page.url()).pathname, draftPath);
    assert.match(await wittenberg.page.textContent('main'), /Fassung 3/);

    // The versions, and the comparison of 1 and 3 inline and side by side.
    assert.equal(await visit(land.page, `${draftPath}/versionen`), 200);
    assert.match(await land.page.textContent('main'), /Lutherstadt Wittenberg/);
    await noViolations(land.page, 'the versions');
    await land.page.selectOption('#field-von', '1');
    await land.page.selectOption('#field-bis', '3');
    await clickAndWait(land.page, 'main form[method=get] button[type=submit]');
    assert.match(land.page.url(), /vergleich\?von=1&bis=3&ansicht=inline/);
    assert.match(await land.page.textContent('main del'), /Montag/);
    assert.match(await land.page.textContent('main ins'), /Mittwoch/);
    await noViolations(land.page, 'the inline comparison');
    await clickAndWait(land.page, 'main nav a[href*="ansicht=nebeneinander"]');
    assert.equal(await land.page.textContent('main th:nth-child(1)'), 'Fassung 1');
    assert.equal(await land.page.textContent('main th:nth-child(2)'), 'Fassung 3');
    await noViolations(land.page, 'the side-by-side comparison');
  } finally {
    await land.context.close();
    await wittenberg.context.close();
  }
});

test('the demo draft reads without an account, with its three versions', { timeout: 120_000, skip }, async () => {
  const { context, page } = await openPage(demo.browser);
  try {
    assert.equal(await visit(page, '/entwuerfe/1'), 200);
    assert.equal(await page.textContent('h1'), 'Leitfaden Online-Beteiligung');
    assert.equal(await page.locator('main a[href$="/bearbeiten"]').count(), 0);
    assert.equal(await visit(page, '/entwuerfe/1/versionen'), 200);
    assert.equal(await page.locator('#versions-list ~ ol li').count(), 3);
  } finally {
    await context.close();
  }
});
