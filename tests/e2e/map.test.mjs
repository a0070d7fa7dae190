// The place of a proposal in the browser (server started with --demo): the demo citizen
// proposes on Kemberg's playground process (its area: the Landkreis Wittenberg)
//   - with the mouse: a click on the Leaflet map sets the point;
//   - with the keyboard: the map panned with the arrow keys, "Kartenmitte übernehmen",
//     "Ort entfernen", then a Gemeinde from the list;
//   - without JavaScript: the map stays hidden, the list and the words work alone.
// Every page on the way is checked with axe, for CSP violations, console errors, and (by
// openPage) for requests to other hosts: the map has no tile server.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openPage, visit, submit, logIn, VIEWPORTS, checkPage, demoSuite } from './lib.mjs';

const CITIZEN = 'buergerin@demo.augenhoehe.invalid';
const demo = demoSuite();
const { skip } = demo;

// Kemberg's playground process of the demo, found by its title.
async function proposeForm(page, { javaScript = true } = {}) {
  // Without JavaScript nothing can wait for the fonts (page.evaluate needs scripts).
  await visit(page, '/beteiligung?gemeinde=15091160', { waitForFonts: javaScript });
  await Promise.all([page.waitForNavigation(), page.click('text=Neugestaltung des Spielplatzes am Markt')]);
  await Promise.all([page.waitForNavigation(), page.click('text=Vorschlag machen')]);
  assert.match(new URL(page.url()).pathname, /^\/beteiligung\/\d+\/vorschlag$/);
}

async function mapReady(page) {
  await page.waitForSelector('[data-place-map]:not([hidden]) .leaflet-container path.ah-place-map__area');
}

async function point(page) {
  return {
    lat: await page.inputValue('input[name=lat]'),
    lon: await page.inputValue('input[name=lon]'),
  };
}

function insideWittenberg({ lat, lon }) {
  // The Landkreis Wittenberg's bounding box (BKG outlines), roughly.
  return Number(lat) > 51.6 && Number(lat) < 52.1 && Number(lon) > 12.1 && Number(lon) < 13.2;
}

test('a citizen sets the place of her proposal with the mouse', { timeout: 120_000, skip }, async () => {
  const { context, page, problems } = await openPage(demo.browser, { viewport: VIEWPORTS.desktop });
  try {
    await logIn(page, CITIZEN, demo.accounts[CITIZEN]);
    await proposeForm(page);
    await mapReady(page);
    assert.equal(await page.isVisible('[data-place-nojs]'), false, 'the no-script checkbox is hidden');
    assert.ok((await page.locator('.ah-place-map__gemeinde').count()) >= 9, 'the Gemeinden are on the map');
    assert.match(await page.textContent('.leaflet-container'), /Kemberg, Stadt/, 'labelled');
    await checkPage(page, problems, 'proposal form with the map');

    await page.fill('#field-title', 'Ein Trinkbrunnen');
    await page.fill('#field-body', 'Ein Trinkbrunnen am Spielplatz, für heiße Tage.');
    await page.fill('#field-place', 'Am Eingang zum Spielplatz');
    await page.locator('[data-place-canvas]').scrollIntoViewIfNeeded();
    const box = await page.locator('[data-place-canvas]').boundingBox();
    await page.mouse.click(box.x + box.width / 2 + 15, box.y + box.height / 2 - 10);
    const set = await point(page);
    assert.ok(insideWittenberg(set), `a point in the area: ${JSON.stringify(set)}`);
    assert.match(await page.textContent('[data-place-status]'), /Ort gesetzt, in der Nähe von Kemberg, Stadt/);
    assert.equal(await page.locator('.ah-place-map__point').count(), 1, 'the point is shown');

    await submit(page, 'main form[method=post]');
    assert.match(new URL(page.url()).pathname, /^\/vorschlaege\/\d+$/);
    const main = await page.textContent('main');
    assert.match(main, /Am Eingang zum Spielplatz/);
    assert.match(main, /In der Nähe von Kemberg, Stadt/);
    assert.equal(await page.locator('svg.ah-map--place circle.ah-map__marker').count(), 1);
    assert.match(main, /GeoBasis-DE \/ BKG/, 'the attribution the licence asks for');
    await checkPage(page, problems, 'proposal with a place');
  } finally {
    await context.close();
  }
});

