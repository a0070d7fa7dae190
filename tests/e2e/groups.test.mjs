// Arbeitsgruppen in the browser, with the demo accounts of `serve --demo`: staff of the
// Land found a group, staff of a Gemeinde (Wittenberg) join it and post, the founder finds
// the post marked unread and a notice about it; every page on the way has no WCAG 2.1 AA
// violation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openPage, visit, assertNoViolations, clickAndWait, demoSuite, logIn } from './lib.mjs';

const LAND = 'land@demo.augenhoehe.invalid';
const WITTENBERG = 'wittenberg@demo.augenhoehe.invalid';
const CITIZEN = 'buergerin@demo.augenhoehe.invalid';

const demo = demoSuite();
const { skip } = demo;

test('staff of the Land found a group; staff of a Gemeinde join and post', { timeout: 180_000, skip }, async () => {
  const land = await openPage(demo.browser);
  const gemeinde = await openPage(demo.browser);
  const name = `AG Breitband ${Date.now()}`;
  try {
    await logIn(land.page, LAND, demo.accounts[LAND]);
    assert.equal(await visit(land.page, '/arbeitsgruppen'), 200);
    await clickAndWait(land.page, 'main a[href="/arbeitsgruppen/neu"]');
    await assertNoViolations(land.page, 'the founding form');
    // A mistake first: the summary names it, the typed text stays.
    await land.page.fill('#field-description', 'Glasfaser für **alle** Gemeinden.');
    await clickAndWait(land.page, 'main form button[type=submit]');
    assert.match(await land.page.textContent('[role=alert]'), /Namen/);
    assert.equal(await land.page.inputValue('#field-description'), 'Glasfaser für **alle** Gemeinden.');
    await assertNoViolations(land.page, 'the founding form with errors');
    await land.page.fill('#field-name', name);
    await land.page.check('#visibility-internal');
    await land.page.check('#joining-open');
    await clickAndWait(land.page, 'main form button[type=submit]');
    const groupPath = new URL(land.page.url()).pathname;
    assert.match(groupPath, /^\/arbeitsgruppen\/\d+$/);
    assert.equal(await land.page.textContent('h1'), name);
    assert.match(await land.page.textContent('main'), /Land Sachsen-Anhalt/);
    await assertNoViolations(land.page, 'the new group');
    assert.equal(await visit(land.page, `${groupPath}/einstellungen`), 200);
    assert.equal(await land.page.inputValue('#field-name'), name);
    await assertNoViolations(land.page, 'the group settings');
    await visit(land.page, groupPath);
    // The founder opens a thread.
    await clickAndWait(land.page, 'main a[href$="/themen/neu"]');
    await land.page.fill('#field-title', 'Förderanträge 2027');
    await land.page.fill('#field-body', 'Wer beantragt schon? Bitte **kurz** melden.');
    await clickAndWait(land.page, 'main form button[type=submit]');
    const threadPath = new URL(land.page.url()).pathname;
    assert.match(threadPath, /^\/themen\/\d+$/);
    await assertNoViolations(land.page, 'the thread');

    // A citizen does not see an internal group at all.
    const anonymous = await openPage(demo.browser);
    try {
      assert.equal(await visit(anonymous.page, groupPath), 404);
    } finally {
      await anonymous.context.close();
    }

    // Wittenberg's staff find the group, join and post.
    await logIn(gemeinde.page, WITTENBERG, demo.accounts[WITTENBERG]);
    await visit(gemeinde.page, `/arbeitsgruppen?q=${encodeURIComponent('Breitband')}`);
    await clickAndWait(gemeinde.page, `main a[href="${groupPath}"]`);
    await clickAndWait(gemeinde.page, 'form[action$="/beitreten"] button');
    assert.match(await gemeinde.page.textContent('main'), /Ihre Rolle: Mitglied/);
    await clickAndWait(gemeinde.page, `main a[href="${threadPath}"]`);
    await gemeinde.page.fill('#field-body', 'Wittenberg hat im März beantragt.');
    await clickAndWait(gemeinde.page, 'form[action$="/beitraege"] button');
    assert.match(await gemeinde.page.textContent('main'), /Wittenberg hat im März beantragt\./);
    await assertNoViolations(gemeinde.page, 'the thread after a reply');

    // The founder (subscribed to their thread) sees the post marked new, and a notice.
    await visit(land.page, groupPath);
    assert.match(await land.page.textContent('#themen ~ ul'), /Neu/);
    await clickAndWait(land.page, 'main a[href*="#ungelesen"]');
    assert.match(await land.page.textContent('#ungelesen ~ div, li:has(#ungelesen)'), /Wittenberg hat im März/);
    await visit(land.page, '/konto/benachrichtigungen');
    assert.match(await land.page.textContent('main'), /Neuer Beitrag im Thema „Förderanträge 2027“/);
  } finally {
    await land.context.close();
    await gemeinde.context.close();
  }
});

test('the demo group reads without an account; a citizen cannot join', { timeout: 120_000, skip }, async () => {
  const { context, page } = await openPage(demo.browser);
  try {
    assert.equal(await visit(page, '/arbeitsgruppen/1'), 200);
    assert.equal(await page.textContent('h1'), 'AG Digitale Beteiligung');
    assert.match(await page.textContent('main'), /Lutherstadt Wittenberg/);
    await logIn(page, CITIZEN, demo.accounts[CITIZEN]);
    await visit(page, '/arbeitsgruppen/1');
    assert.equal(await page.locator('form[action$="/beitreten"]').count(), 0);
    assert.match(await page.textContent('main'), /Beitreten können Beschäftigte/);
    await assertNoViolations(page, 'the demo group for a citizen');
  } finally {
    await context.close();
  }
});
