// The server's OpenAPI 3.1 document (GET /api/v1/openapi.json): valid against
// the OpenAPI 3.1 schema (JSON Schema 2020-12 based, checked offline by
// @seriousme/openapi-schema-validator, which ships the schemas), following our
// API conventions, and true to the live server: every GET it documents that
// can be called without input, or has an `x-example`, answers 200 with JSON.
// Plain fetch, no browser.
//
// Conventions checked:
//   - every path starts with /api/v1/, and its {templates} match its path parameters
//   - every operation has a unique operationId and a summary
//   - every operation documents a 2xx response and a 4xx or default response;
//     every 4xx, 5xx and default response is application/problem+json whose
//     schema refers to #/components/schemas/Problem (type, title, status, detail)
//   - a GET with required parameters (path parameters always are) may carry an
//     operation-level `x-example` object giving them, e.g. {"ags": "15091375"};
//     it is then called with those values. Without one it is skipped.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { Validator } from '@seriousme/openapi-schema-validator';

// Same default as lib.mjs, which this file does not import so as not to load Playwright.
const BASE_URL = (process.env.AH_BASE_URL ?? 'http://127.0.0.1:18080').replace(/\/+$/, '');
const DOC_PATH = '/api/v1/openapi.json';
const PROBLEM_REF = '#/components/schemas/Problem';
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
const TIMEOUT_MS = 10_000;

let served; // { status, contentType, body, doc?, parseError? }

