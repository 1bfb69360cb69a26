// The versioned Code (issue 3): the real Code as version 1, Markdown import with its
// refusals, version status, the version in force on a date, and the article/word diff.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startAlvd, sourceDir } from './lib/alvd.mjs';
import { amsterdamDate } from './lib/poll-fixtures.mjs';

let alvd, admin, secretariat, anonymous;
const realCode = readFileSync(join(sourceDir, 'server', 'demo', 'code-v1.md'), 'utf8');

before(async () => {
  alvd = await startAlvd({ demo: true });
  admin = await alvd.login('admin');
  secretariat = await alvd.login('secretariat');
  anonymous = alvd.client();
});

after(async () => { if (alvd?.process?.exitCode !== null) console.error(alvd?.log); await alvd?.stop(); });

const count = (table, where = '1') => Number(alvd.sql(`SELECT COUNT(*) FROM ${table} WHERE ${where}`)[0][0]);
// Every version after the first implements an ALV decision (decided_on, issue 13).
const decided_on = amsterdamDate();

test('the demo holds the real Code as version 1 with articles 1-8 and norms 6a-6d', async () => {
  const list = await anonymous.get('/api/code/versions');
  assert.equal(list.status, 200);
  // Version 1 comes first; other demo sections (withdrawals) only add scheduled amendments.
  const [v1, ...scheduled] = list.json.items;
  assert.ok(scheduled.every((v) => v.status === 'scheduled'), JSON.stringify(scheduled));
  assert.deepEqual({ label: v1.label, effective_from: v1.effective_from }, { label: '2025-1', effective_from: '2025-07-01' });
  assert.equal(v1.status, 'in_force');
  const full = await anonymous.get(`/api/code/versions/${v1.id}`);
  assert.equal(full.status, 200);
  assert.deepEqual(full.json.articles.map((a) => a.id), ['1', '2', '3', '4', '5', '6', '6a', '6b', '6c', '6d', '7', '8']);
  const byId = Object.fromEntries(full.json.articles.map((a) => [a.id, a]));
  assert.equal(byId['1'].title, 'Preambule');
  assert.equal(byId['6a'].title, 'Transparantie en integriteit');
  assert.equal(byId['6c'].title, 'Respect en gelijkwaardigheid');
  assert.match(byId['6'].text, /Pas toe of leg uit/);
  assert.doesNotMatch(byId['6'].text, /Partijen zijn transparant/);
  assert.match(byId['6a'].text, /^Partijen zijn transparant/);
  assert.equal(byId['8'].title, 'Inwerkingtreding');
  assert.equal((await anonymous.get('/api/code/versions/999999')).status, 404);
});

test('in force on a date: none before the first version, the latest effective on or before it', async () => {
  const before = await anonymous.get('/api/code/in-force?date=2025-06-30');
  assert.equal(before.status, 404);
  assert.equal(before.json.error, 'Op maandag 30 juni 2025 was geen versie van de Code van kracht.');
  const first = await anonymous.get('/api/code/in-force?date=2025-07-01');
  assert.equal(first.status, 200);
  assert.equal(first.json.label, '2025-1');
  assert.equal(first.json.articles.length, 12);
  assert.equal((await anonymous.get('/api/code/in-force?date=2025-7-1')).status, 400);
  assert.equal((await anonymous.get('/api/code/in-force?date=2025-02-29')).status, 400);
  const today = await anonymous.get('/api/code/in-force');
  assert.equal(today.status, 200, 'without a date: today');
});

