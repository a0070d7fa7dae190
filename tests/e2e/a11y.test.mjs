// WCAG 2.1 AA (BITV 2.0) checks with axe-core on every page we ship so far,
// at desktop and phone width, plus the dark theme KERN switches to by itself.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, openPage, visit, runAxe, formatViolations, VIEWPORTS, PAGES } from './lib.mjs';

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

for (const p of PAGES) {
  for (const [label, viewport] of Object.entries(VIEWPORTS)) {
    test(`${p.name} at ${viewport.width}px has no WCAG 2.1 AA violations`, { timeout: 60_000 }, async () => {
      const { context, page } = await openPage(browser, { viewport });
      try {
        assert.equal(await visit(page, p.path), p.status, `${p.path} status (${label})`);
        const violations = await runAxe(page);
        assert.equal(violations.length, 0, `axe found violations on ${p.path} at ${viewport.width}px:\n\n${formatViolations(violations)}`);
      } finally {
        await context.close();
      }
    });
  }

  // KERN follows prefers-color-scheme; a phone in dark mode must keep AA contrast too.
  test(`${p.name} in dark mode has no WCAG 2.1 AA violations`, { timeout: 60_000 }, async () => {
    const { context, page } = await openPage(browser, { viewport: VIEWPORTS.phone, colorScheme: 'dark' });
    try {
      assert.equal(await visit(page, p.path), p.status);
      const violations = await runAxe(page);
      assert.equal(violations.length, 0, `axe found violations on ${p.path} (dark):\n\n${formatViolations(violations)}`);
    } finally {
      await context.close();
    }
  });
}
