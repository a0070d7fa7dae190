// Behaviour every page must show: structure and language, keyboard access,
// reflow at 320 px, a clean load under the strict CSP with no third-party
// requests, the language switch, and working without JavaScript.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  launchBrowser, openPage, visit, cspViolations, unexpectedConsoleErrors, VIEWPORTS, PAGES,
} from './lib.mjs';

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

// Runs `fn` with a fresh page and always closes its context, so tests share nothing.
async function withPage(options, fn) {
  const { context, page, problems } = await openPage(browser, options);
  try {
    return await fn(page, problems);
  } finally {
    await context.close();
  }
}

function withQuery(path, query) {
  return path + (path.includes('?') ? '&' : '?') + query;
}

for (const p of PAGES) {
  test(`${p.name}: German by default, one h1, landmarks in place`, { timeout: 30_000 }, () =>
    withPage({}, async (page) => {
      assert.equal(await visit(page, p.path), p.status);
      assert.equal(await page.getAttribute('html', 'lang'), 'de');
      assert.equal(await page.locator('h1').count(), 1, 'exactly one h1');
      assert.notEqual((await page.locator('h1').innerText()).trim(), '', 'h1 has text');
      assert.match(await page.title(), /\S+ – augenhoehe$/, 'title is "<page> – augenhoehe"');
      // Landmarks by role, as assistive technology sees them.
      assert.equal(await page.getByRole('banner').count(), 1, 'one banner (page header)');
      assert.equal(await page.getByRole('main').count(), 1, 'one main');
      assert.equal(await page.getByRole('contentinfo').count(), 1, 'one contentinfo (page footer)');
      assert.ok(await page.getByRole('navigation').count() >= 1, 'at least one navigation');
      for (const href of ['/impressum', '/datenschutz', '/barrierefreiheit']) {
        assert.equal(await page.locator(`footer a[href="${href}"]`).count(), 1, `footer links ${href}`);
      }
      // The server renders a missing catalogue key as ⟦key⟧.
      assert.doesNotMatch(await page.locator('body').innerText(), /⟦/, 'no missing texts');
      const footer = await page.getByRole('contentinfo').innerText();
      assert.match(footer, /© Statistisches Bundesamt \(Destatis\), Gemeindeverzeichnis 2021; © GeoBasis-DE \/ BKG 2020 \(Daten verändert\); dl-de\/by-2-0/);
    }));

  test(`${p.name}: skip link is the first stop and moves focus to main`, { timeout: 30_000 }, () =>
    withPage({}, async (page) => {
      await visit(page, p.path);
      const h1Before = await page.locator('h1').boundingBox();
      await page.keyboard.press('Tab');
      const skip = page.locator('a[href="#main"]');
      assert.ok(await skip.evaluate((el) => el === document.activeElement), 'first Tab focuses the skip link');
      // Visible focus (WCAG 2.4.7): on screen and outlined while focused.
      const box = await skip.boundingBox();
      assert.ok(box && box.y >= 0 && box.height > 0, `skip link is visible when focused (box ${JSON.stringify(box)})`);
      const outline = await skip.evaluate((el) => {
        const s = getComputedStyle(el);
        return { style: s.outlineStyle, width: parseFloat(s.outlineWidth) };
      });
      assert.ok(outline.style !== 'none' && outline.width >= 2, `skip link shows a focus outline (${JSON.stringify(outline)})`);
      // It overlays the header instead of pushing the page down.
      assert.deepEqual(await page.locator('h1').boundingBox(), h1Before, 'showing the skip link moves no content');
      await page.keyboard.press('Enter');
      await page.waitForFunction(() => document.activeElement?.id === 'main', null, { timeout: 5_000 });
      assert.ok(page.url().endsWith('#main'));
    }));

  for (const viewport of Object.values(VIEWPORTS)) {
    test(`${p.name} at ${viewport.width}px: clean load under the CSP, nothing from other hosts`, { timeout: 30_000 }, () =>
      withPage({ viewport }, async (page, problems) => {
        assert.equal(await visit(page, p.path), p.status);
        const violations = await cspViolations(page);
        assert.deepEqual(violations, [], 'CSP violations');
        assert.deepEqual(unexpectedConsoleErrors(problems, page, p.status), [], 'console errors');
        assert.deepEqual(problems.pageErrors, [], 'uncaught page errors');
        assert.deepEqual(problems.foreignRequests, [], 'requests to other hosts');
        assert.deepEqual(problems.failedResponses, [], 'subresources that failed');
        // htmx ran under the CSP: its config meta stopped it injecting a <style>.
        assert.equal(await page.evaluate(() => typeof window.htmx), 'object', 'htmx loaded');
        assert.equal(await page.evaluate(() => window.htmx.config.includeIndicatorStyles), false);
        // KERN's typeface must arrive from our server (checks the CSS url() rewriting).
        const firaLoaded = await page.evaluate(() =>
          [...document.fonts].some((f) => f.family.replace(/["']/g, '') === 'Fira Sans' && f.status === 'loaded'));
        assert.ok(firaLoaded, 'Fira Sans web font loaded');
      }));
  }

  // WCAG 1.4.10: content reflows at 320 CSS px without horizontal scrolling.
  test(`${p.name}: reflows at 320px without horizontal scrolling`, { timeout: 30_000 }, () =>
    withPage({ viewport: { width: 320, height: 640 } }, async (page) => {
      await visit(page, p.path);
      const { scrollWidth, clientWidth } = await page.evaluate(() => ({
        scrollWidth: document.documentElement.scrollWidth,
        clientWidth: document.documentElement.clientWidth,
      }));
      assert.ok(scrollWidth <= clientWidth, `page is ${scrollWidth}px wide in a ${clientWidth}px viewport`);
    }));

  test(`${p.name}: ?lang=en switches to English`, { timeout: 30_000 }, () =>
    withPage({}, async (page) => {
      assert.equal(await visit(page, withQuery(p.path, 'lang=en')), p.status);
      assert.equal(await page.getAttribute('html', 'lang'), 'en');
      assert.equal(await page.locator('a[hreflang="en"][aria-current="true"]').count(), 1, 'English marked current');
      assert.equal(await page.locator('a[hreflang="de"][aria-current="true"]').count(), 0, 'German not marked current');
      assert.equal(await page.locator('a[hreflang="de"]').getAttribute('lang'), 'de', 'the German link is marked as German');
      assert.equal(await page.locator('h1').count(), 1);
    }));

  test(`${p.name}: language switch links work without JavaScript`, { timeout: 30_000 }, () =>
    withPage({ javaScriptEnabled: false }, async (page) => {
      assert.equal(await visit(page, p.path, { waitForFonts: false }), p.status);
      assert.equal(await page.locator('a[hreflang="de"][aria-current="true"]').count(), 1, 'German marked current');
      await Promise.all([page.waitForNavigation(), page.locator('a[hreflang="en"]').click()]);
      assert.equal(await page.getAttribute('html', 'lang'), 'en');
      assert.equal(await page.locator('h1').count(), 1);
    }));
}

test('start page names the five areas', { timeout: 30_000 }, () =>
  withPage({}, async (page) => {
    await visit(page, '/');
    const h3 = await page.locator('main h3').allInnerTexts();
    assert.deepEqual(h3.map((s) => s.trim()), [
      'Arbeitsgruppen', 'Konsultationen', 'Beteiligungsportal', 'eGovernment-Marktplatz', 'IT-Sicherheitsprogramm',
    ]);
  }));

test('404 page shows the status, a way home and the Fehlerkennung', { timeout: 30_000 }, () =>
  withPage({}, async (page) => {
    assert.equal(await visit(page, '/gibt-es-nicht'), 404);
    const main = await page.getByRole('main').innerText();
    assert.match(main, /404/);
    assert.match(main, /Fehlerkennung/);
    assert.equal(await page.locator('main a[href="/"]').count(), 1, 'link back home');
  }));