test('importing Markdown: refusals change nothing', async () => {
  const taken = await admin.post('/api/code/versions', { label: 'eerst-2098', effective_from: '2098-01-01', decided_on, markdown: '1. Een\ntekst' });
  assert.equal(taken.status, 201, taken.text);
  const before = count('code_versions');
  const cases = [
    [{ label: 'leeg', effective_from: '2031-01-01', decided_on, markdown: 'Alleen proza, zonder artikelen.\n\nNog een alinea.' }, 422, 'no_articles', 'markdown'],
    [{ label: '2025-1', effective_from: '2031-01-01', decided_on, markdown: '1. Een\ntekst' }, 409, 'label_taken', 'label'],
    [{ label: 'zelfde-dag', effective_from: '2098-01-01', decided_on, markdown: '1. Een\ntekst' }, 409, 'effective_date_taken', 'effective_from'],
    [{ label: 'datum', effective_from: '2031-13-01', decided_on, markdown: '1. Een\ntekst' }, 400, 'bad_date', 'effective_from'],
    [{ label: 'geen-tekst', effective_from: '2031-01-01', decided_on }, 422, 'required', 'markdown'],
    [{ effective_from: '2031-01-01', decided_on, markdown: '1. Een' }, 422, 'required', 'label'],
  ];
  for (const [body, status, code, field] of cases) {
    const response = await admin.post('/api/code/versions', body);
    assert.equal(response.status, status, `${JSON.stringify(body).slice(0, 80)}: ${response.text}`);
    assert.equal(response.json.code, code);
    assert.equal(response.json.field, field);
  }
  assert.equal(count('code_versions'), before);
  const forbidden = await secretariat.post('/api/code/versions', { label: 'x', effective_from: '2031-01-01', markdown: '1. Een' });
  assert.equal(forbidden.status, 403, 'only the admin imports a version');
});

test('a new version keeps stable article ids, gets a status, and diffs against version 1', async () => {
  const amended = realCode
    .replace('Partijen zijn transparant over hun proces en hun doelen.', 'Partijen zijn open en transparant over hun proces, hun doelen en hun tarieven.')
    .replace(/8\. Inwerkingtreding[\s\S]*$/, '8. Inwerkingtreding\n\nDeze Code treedt in werking op 1 juli 2025.\n\n9. Evaluatie\n\nKSF evalueert deze Code elke drie jaar.\n')
    .replace(/5\. Meldpunt\n[\s\S]*?(?=6\. Algemene)/, '');
  // Without article 5 the numbering would jump from 4 to 6; keep a short article 5.
  const markdown = amended.replace('6. Algemene', '5. Meldpunt\n\nZie het reglement van het meldpunt.\n\n6. Algemene');
  const created = await admin.post('/api/code/versions', { label: '2099-1', effective_from: '2099-01-01', decided_on, markdown });
  assert.equal(created.status, 201, created.text);
  assert.equal(created.json.status, 'scheduled');
  assert.deepEqual(created.json.articles.map((a) => a.id), ['1', '2', '3', '4', '5', '6', '6a', '6b', '6c', '6d', '7', '8', '9']);
  assert.equal(count('audit_log', `action = 'code_version.create' AND object_id = ${created.json.id}`), 1);

  const list = await anonymous.get('/api/code/versions');
  // The demo's withdrawal section schedules amendments of its own (months from today):
  // every version but 2025-1 is scheduled today, and on 2099-01-01 all but 2099-1 are superseded.
  const items = list.json.items;
  assert.deepEqual(items[0].label, '2025-1');
  assert.deepEqual(items.at(-1).label, '2099-1');
  assert.deepEqual(items.map((v) => v.status), ['in_force', ...Array(items.length - 1).fill('scheduled')]);
  const later = await anonymous.get('/api/code/versions?date=2099-01-01');
  assert.deepEqual(later.json.items.map((v) => v.status), [...Array(items.length - 1).fill('superseded'), 'in_force']);
  const inForce = await anonymous.get('/api/code/in-force?date=2099-01-01');
  assert.equal(inForce.json.label, '2099-1');
  const dayBefore = await anonymous.get('/api/code/in-force?date=2098-12-31');
  assert.equal(dayBefore.json.label, items.at(-2).label, 'no retroactivity: the previous version until the day before');

  const [[v1]] = alvd.sql("SELECT id FROM code_versions WHERE label = '2025-1'");
  const diff = await anonymous.get(`/api/code/diff?from=${v1}&to=${created.json.id}`);
  assert.equal(diff.status, 200, diff.text);
  assert.equal(diff.json.from.label, '2025-1');
  assert.equal(diff.json.to.label, '2099-1');
  const byId = Object.fromEntries(diff.json.articles.map((a) => [a.article, a]));
  assert.equal(byId['6a'].status, 'changed');
  assert.match(byId['6a'].diff_html, /<ins>[^<]*open en[^<]*<\/ins>/);
  assert.match(byId['6a'].diff_html, /<del>/);
  assert.ok(byId['6a'].segments.some((s) => s.op === 'insert' && s.text.includes('tarieven')));
  assert.equal(byId['6a'].segments.filter((s) => s.op !== 'insert').map((s) => s.text).join(''),
    (await anonymous.get(`/api/code/versions/${v1}`)).json.articles.find((a) => a.id === '6a').text,
    'equal + deleted segments give back the old text');
  assert.equal(byId['9'].status, 'added');
  assert.match(byId['9'].diff_html, /^<ins>/);
  assert.equal(byId['5'].status, 'changed');
  assert.equal(byId['8'].status, 'changed');
  for (const id of ['1', '2', '3', '4', '6', '6b', '6c', '6d', '7']) assert.equal(byId[id].status, 'unchanged', id);
  assert.deepEqual(diff.json.counts, { added: 1, removed: 0, changed: 3, unchanged: 9 });
  assert.deepEqual(diff.json.articles.map((a) => a.article), ['1', '2', '3', '4', '5', '6', '6a', '6b', '6c', '6d', '7', '8', '9']);

  const back = await anonymous.get(`/api/code/diff?from=${created.json.id}&to=${v1}`);
  const removed = back.json.articles.find((a) => a.article === '9');
  assert.equal(removed.status, 'removed');
  assert.match(removed.diff_html, /^<del>/);
  assert.equal(back.json.articles.at(-1).article, '9', 'a removed article stays where it was');
});

