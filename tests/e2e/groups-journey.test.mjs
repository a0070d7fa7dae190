// The whole way of a working group in the browser, with the demo accounts of `serve --demo`:
// staff of the Land found a group, staff of two Gemeinden (Wittenberg, Kemberg) join, one
// writes a shared draft and the other revises it, the Land puts the draft to a consent
// decision, both Gemeinden find it on "Meine Arbeitsgruppen" and vote, the vote is closed
// and the outcome adopts the draft, which is then frozen as "beschlossen". Every page on
// the way has no WCAG 2.1 A/AA violation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openPage, visit, demoSuite, logIn, noViolations, clickAndWait } from './lib.mjs';

const LAND = 'land@demo.augenhoehe.invalid';
const WITTENBERG = 'wittenberg@demo.augenhoehe.invalid';
const KEMBERG = 'gemeinde-admin@demo.augenhoehe.invalid';

const demo = demoSuite();
const { skip } = demo;

test('a group is founded, joined, drafts together and adopts its draft by consent', { timeout: 300_000, skip }, async () => {
  const land = await openPage(demo.browser);
  const wittenberg = await openPage(demo.browser);
  const kemberg = await openPage(demo.browser);
  const stamp = Date.now();
  const name = `AG Musterdienste ${stamp}`;
  try {
    // The Land founds the group.
    await logIn(land.page, LAND, demo.accounts[LAND]);
    assert.equal(await visit(land.page, '/arbeitsgruppen/neu'), 200);
    await land.page.fill('#field-name', name);
    await land.page.fill('#field-description', 'Gemeinsame Musterdienste für alle Kommunen.');
    await land.page.check('#visibility-internal');
    await land.page.check('#joining-open');
    await clickAndWait(land.page, 'main form button[type=submit]');
    const group = new URL(land.page.url()).pathname;
    assert.match(group, /^\/arbeitsgruppen\/\d+$/);

    // Two Gemeinden join.
    for (const [who, email] of [[wittenberg, WITTENBERG], [kemberg, KEMBERG]]) {
      await logIn(who.page, email, demo.accounts[email]);
      assert.equal(await visit(who.page, group), 200);
      await clickAndWait(who.page, `form[action="${group}/beitreten"] button[type=submit]`);
      assert.match(await who.page.textContent('main'), /Gruppe verlassen/);
    }
    await noViolations(kemberg.page, 'the group page of a new member');

    // Wittenberg writes a draft, Kemberg revises it.
    await visit(wittenberg.page, `${group}/entwuerfe`);
    await clickAndWait(wittenberg.page, `main a[href="${group}/entwuerfe/neu"]`);
    await wittenberg.page.fill('#field-title', `Musterdienst Wohngeld ${stamp}`);
    await wittenberg.page.fill('#field-body', 'Der Antrag wird online gestellt.\n\nDie Prüfung dauert zwei Wochen.');
    await clickAndWait(wittenberg.page, 'main form button[type=submit]');
    const draft = new URL(wittenberg.page.url()).pathname;
    assert.match(draft, /^\/entwuerfe\/\d+$/);
    await noViolations(wittenberg.page, 'the new draft');
    assert.equal(await visit(kemberg.page, `${draft}/bearbeiten`), 200);
    await kemberg.page.fill('#field-body', 'Der Antrag wird online gestellt.\n\nDie Prüfung dauert höchstens zehn Tage.');
    await kemberg.page.fill('#field-note', 'Frist verkürzt');
    await clickAndWait(kemberg.page, 'main form button[type=submit]');
    assert.match(await kemberg.page.textContent('main'), /höchstens zehn Tage/);
    assert.equal(await visit(kemberg.page, `${draft}/vergleich?von=1&bis=2&ansicht=inline`), 200);
    assert.match(await kemberg.page.textContent('main ins'), /höchstens/);
    await noViolations(kemberg.page, 'the two versions compared');

    // The Land puts the draft to a consent decision.
    assert.equal(await visit(land.page, draft), 200);
    await clickAndWait(land.page, 'main a[href*="/entscheidungen/neu?entwurf="]');
    const draftId = draft.split('/').pop();
    assert.equal(await land.page.inputValue('#field-draft'), draftId);
    await noViolations(land.page, 'the decision form with the draft chosen');
    await land.page.fill('#field-title', `Musterdienst Wohngeld annehmen? ${stamp}`);
    await land.page.check('#kind-consent');
    await clickAndWait(land.page, 'main form button[type=submit]');
    const decision = new URL(land.page.url()).pathname;
    assert.match(decision, /^\/entscheidungen\/\d+$/);
    assert.match(await land.page.textContent('main'), /Zur Entscheidung steht der Entwurf/);

    // Both Gemeinden find it waiting for them and agree.
    for (const [who, what] of [[wittenberg, 'Wittenberg'], [kemberg, 'Kemberg']]) {
      assert.equal(await visit(who.page, '/arbeitsgruppen/meine'), 200);
      await noViolations(who.page, `Meine Arbeitsgruppen (${what})`);
      await clickAndWait(who.page, `section[aria-labelledby="abstimmen"] a[href="${decision}"]`);
      await who.page.check('#position-agree');
      await clickAndWait(who.page, 'form[action$="/stimme"] button[type=submit]');
      assert.match(await who.page.textContent('main'), /Sie haben abgestimmt/);
      await visit(who.page, '/arbeitsgruppen/meine');
      assert.equal(await who.page.locator(`section[aria-labelledby="abstimmen"] a[href="${decision}"]`).count(), 0);
    }

    // The Land closes the vote and records the outcome, adopting the draft.
    await visit(land.page, decision);
    await clickAndWait(land.page, 'form[action$="/schliessen"] button[type=submit]');
    await land.page.fill('#field-outcome', 'Einstimmig angenommen.');
    await land.page.check('#field-adopt_draft');
    await noViolations(land.page, 'the outcome form with the draft to adopt');
    await clickAndWait(land.page, 'form[action$="/ergebnis"] button[type=submit]');
    assert.match(await land.page.textContent('main'), /Einstimmig angenommen/);

    // The draft is adopted: frozen, marked, no longer editable.
    assert.equal(await visit(kemberg.page, draft), 200);
    assert.match(await kemberg.page.textContent('main'), /beschlossen/);
    assert.equal(await kemberg.page.locator(`main a[href="${draft}/bearbeiten"]`).count(), 0);
    await noViolations(kemberg.page, 'the adopted draft');
  } finally {
    await land.context.close();
    await wittenberg.context.close();
    await kemberg.context.close();
  }
});
