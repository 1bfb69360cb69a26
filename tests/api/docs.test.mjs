// Keeps docs/api.md true to the route table: every route documented exactly once with
// its method, path and roles, nothing documented that does not exist, and the contract.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runAlvd, sourceDir } from './lib/alvd.mjs';

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD'];
const referencePath = join(sourceDir, 'docs', 'api.md');
// The contract sits beside the checkout (/work/main → /work/shared); a worktree one level
// deeper (/work/wt/<name>) finds it two levels up; ALVD_CONTRACT_API names it outright.
const contractCandidates = [
  process.env.ALVD_CONTRACT_API,
  join(sourceDir, '..', 'shared', 'API.md'),
  join(sourceDir, '..', '..', 'shared', 'API.md'),
].filter(Boolean);
const contractPath = contractCandidates.find((path) => existsSync(path)) || contractCandidates[0];

/** Cells of a Markdown table row; a pipe escaped as \| stays inside its cell. */
function cells(line) {
  const parts = line.trim().split(/(?<!\\)\|/).map((cell) => cell.trim().replace(/\\\|/g, '|'));
  return parts.slice(1, parts[parts.length - 1] === '' ? -1 : undefined);
}

function unquote(text) {
  return text.replace(/`/g, '').trim();
}

function startsWithMethod(line) {
  return METHODS.some((method) => line.startsWith(`| ${method} `) || line.startsWith(`| ${method}|`));
}

/** The rows of docs/api.md's route tables: {line, method, path, roles, contract}. */
function documentedRows() {
  const rows = [];
  readFileSync(referencePath, 'utf8').split('\n').forEach((line, index) => {
    if (!startsWithMethod(line)) return;
    const [method, path, roles, body] = cells(line);
    assert.ok(body !== undefined, `docs/api.md line ${index + 1} has fewer than four cells`);
    rows.push({
      line: index + 1,
      method: unquote(method),
      path: unquote(path),
      roles: unquote(roles).split(',').map((role) => role.trim()).filter(Boolean),
      contract: body.includes('[contract]'),
    });
  });
  return rows;
}

/** The routes of ../shared/API.md's tables: "| METHOD path | who | … |". */
function contractRoutes(text) {
  const routes = [];
  for (const line of text.split('\n')) {
    if (!startsWithMethod(line)) continue;
    const first = cells(line)[0];
    const match = /^([A-Z]+)\s+(\S+)(.*)$/.exec(first);
    assert.ok(match, `cannot read the contract row ${line}`);
    const [, method, written, rest] = match;
    const path = written.split('?')[0].replace(/,$/, '');
    routes.push({ method, path, row: first });
    // "POST /a/{id}/start, /a/{id}/finish": every further path of the list, same method.
    if (written.endsWith(','))
      for (const also of rest.matchAll(/(?:^|,)\s*(\/[^\s,]+)/g))
        routes.push({ method, path: also[1].split('?')[0], row: first });
    // "qr.png (and `.svg`)": the same path with the other extension is listed too.
    for (const also of rest.matchAll(/\(and `(\.[A-Za-z0-9]+)`\)/g))
      routes.push({ method, path: path.replace(/\.[A-Za-z0-9]+$/, also[1]), row: first });
  }
  return routes;
}

/** A contract path matches a route pattern when the literal segments are equal and
 * every segment with a placeholder ({id}, {YYYY}H{1|2}) is a placeholder there. */
function pathMatches(contractPath, pattern) {
  const wanted = contractPath.split('/');
  const have = pattern.split('/');
  if (wanted.length !== have.length) return false;
  return wanted.every((segment, i) =>
    segment.includes('{') ? /^\{[^}]+\}$/.test(have[i]) : segment === have[i]);
}

function routeTable() {
  const result = runAlvd(['routes'], {});
  assert.equal(result.status, 0, `alvd routes failed: ${result.stderr}`);
  return JSON.parse(result.stdout);
}

test('every route of the table is documented exactly once with the same roles', () => {
  const routes = routeTable();
  const rows = documentedRows();
  assert.ok(routes.length > 0, 'alvd routes printed no routes');
  for (const route of routes) {
    const key = `${route.method} ${route.pattern}`;
    const found = rows.filter((row) => row.method === route.method && row.path === route.pattern);
    assert.equal(found.length, 1,
      `${key} is documented ${found.length} times in docs/api.md${found.length ? ` (lines ${found.map((r) => r.line).join(', ')})` : ''}`);
    assert.deepEqual([...found[0].roles].sort(), [...route.roles].sort(),
      `roles of ${key} (docs/api.md line ${found[0].line})`);
  }
});

test('docs/api.md documents no route that the table does not have', () => {
  const routes = routeTable();
  const known = new Set(routes.map((route) => `${route.method} ${route.pattern}`));
  const rows = documentedRows();
  for (const row of rows)
    assert.ok(known.has(`${row.method} ${row.path}`),
      `docs/api.md line ${row.line} documents ${row.method} ${row.path}, which is not in alvd routes`);
  assert.equal(rows.length, routes.length, 'docs/api.md has as many route rows as the table has routes');
});

test('every route of the contract (../shared/API.md) exists in the table and is marked [contract]', (t) => {
  if (!existsSync(contractPath)) {
    t.skip(`the contract ${contractPath} is absent; nothing to check against`);
    return;
  }
  const routes = routeTable();
  const rows = documentedRows();
  const contract = contractRoutes(readFileSync(contractPath, 'utf8'));
  assert.ok(contract.length > 0, 'no routes read from the contract');
  const contractKeys = new Set();
  for (const entry of contract) {
    const matching = routes.filter((route) => route.method === entry.method && pathMatches(entry.path, route.pattern));
    assert.equal(matching.length, 1,
      `contract route ${entry.method} ${entry.path} (row "${entry.row}") matches ${matching.length} routes of the table`);
    const key = `${matching[0].method} ${matching[0].pattern}`;
    contractKeys.add(key);
    const row = rows.find((r) => `${r.method} ${r.path}` === key);
    assert.ok(row && row.contract, `${key} is part of the contract but its docs/api.md row is not marked [contract]`);
  }
  for (const row of rows.filter((r) => r.contract))
    assert.ok(contractKeys.has(`${row.method} ${row.path}`),
      `docs/api.md line ${row.line} marks ${row.method} ${row.path} [contract], but the contract does not list it`);
});
