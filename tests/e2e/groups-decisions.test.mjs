// Decisions in a working group, in the browser, with the demo accounts of `serve --demo`:
// staff of the Land open a consent decision, staff of two Gemeinden vote (one with
// Bedenken and a reason, after the form refused it without one), a vote is changed, the
// owner closes the vote early and records the outcome, and the Beschlussregister shows it
// (also as Markdown). Every page on the way has no WCAG 2.1 A/AA violation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openPage, visit, noViolations, clickAndWait, demoSuite, logIn, BASE_URL } from './lib.mjs';

const LAND = 'land@demo.augenhoehe.invalid';
const WITTENBERG = 'wittenberg@demo.augenhoehe.invalid';
const KEMBERG = 'gemeinde-admin@demo.augenhoehe.invalid';

const demo = demoSuite();
const { skip } = demo;

async function groupOfDemo(page) {
  await visit(page, '/arbeitsgruppen?q=Digitale+Beteiligung');
  const href = await page.getAttribute('main li a[href^="/arbeitsgruppen/"]', 'href');
  assert.match(href, /^\/arbeitsgruppen\/\d+$/);
  return href;
}

test('a consent decision is opened, voted, changed, closed and recorded', { timeout: 240_000, skip }, async () => {
  const land = await openPage(demo.browser);
  const wittenberg = await openPage(demo.browser);
  const kemberg = await openPage(demo.browser);
  const title = `Gemeinsame Checkliste Barrierefreiheit ${Date.now()}`;
  try {
    await logIn(land.page, LAND, demo.accounts[LAND]);
    const group = await groupOfDemo(land.page);
    assert.equal(await visit(land.page, group), 200);
    await clickAndWait(land.page, `main a[href="${group}/entscheidungen"]`);
    await noViolations(land.page, 'the decisions of the group');
    await clickAndWait(land.page, `main a[href="${group}/entscheidungen/neu"]`);
    await noViolations(land.page, 'the form for a new decision');
    await land.page.fill('#field-title', title);
    await land.page.fill('#field-details', 'Wir prüfen alle Anhänge mit **einer** Checkliste.');
    await land.page.check('#kind-consent');
    await clickAndWait(land.page, 'main form button[type=submit]');
    const path = new URL(land.page.url()).pathname;
    assert.match(path, /^\/entscheidungen\/\d+$/);
    assert.equal(await land.page.textContent('h1'), title);
    await noViolations(land.page, 'the new decision');

    // Wittenberg: Bedenken without a reason is refused, with one it counts.
    await logIn(wittenberg.page, WITTENBERG, demo.accounts[WITTENBERG]);
    assert.equal(await visit(wittenberg.page, path), 200);
    await wittenberg.page.check('#position-concern');
    await clickAndWait(wittenberg.page, 'form[action$="/stimme"] button[type=submit]');
    assert.match(await wittenberg.page.textContent('[role=alert]'), /begründen/);
    assert.equal(await wittenberg.page.isChecked('#position-concern'), true);
    await noViolations(wittenberg.page, 'the ballot with an error');
    await wittenberg.page.fill('#field-reason', 'Die Checkliste braucht eine Fassung in Leichter Sprache.');
    await clickAndWait(wittenberg.page, 'form[action$="/stimme"] button[type=submit]');
    assert.match(await wittenberg.page.textContent('main'), /Sie haben abgestimmt/);
    assert.match(await wittenberg.page.textContent('section[aria-labelledby="ergebnisse"]'), /Leichter Sprache/);
    await noViolations(wittenberg.page, 'the decision after voting, with results');

    // Kemberg agrees, then changes to abstaining.
    await logIn(kemberg.page, KEMBERG, demo.accounts[KEMBERG]);
    assert.equal(await visit(kemberg.page, path), 200);
    assert.match(await kemberg.page.textContent('section[aria-labelledby="ergebnisse"]'), /sobald Sie abgestimmt haben/);
    await kemberg.page.check('#position-agree');
    await clickAndWait(kemberg.page, 'form[action$="/stimme"] button[type=submit]');
    assert.equal(await kemberg.page.isChecked('#position-agree'), true);
    await kemberg.page.check('#position-abstain');
    await clickAndWait(kemberg.page, 'form[action$="/stimme"] button[type=submit]');
    assert.equal(await kemberg.page.isChecked('#position-abstain'), true);
    const results = await kemberg.page.textContent('section[aria-labelledby="ergebnisse"]');
    assert.match(results, /Abgegebene Stimmen: 2/);

    // The Land's owner of the group ends the vote early and records the outcome.
    await visit(land.page, path);
    await clickAndWait(land.page, 'form[action$="/schliessen"] button[type=submit]');
    await noViolations(land.page, 'the closed decision with the outcome form');
    await land.page.fill('#field-outcome', 'Angenommen. Eine Fassung in **Leichter Sprache** folgt.');
    await land.page.fill('#field-review_date', '2027-06-30');
    await clickAndWait(land.page, 'form[action$="/ergebnis"] button[type=submit]');
    assert.match(await land.page.textContent('section[aria-labelledby="ergebnis"]'), /Leichter Sprache folgt/);
    assert.match(await land.page.textContent('section[aria-labelledby="ergebnis"]'), /30\.06\.2027/);

    // Votes after the end are refused; the register lists the decision.
    await visit(kemberg.page, path);
    assert.equal(await kemberg.page.locator('form[action$="/stimme"]').count(), 0);
    await clickAndWait(land.page, `main a[href="${group}/beschlussregister"]`);
    assert.match(await land.page.textContent('main'), new RegExp(title));
    await noViolations(land.page, 'the Beschlussregister');
    const md = await fetch(`${BASE_URL}${group}/beschlussregister.md`);
    assert.equal(md.status, 200);
    assert.match(md.headers.get('content-type'), /^text\/markdown/);
    assert.match(await md.text(), new RegExp(`## ${title}`));
  } finally {
    await land.context.close();
    await wittenberg.context.close();
    await kemberg.context.close();
  }
});