test('diff refuses missing, malformed and unknown versions', async () => {
  assert.equal((await anonymous.get('/api/code/diff')).status, 400);
  assert.equal((await anonymous.get('/api/code/diff?from=1&to=abc')).status, 400);
  assert.equal((await anonymous.get('/api/code/diff?from=1&to=-2')).status, 400);
  const unknown = await anonymous.get('/api/code/diff?from=1&to=999999');
  assert.equal(unknown.status, 404);
  assert.equal(unknown.json.field, 'to');
});

test('the diff escapes HTML in article text', async () => {
  const a = await admin.post('/api/code/versions', { label: 'html-a', effective_from: '2101-01-01', decided_on, markdown: '1. Een\n\nTekst <b>vet</b> & meer.' });
  const b = await admin.post('/api/code/versions', { label: 'html-b', effective_from: '2102-01-01', decided_on, markdown: '1. Een\n\nTekst <script>x</script> & meer.' });
  assert.equal(a.status, 201);
  assert.equal(b.status, 201);
  const diff = await anonymous.get(`/api/code/diff?from=${a.json.id}&to=${b.json.id}`);
  assert.doesNotMatch(diff.json.articles[0].diff_html, /<script>|<b>/);
  assert.match(diff.json.articles[0].diff_html, /&lt;<del>b<\/del><ins>script<\/ins>&gt;/);
});

test('a large Markdown text is refused with 413 and a non-JSON body with 415', async () => {
  const big = await admin.post('/api/code/versions', { label: 'groot', effective_from: '2103-01-01', decided_on, markdown: `1. Een\n${'x'.repeat(1024 * 1024 + 10)}` });
  assert.ok([413, 422].includes(big.status), `${big.status}`);
  const typed = await admin.request('POST', '/api/code/versions', '1. Een', { raw: true, contentType: 'text/markdown' });
  assert.equal(typed.status, 415);
});
