// Static checks of the templates and catalogues, no browser or server needed:
// they catch, before any page is rendered, what the CSP or the i18n rule
// would otherwise only reveal on the page that happens to use it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const LANGS = ['de', 'en'];

// Every module's folder: src/modules/M, and a sub-module's src/modules/M/S (e.g.
// groups/decisions), as cmake/share.cmake collects them.
function moduleDirs() {
  const dirs = [];
  for (const m of readdirSync(join(ROOT, 'src/modules'), { withFileTypes: true })) {
    if (!m.isDirectory()) continue;
    const dir = join(ROOT, 'src/modules', m.name);
    dirs.push(dir);
    for (const sub of readdirSync(dir, { withFileTypes: true })) {
      if (sub.isDirectory() && !['templates', 'i18n'].includes(sub.name)) dirs.push(join(dir, sub.name));
    }
  }
  return dirs;
}

function templateFiles() {
  const dirs = [join(ROOT, 'src/web/templates')];
  for (const dir of moduleDirs()) dirs.push(join(dir, 'templates'));
  const files = [];
  for (const d of dirs) {
    let names = [];
    try { names = readdirSync(d); } catch { continue; }
    for (const n of names) if (n.endsWith('.mustache')) files.push(join(d, n));
  }
  return files;
}

// The shared catalogue merged with every module's src/modules/M/i18n/LANG.json (and each
// sub-module's src/modules/P/M/i18n/LANG.json), as the
// server merges them (web/i18n.h).
function catalogue(lang) {
  const merged = JSON.parse(readFileSync(join(ROOT, 'src/web/i18n', `${lang}.json`), 'utf8'));
  for (const dir of moduleDirs()) {
    let text;
    try { text = readFileSync(join(dir, 'i18n', `${lang}.json`), 'utf8'); } catch { continue; }
    for (const [k, v] of Object.entries(JSON.parse(text))) {
      assert.ok(!(k in merged), `${dir}/i18n/${lang}.json redefines ${k}`);
      merged[k] = v;
    }
  }
  return merged;
}
const catalogues = Object.fromEntries(LANGS.map((l) => [l, catalogue(l)]));

// Template text without mustache comments, which may talk about what they forbid.
function code(file) {
  return readFileSync(file, 'utf8').replace(/\{\{![\s\S]*?\}\}/g, '');
}

test('catalogues have the same keys, all [a-z0-9_]+ with non-empty strings', () => {
  const reference = Object.keys(catalogues.de).sort();
  for (const l of LANGS) {
    assert.deepEqual(Object.keys(catalogues[l]).sort(), reference, `${l}.json keys match de.json`);
    for (const [k, v] of Object.entries(catalogues[l])) {
      assert.match(k, /^[a-z0-9_]+$/, `${l}.json key ${k}`);
      assert.equal(typeof v, 'string', `${l}.json ${k} is a string`);
      assert.notEqual(v.trim(), '', `${l}.json ${k} is not empty`);
    }
  }
});

test('every HTTP error the server sends has a title and a message', () => {
  for (const status of [400, 403, 404, 405, 413, 429, 431, 500, 503]) {
    for (const l of LANGS) {
      assert.ok(catalogues[l][`error_${status}_title`], `${l}: error_${status}_title`);
      assert.ok(catalogues[l][`error_${status}_message`], `${l}: error_${status}_message`);
    }
  }
});

test('templates use only catalogue keys that exist', () => {
  const files = templateFiles();
  assert.ok(files.length >= 3, 'layout, error and home templates found');
  for (const f of files) {
    for (const [, key] of code(f).matchAll(/\{\{[#^/]?\s*t\.([^}\s]+)\s*\}\}/g)) {
      for (const l of LANGS) assert.ok(key in catalogues[l], `${f}: t.${key} missing in ${l}.json`);
    }
  }
});

test('templates never bypass escaping and contain nothing the CSP blocks', () => {
  // Every value inserted unescaped is a *_html value set from web::rich_text.
  const cc = moduleDirs()
    .flatMap((dir) => readdirSync(dir).filter((n) => n.endsWith('.cc'))
      .map((n) => readFileSync(join(dir, n), 'utf8')))
    .join('\n');
  const sets = [...cc.matchAll(/\.set\("([a-z_]+_html)",\s*([^;]*)/g)];
  assert.ok(sets.length >= 3, 'the pages that show people\'s texts set *_html values');
  for (const [, name, value] of sets) {
    assert.match(value, /^web::rich_text\(/, `${name} is set from web::rich_text only`);
  }
  for (const f of templateFiles()) {
    const c = code(f);
    // The one exception: {{{NAME_html}}}, which pages fill only with web::rich_text
    // (Markdown rendered by src/markdown and audited against its allowlist).
    const unescaped = c.replace(/\{\{\{[a-z_]+_html\}\}\}/g, '');
    assert.doesNotMatch(unescaped, /\{\{\{|\{\{&/, `${f}: unescaped output`);
    assert.doesNotMatch(c, /\sstyle\s*=/i, `${f}: inline style attribute`);
    assert.doesNotMatch(c, /<style[\s>]/i, `${f}: <style> block`);
    assert.doesNotMatch(c, /<script(?![^>]*\ssrc=)[^>]*>/i, `${f}: inline <script>`);
    assert.doesNotMatch(c, /\son[a-z]+\s*=/i, `${f}: inline event handler`);
    assert.doesNotMatch(c, /\s(?:src|href)="(?:https?:)?\/\/(?![^"]*govdata\.de\/dl-de)/i,
      `${f}: loads from or links to another host (only the licence link is expected)`);
  }
});
