// Notifications in the browser, with the demo accounts of `serve --demo`: the demo
// citizen's notices are listed; a membership request reaches the admin as a notice, the
// menu counts it, and marking it read (a plain form post) makes the count drop.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  openPage, visit, runAxe, formatViolations, VIEWPORTS, logIn, demoSuite,
} from './lib.mjs';

const LIST = '/konto/benachrichtigungen';
const SETTINGS = '/konto/benachrichtigungen/einstellungen';
const KEMBERG = '/organisationen/15091160/mitglieder';
const CITIZEN = 'buergerin@demo.augenhoehe.invalid';
const ADMIN = 'gemeinde-admin@demo.augenhoehe.invalid';

const demo = demoSuite();
const { skip } = demo;

// The unread count the account menu shows: 0 when it shows none.
async function menuCount(page) {
  const link = page.locator(`.ah-account a[href="${LIST}"]`);
  assert.equal(await link.count(), 1, 'the account menu links the notifications');
  const label = await link.getAttribute('aria-label');
  if (!label) return 0;
  const match = label.match(/^Benachrichtigungen \((\d+) ungelesene\)$/);
  assert.ok(match, `accessible name "${label}"`);
  assert.equal((await link.innerText()).replace(/\s+/g, ' ').trim(), `Benachrichtigungen (${match[1]})`);
  return Number(match[1]);
}

// (The signed-in pages' axe and 320px checks run with the others in members.test.mjs.)
test('the demo citizen finds her notices, unread ones marked in words', { timeout: 60_000, skip }, async () => {
  const { context, page } = await openPage(demo.browser, { viewport: VIEWPORTS.phone });
  try {
    await logIn(page, CITIZEN, demo.accounts[CITIZEN]);
    assert.equal(await visit(page, LIST), 200);
    assert.ok(await page.locator('.ah-notice').count() >= 3, 'demo notices listed');
    for (const unread of await page.locator('.ah-notice--unread').all()) {
      assert.match(await unread.innerText(), /Ungelesen/);
    }
    assert.equal(await visit(page, SETTINGS), 200);
    assert.ok(await page.locator('input[type=radio][name="participation.comment_reply"]').count() === 3);
  } finally {
    await context.close();
  }
});

// Takes back the citizen's request to join Kemberg, if there is one, and stays on the page.
async function withdraw(page) {
  await visit(page, KEMBERG);
  const button = page.locator('form[action$="/austritt"] button');
  if (await button.count() > 0) {
    await Promise.all([page.waitForNavigation(), button.click()]);
  }
}

test('a request reaches the admin as a notice; marking it read makes the count drop', { timeout: 120_000, skip }, async () => {
  const asker = await openPage(demo.browser);
  const admin = await openPage(demo.browser);
  try {
    await logIn(admin.page, ADMIN, demo.accounts[ADMIN]);
    await visit(admin.page, LIST);
    const before = await menuCount(admin.page);

    await logIn(asker.page, CITIZEN, demo.accounts[CITIZEN]);
    await withdraw(asker.page);  // a request left over by an interrupted run
    await Promise.all([asker.page.waitForNavigation(), asker.page.click('form[action$="/antrag"] button')]);

    await visit(admin.page, LIST);
    const arrived = await menuCount(admin.page);
    assert.ok(arrived >= before + 1, `count ${before} -> ${arrived}`);
    const notice = admin.page.locator('.ah-notice--unread', { hasText: 'Anfrage auf Mitgliedschaft' }).first();
    assert.match(await notice.innerText(), /Ungelesen/);
    assert.match(await notice.innerText(), /Bürgerin Demo/);
    const unreadViolations = await runAxe(admin.page);
    assert.equal(unreadViolations.length, 0, formatViolations(unreadViolations));
    await Promise.all([admin.page.waitForNavigation(), notice.locator('button', { hasText: 'Als gelesen markieren' }).click()]);
    assert.match(await admin.page.textContent('[role=status]'), /als gelesen markiert/);
    assert.equal(await menuCount(admin.page), arrived - 1);

    // Opening a notice follows its link and marks it read.
    if (arrived - 1 > 0) {
      const next = admin.page.locator('.ah-notice--unread h2 a').first();
      await Promise.all([admin.page.waitForNavigation(), next.click()]);
      assert.notEqual(new URL(admin.page.url()).pathname, LIST);
      assert.equal(await menuCount(admin.page), arrived - 2);
      await visit(admin.page, LIST);
    }
    if (await admin.page.locator('form[action="/konto/benachrichtigungen/gelesen"]').count() > 0) {
      await Promise.all([admin.page.waitForNavigation(), admin.page.click('form[action="/konto/benachrichtigungen/gelesen"] button')]);
    }
    assert.equal(await menuCount(admin.page), 0);
    assert.match(await admin.page.textContent('main'), /Sie haben alles gelesen/);
    const violations = await runAxe(admin.page);
    assert.equal(violations.length, 0, formatViolations(violations));
  } finally {
    // Withdraws the request, so that the demo stays as it was for the next run.
    await withdraw(asker.page);
    await asker.context.close();
    await admin.context.close();
  }
});
