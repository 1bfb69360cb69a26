// The authorisation contract: every route of the real route table × every role gets
// the expected answer, and the table may hold no route the contract does not list.
// Each feature lists its routes in tests/api/authz/<feature>.json.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startAlvd, runAlvd, sourceDir } from './lib/alvd.mjs';

// 'enrolling': an administrator after the right password, before setting up the second
// factor the role requires; only the enrolment routes (and whoami, logout) let it in.
const ROLES = ['anonymous', 'member', 'contact', 'admin', 'board', 'chair', 'secretariat', 'meldpunt', 'enrolling'];
const STAFF = ['admin', 'board', 'chair', 'secretariat', 'meldpunt'];

function expectedTable() {
  const dir = join(sourceDir, 'tests', 'api', 'authz');
  const table = {};
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
    const part = JSON.parse(readFileSync(join(dir, file), 'utf8'));
    for (const [key, roles] of Object.entries(part)) {
      assert.ok(!(key in table), `${key} is listed twice (${file})`);
      table[key] = roles;
    }
  }
  return table;
}

let alvd;
const clients = {};

before(async () => {
  alvd = await startAlvd({ demo: true });
  clients.anonymous = alvd.client();
  for (const role of STAFF) {
    const email = `only-${role}@authz.example`;
    const made = alvd.run(['user', 'add', '--email', email, '--name', `Only ${role}`, '--role', role, '--password-stdin'],
      `authz-${role}-password\n`);
    assert.equal(made.status, 0, made.stderr);
    clients[role] = alvd.client();
    await clients[role].login(email, `authz-${role}-password`);
  }
  {
    const made = alvd.run(['user', 'add', '--email', 'enrolling@authz.example', '--name', 'Not enrolled yet',
      '--role', 'admin', '--password-stdin'], 'authz-enrolling-password\n');
    assert.equal(made.status, 0, made.stderr);
    clients.enrolling = alvd.client();
    const login = clients.enrolling.adopt(await clients.enrolling.post('/api/session',
      { email: 'enrolling@authz.example', password: 'authz-enrolling-password' }));
    assert.equal(login.json.second_factor.session, 'enrolment');
    assert.deepEqual(login.json.user.roles, []);
  }
  for (const kind of ['member', 'contact']) {
    const args = ['session', 'add', '--kind', kind, '--organisation', '1'];
    if (kind === 'member') args.push('--meeting', '1');
    const issued = alvd.run(args);
    assert.equal(issued.status, 0, issued.stderr);
    clients[kind] = alvd.client();
    clients[kind].token = issued.stdout.trim();
  }
});

after(async () => { await alvd?.stop(); });

test('the route table and the contract list the same routes with the same roles', () => {
  const routes = JSON.parse(runAlvd(['routes'], alvd.env).stdout);
  const expected = expectedTable();
  const seen = new Set();
  for (const route of routes) {
    const key = `${route.method} ${route.pattern}`;
    seen.add(key);
    assert.ok(key in expected, `route ${key} is not in tests/api/authz/*.json`);
    assert.deepEqual([...route.roles].sort(), [...expected[key]].sort(), `roles of ${key}`);
  }
  for (const key of Object.keys(expected)) assert.ok(seen.has(key), `contract lists ${key}, which is not a route`);
});

test('every route answers every role as the contract says', async () => {
  const routes = JSON.parse(runAlvd(['routes'], alvd.env).stdout);
  const failures = [];
  for (const route of routes) {
    if (route.method === 'DELETE' && route.pattern === '/api/session') continue; // would log the role out; tested below
    // Placeholders: id 999999 rarely exists, so allowed roles mostly get 404/422,
    // which shows they passed the route-level check.
    const path = route.pattern.replace(/\{[^}]+\}/g, (m) => (m.includes('ticket') || m.includes('link') ? 'x' : '999999'));
    for (const role of ROLES) {
      const client = clients[role];
      const body = route.method === 'GET' ? undefined : {};
      const raw = route.content_type && route.content_type !== 'application/json';
      const response = raw
        ? await client.request(route.method, path, '', { raw: true, contentType: route.content_type })
        : await client.request(route.method, path, body);
      const allowed = route.roles.includes('anyone') || route.roles.includes(role);
      const why = `${route.method} ${path} as ${role}: ${response.status} ${response.text.slice(0, 200)}`;
      if (allowed) {
        if (response.status === 401 || (response.status === 403 && response.json?.code === 'forbidden')) failures.push(`allowed but refused: ${why}`);
      } else if (role === 'anonymous') {
        if (response.status !== 401) failures.push(`anonymous not 401: ${why}`);
      } else if (role === 'enrolling') {
        if (response.status !== 403 || response.json?.code !== 'totp_enrolment_required') failures.push(`enrolling not 403 totp_enrolment_required: ${why}`);
      } else if (response.status !== 403 || response.json?.code !== 'forbidden') {
        failures.push(`not 403 forbidden: ${why}`);
      }
    }
  }
  assert.deepEqual(failures, []);
});

test('every changing route refuses a cookie session without X-CSRF-Token, and a foreign Origin', async () => {
  const routes = JSON.parse(runAlvd(['routes'], alvd.env).stdout);
  const failures = [];
  for (const route of routes) {
    if (route.method === 'GET') continue;
    const role = ['admin', 'board', 'chair', 'secretariat', 'meldpunt', 'member', 'contact', 'enrolling'].find((r) => route.roles.includes(r));
    if (!role) continue; // public routes (logins) have no session to forge
    const path = route.pattern.replace(/\{[^}]+\}/g, '999999');
    // The same session token, presented as a cookie the way a browser would.
    const cookieClient = alvd.client({ cookies: true });
    cookieClient.cookie = `alvd_session=${clients[role].token}`;
    const raw = route.content_type && route.content_type !== 'application/json';
    const send = (headers) => (raw
      ? cookieClient.request(route.method, path, '', { raw: true, contentType: route.content_type, headers })
      : cookieClient.request(route.method, path, route.method === 'DELETE' ? undefined : {}, { headers }));
    const noToken = await send({});
    if (noToken.status !== 403 || noToken.json?.code !== 'csrf') failures.push(`no CSRF: ${route.method} ${path} as ${role}: ${noToken.status} ${noToken.text.slice(0, 120)}`);
    const foreign = await clients[role].request(route.method, path, raw ? '' : {}, raw
      ? { raw: true, contentType: route.content_type, headers: { Origin: 'https://evil.example' } }
      : { headers: { Origin: 'https://evil.example' } });
    if (foreign.status !== 403 || foreign.json?.code !== 'bad_origin') failures.push(`foreign origin: ${route.method} ${path} as ${role}: ${foreign.status}`);
  }
  assert.deepEqual(failures, []);
});

test('logout is allowed for every logged-in kind and refused anonymously', async () => {
  assert.equal((await clients.anonymous.delete('/api/session')).status, 401);
  for (const role of ROLES.filter((r) => r !== 'anonymous')) {
    assert.equal((await clients[role].delete('/api/session')).status, 204, role);
    assert.equal((await clients[role].get('/api/session')).status, 401, `${role} after logout`);
  }
});