before(async () => {
  const response = await fetch(BASE_URL + DOC_PATH, {
    headers: { accept: 'application/json' },
    redirect: 'manual',
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  served = { status: response.status, contentType: response.headers.get('content-type') ?? '', body: await response.text() };
  try {
    served.doc = JSON.parse(served.body);
  } catch (err) {
    served.parseError = err.message;
  }
});

function mediaType(contentType) {
  return (contentType ?? '').split(';')[0].trim().toLowerCase();
}

function isJsonMediaType(type) {
  return type === 'application/json' || /^application\/[\w.+-]+\+json$/.test(type);
}

// The parsed document; every test needs it. A JSON error body is no document.
function doc() {
  const ok = served.status === 200 && served.doc !== null && typeof served.doc === 'object' && 'openapi' in served.doc;
  assert.ok(ok, `no OpenAPI document at ${DOC_PATH} (HTTP ${served.status}): ${served.parseError ?? served.body.slice(0, 300)}`);
  return served.doc;
}

// Resolves a local "#/a/b" JSON pointer in the document (one step).
function pointer(root, ref) {
  if (typeof ref !== 'string' || !ref.startsWith('#')) return undefined;
  let node = root;
  for (const raw of ref.slice(1).split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (node === null || typeof node !== 'object' || !(key in node)) return undefined;
    node = node[key];
  }
  return node;
}

// Follows $ref chains of Reference Objects (response, parameter, path item).
function deref(root, node) {
  for (let i = 0; i < 32 && node && typeof node === 'object' && typeof node.$ref === 'string'; i++) {
    node = pointer(root, node.$ref);
  }
  return node;
}

// Every operation as { path, method, op, params, where }, with the path item's
// parameters merged in (the operation's win on the same name and location).
function operations(root) {
  const ops = [];
  for (const [path, rawItem] of Object.entries(root.paths ?? {})) {
    const item = deref(root, rawItem) ?? {};
    for (const method of METHODS) {
      const op = item[method];
      if (!op || typeof op !== 'object') continue;
      const params = new Map();
      for (const raw of [...(item.parameters ?? []), ...(op.parameters ?? [])]) {
        const p = deref(root, raw);
        if (p && typeof p === 'object') params.set(`${p.in}:${p.name}`, p);
      }
      ops.push({ path, method, op, params: [...params.values()], where: `${method.toUpperCase()} ${path}` });
    }
  }
  return ops;
}

// Ajv's errors, one per line with where in the document and which schema rule.
// An "if" error only repeats that its "then"/"else" branch failed; it is left out.
function formatValidationErrors(errors) {
  if (typeof errors === 'string') return `  ${errors}`;
  const all = errors ?? [];
  const relevant = all.filter((e) => e.keyword !== 'if');
  return (relevant.length ? relevant : all).map((e) => {
    const params = e.params && Object.keys(e.params).length ? ` ${JSON.stringify(e.params)}` : '';
    return `  at ${e.instancePath || '(root)'}: ${e.message}${params}\n    (schema ${e.schemaPath})`;
  }).join('\n');
}

// Asserts an empty list of findings, printing all of them, one a line.
function assertNoFindings(findings, what) {
  assert.ok(findings.length === 0, `${findings.length} ${what}:\n${findings.map((f) => `  - ${f}`).join('\n')}`);
}

test(`GET ${DOC_PATH} answers 200 with a JSON OpenAPI 3.1 document`, { timeout: 30_000 }, () => {
  assert.equal(served.status, 200, `HTTP status (body: ${served.body.slice(0, 200)})`);
  const type = mediaType(served.contentType);
  assert.ok(['application/json', 'application/vnd.oai.openapi+json'].includes(type),
    `Content-Type is application/json or application/vnd.oai.openapi+json, got "${served.contentType}"`);
  assert.equal(served.parseError, undefined, 'body parses as JSON');
  assert.equal(typeof doc().openapi, 'string', '"openapi" is a string');
  assert.match(doc().openapi, /^3\.1\./, '"openapi" is 3.1.x');
});

test('the document is valid against the OpenAPI 3.1 schema and its $refs resolve', { timeout: 30_000 }, async () => {
  // The validator keeps a reference to what it validates; give it a copy.
  // allErrors: report every problem at once, not just the first.
  const result = await new Validator({ allErrors: true }).validate(structuredClone(doc()));
  assert.ok(result.valid, `OpenAPI ${doc().openapi} document is invalid:\n${formatValidationErrors(result.errors)}`);
});

test('every path lives under /api/v1/ and its templates match its path parameters', () => {
  const root = doc();
  const findings = [];
  assert.ok(root.paths && Object.keys(root.paths).length > 0, 'the document has paths');
  for (const path of Object.keys(root.paths)) {
    if (!path.startsWith('/api/v1/')) findings.push(`${path}: does not start with /api/v1/`);
  }
  for (const { path, params, where } of operations(root)) {
    const templated = new Set([...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]));
    const declared = new Set(params.filter((p) => p.in === 'path').map((p) => p.name));
    for (const name of templated) if (!declared.has(name)) findings.push(`${where}: {${name}} has no path parameter`);
    for (const name of declared) if (!templated.has(name)) findings.push(`${where}: path parameter "${name}" is not in the path`);
  }
  assertNoFindings(findings, 'path problems');
});

test('every operation has a unique operationId and a summary', () => {
  const findings = [];
  const seen = new Map();
  for (const { op, where } of operations(doc())) {
    if (typeof op.operationId !== 'string' || op.operationId.trim() === '') {
      findings.push(`${where}: no operationId`);
    } else if (seen.has(op.operationId)) {
      findings.push(`${where}: operationId "${op.operationId}" is already used by ${seen.get(op.operationId)}`);
    } else {
      seen.set(op.operationId, where);
    }
    if (typeof op.summary !== 'string' || op.summary.trim() === '') findings.push(`${where}: no summary`);
  }
  assert.ok(seen.size > 0 || findings.length > 0, 'the document has operations');
  assertNoFindings(findings, 'operation problems');
});

test('components.schemas.Problem describes an RFC 9457 problem detail', () => {
  const problem = doc().components?.schemas?.Problem;
  assert.ok(problem && typeof problem === 'object', 'components.schemas.Problem exists');
  const types = [problem.type].flat();
  assert.ok(types.includes('object'), `Problem is of type object, got ${JSON.stringify(problem.type)}`);
  const expected = { type: 'string', title: 'string', status: 'integer', detail: 'string' };
  const findings = [];
  for (const [name, type] of Object.entries(expected)) {
    const prop = problem.properties?.[name];
    if (!prop) findings.push(`Problem has no property "${name}"`);
    else if (![prop.type].flat().includes(type)) findings.push(`Problem.${name} is not of type ${type} (${JSON.stringify(prop.type)})`);
  }
  assertNoFindings(findings, 'Problem schema problems');
});

// True when `schema` is the shared Problem, a $ref chain to it, or an allOf that includes it.
function refersToProblem(root, schema, depth = 0) {
  if (!schema || typeof schema !== 'object' || depth > 16) return false;
  if (schema.$ref === PROBLEM_REF) return true;
  if (typeof schema.$ref === 'string') return refersToProblem(root, pointer(root, schema.$ref), depth + 1);
  return Array.isArray(schema.allOf) && schema.allOf.some((s) => refersToProblem(root, s, depth + 1));
}

test('every operation documents a 2xx and problem+json errors using the shared Problem', () => {
  const root = doc();
  const findings = [];
  const ops = operations(root);
  assert.ok(ops.length > 0, 'the document has operations');
  for (const { op, where } of ops) {
    const codes = Object.keys(op.responses ?? {});
    if (!codes.some((c) => /^2(\d\d|XX)$/.test(c))) findings.push(`${where}: no 2xx response`);
    const errorCodes = codes.filter((c) => /^[45](\d\d|XX)$/.test(c) || c === 'default');
    if (!errorCodes.some((c) => c.startsWith('4') || c === 'default')) findings.push(`${where}: no 4xx or default response`);
    for (const code of errorCodes) {
      const response = deref(root, op.responses[code]);
      const media = response?.content?.['application/problem+json'];
      if (!media) {
        findings.push(`${where} ${code}: no application/problem+json content (has ${Object.keys(response?.content ?? {}).join(', ') || 'none'})`);
      } else if (!refersToProblem(root, media.schema)) {
        findings.push(`${where} ${code}: application/problem+json schema does not refer to ${PROBLEM_REF}`);
      }
    }
  }
  assertNoFindings(findings, 'response problems');
});

// The URL to call for a GET, or { skip } / { error } when it cannot be built.
function exampleUrl({ path, op, params, where }) {
  const required = params.filter((p) => p.in === 'path' || p.required === true);
  const example = op['x-example'];
  if (example === undefined) {
    return required.length === 0 && !path.includes('{')
      ? { url: path }
      : { skip: `needs ${required.map((p) => `${p.in} "${p.name}"`).join(', ')}; no x-example` };
  }
  if (!example || typeof example !== 'object' || Array.isArray(example)) return { error: `${where}: x-example is not an object` };
  const errors = [];
  for (const p of required) {
    if (!(p.name in example)) errors.push(`${where}: x-example has no value for required ${p.in} parameter "${p.name}"`);
  }
  const query = new URLSearchParams();
  let url = path;
  for (const [name, value] of Object.entries(example)) {
    const p = params.find((q) => q.name === name && ['path', 'query'].includes(q.in));
    if (!p) { errors.push(`${where}: x-example names "${name}", which is no path or query parameter`); continue; }
    if (value === null || typeof value === 'object') { errors.push(`${where}: x-example "${name}" is not a string, number or boolean`); continue; }
    if (p.in === 'path') url = url.replaceAll(`{${name}}`, encodeURIComponent(String(value)));
    else query.append(name, String(value));
  }
  if (errors.length) return { error: errors.join('\n') };
  return { url: query.size ? `${url}?${query}` : url };
}

test('each callable GET operation answers 200 with JSON on the live server', { timeout: 120_000 }, async (t) => {
  const gets = operations(doc()).filter((o) => o.method === 'get');
  assert.ok(gets.length > 0, 'the document has GET operations');
  for (const o of gets) {
    const target = exampleUrl(o);
    await t.test(target.url ? `GET ${target.url}` : o.where, { skip: target.skip ?? false, timeout: 30_000 }, async () => {
      if (target.error) assert.fail(target.error);
      const response = await fetch(BASE_URL + target.url, {
        headers: { accept: 'application/json' },
        redirect: 'manual',
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      const body = await response.text();
      const type = mediaType(response.headers.get('content-type'));
      // An operation that declares `security` needs a login: anonymously it must say 401
      // with a problem detail, not leak data or fail otherwise.
      if ((o.op.security ?? doc().security ?? []).length > 0) {
        assert.equal(response.status, 401, `${o.where} (${o.op.operationId}) anonymously: HTTP status (body: ${body.slice(0, 300)})`);
        assert.equal(type, 'application/problem+json', `${target.url}: a 401 is a problem detail`);
        return;
      }
      assert.equal(response.status, 200, `${o.where} (${o.op.operationId}) via ${target.url}: HTTP status (body: ${body.slice(0, 300)})`);
      assert.ok(isJsonMediaType(type), `${target.url}: Content-Type is JSON, got "${type}"`);
      assert.doesNotThrow(() => JSON.parse(body), `${target.url}: body parses as JSON`);
    });
  }
});

test('an unknown API path answers 404 application/problem+json shaped like Problem', { timeout: 30_000 }, async () => {
  const response = await fetch(`${BASE_URL}/api/v1/gibt-es-nicht`, {
    headers: { accept: 'application/json' },
    redirect: 'manual',
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  assert.equal(response.status, 404);
  assert.equal(mediaType(response.headers.get('content-type')), 'application/problem+json');
  const problem = await response.json();
  for (const name of ['type', 'title', 'detail']) assert.equal(typeof problem[name], 'string', `problem.${name} is a string`);
  assert.equal(problem.status, 404, 'problem.status is the HTTP status');
});