test('a citizen sets the place with the keyboard, removes it and picks a Gemeinde', { timeout: 120_000, skip }, async () => {
  const { context, page, problems } = await openPage(demo.browser, { viewport: VIEWPORTS.phone });
  try {
    await logIn(page, CITIZEN, demo.accounts[CITIZEN]);
    await proposeForm(page);
    await mapReady(page);
    await page.fill('#field-title', 'Fahrradbügel');
    await page.fill('#field-body', 'Fahrradbügel vor dem Spielplatz.');

    // Tab from the Gemeinde list into the map, pan it, take its centre.
    await page.focus('#field-gemeinde');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.hasAttribute('data-place-canvas')), true,
      'the map is the next stop after the list');
    // Closer (+ twice), then a step west: the area's edge stays far.
    await page.keyboard.press('+');
    await page.waitForTimeout(400); // Leaflet animates zooming and panning
    await page.keyboard.press('+');
    await page.waitForTimeout(400);
    await page.keyboard.press('ArrowLeft');
    await page.waitForTimeout(400);
    // On with Tab (past the zoom buttons) to "Kartenmitte übernehmen".
    for (let i = 0; i < 6; i++) {
      if (await page.evaluate(() => document.activeElement?.hasAttribute('data-place-centre'))) break;
      await page.keyboard.press('Tab');
    }
    assert.match(await page.evaluate(() => document.activeElement?.textContent), /Kartenmitte übernehmen/);
    await page.keyboard.press('Enter');
    const taken = await point(page);
    assert.ok(insideWittenberg(taken), `the centre of the map was taken: ${JSON.stringify(taken)}`);
    assert.ok(Number(taken.lon) < 12.6337, `panned west of Kemberg before taking the centre: ${taken.lon}`);
    assert.match(await page.textContent('[data-place-status]'), /Ort gesetzt/);

    await page.focus('[data-place-clear]');
    await page.keyboard.press('Space');
    assert.deepEqual(await point(page), { lat: '', lon: '' });
    assert.match(await page.textContent('[data-place-status]'), /Kein Punkt gesetzt/);
    assert.equal(await page.locator('.ah-place-map__point').count(), 0);

    // The list: the point moves to the Gemeinde's centre; the server takes it from there.
    await page.focus('#field-gemeinde');
    await page.selectOption('#field-gemeinde', '15091375');
    assert.match(await page.textContent('[data-place-status]'), /Wittenberg, Lutherstadt/);
    await checkPage(page, problems, 'proposal form, place from the list');
    await submit(page, 'main form[method=post]');
    assert.match(new URL(page.url()).pathname, /^\/vorschlaege\/\d+$/);
    assert.match(await page.textContent('main'), /In der Nähe von Wittenberg, Lutherstadt/);
    await checkPage(page, problems, 'proposal placed by its Gemeinde');
  } finally {
    await context.close();
  }
});

test('without JavaScript the place is given in words and by Gemeinde', { timeout: 120_000, skip }, async () => {
  const { context, page, problems } = await openPage(demo.browser, { viewport: VIEWPORTS.phone, javaScriptEnabled: false });
  try {
    await logIn(page, CITIZEN, demo.accounts[CITIZEN]);
    await proposeForm(page, { javaScript: false });
    assert.equal(await page.isVisible('[data-place-map]'), false, 'no map without JavaScript');
    // axe needs scripts: the form is checked with them in the tests above.
    await page.fill('#field-title', 'Ein Baum');
    await page.fill('#field-body', 'Ein schattiger Baum.');
    await page.fill('#field-place', 'Neben der Schaukel');
    await page.selectOption('#field-gemeinde', '15091160');
    await submit(page, 'main form[method=post]');
    const main = await page.textContent('main');
    assert.match(main, /Neben der Schaukel/);
    assert.match(main, /In der Nähe von Kemberg, Stadt/);
    assert.deepEqual(problems.foreignRequests, []);
  } finally {
    await context.close();
  }
});
