// No retroactivity (issue 13, point 2; Code art. 7): a Code version never takes effect
// before the day it is recorded (422 retroactive), except the first version of an
// empty register; every later version names the ALV decision it implements and obeys
// R3 (E >= D + 42) and R4 (the withdrawal deadline W = E - 28 not yet past). A
// contract's pin is fixed when the contract is recorded, never recomputed by a later
// version.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startAlvd, demoLogins } from './lib/alvd.mjs';

const TODAY = '2026-12-07';
const NOW = `${TODAY}T11:00:00+01:00`;
const addDays = (date, days) => new Date(Date.parse(`${date}T12:00:00Z`) + days * 86400000).toISOString().slice(0, 10);

let alvd, admin, secretariat, board;

before(async () => {
  alvd = await startAlvd({ demo: true, env: { ALVD_TEST_NOW: NOW } });
  admin = await alvd.login('admin');
  secretariat = await alvd.login('secretariat');
  board = await alvd.login('board');
});

after(async () => { await alvd?.stop(); });

const versions = () => Number(alvd.sql('SELECT COUNT(*) FROM code_versions')[0][0]);
const markdown = '1. Een\n\nTekst.\n';

test('a version dated before today is refused (422 retroactive); later versions name their ALV decision and obey R3 and R4', async () => {
  const count = versions();
  const cases = [
    ['yesterday', { effective_from: addDays(TODAY, -1), decided_on: addDays(TODAY, -60) }, 'retroactive', 'effective_from'],
    ['30 days back, no decision', { effective_from: addDays(TODAY, -30) }, 'retroactive', 'effective_from'],
    ['no decision named', { effective_from: addDays(TODAY, 90) }, 'required', 'decided_on'],
    ['a decision tomorrow', { effective_from: addDays(TODAY, 90), decided_on: addDays(TODAY, 1) }, 'decided_in_future', 'decided_on'],
    ['R3: D + 41', { effective_from: addDays(TODAY, 41), decided_on: TODAY }, 'effective_date_too_early', 'effective_from'],
    ['tomorrow, on an old decision: no withdrawal window (R4)', { effective_from: addDays(TODAY, 1), decided_on: addDays(TODAY, -90) }, 'withdrawal_window_closed', 'effective_from'],
    ['W yesterday (R4)', { effective_from: addDays(TODAY, 27), decided_on: addDays(TODAY, -90) }, 'withdrawal_window_closed', 'effective_from'],
  ];
  for (const [label, fields, code, field] of cases) {
    const response = await admin.post('/api/code/versions', { label: `retro-${code}-${label.length}`, markdown, ...fields });
    assert.equal(response.status, 422, `${label}: ${response.text}`);
    assert.equal(response.json.code, code, label);
    assert.equal(response.json.field, field, label);
  }
  assert.equal(versions(), count, 'nothing was stored');
  const retro = await admin.post('/api/code/versions', { label: 'retro-zin', effective_from: addDays(TODAY, -1), decided_on: TODAY, markdown });
  // The sentence a person reads names both days in words (docs/schrijfwijzer.md).
  assert.match(retro.json.error, /werkt niet terug.*zondag 6 december 2026.*maandag 7 december 2026/);

  // W today is the latest that still leaves signatories their window.
  const onTheDay = await admin.post('/api/code/versions', { label: 'W-vandaag', effective_from: addDays(TODAY, 28), decided_on: addDays(TODAY, -20), markdown });
  assert.equal(onTheDay.status, 201, onTheDay.text);
  assert.equal(onTheDay.json.withdrawal_deadline, TODAY);
  assert.equal(onTheDay.json.decided_on, addDays(TODAY, -20));
  assert.equal(onTheDay.json.status, 'scheduled');
  assert.deepEqual(alvd.sql(`SELECT source, DATE_FORMAT(decided_on, '%Y-%m-%d') FROM code_versions WHERE id = ${onTheDay.json.id}`),
    [['import', addDays(TODAY, -20)]]);
  const [[details]] = alvd.sql(`SELECT details FROM audit_log WHERE action = 'code_version.create' AND object_id = ${onTheDay.json.id}`);
  assert.equal(JSON.parse(details).decided_on, addDays(TODAY, -20));
});

test('a contract pin is fixed when the contract is recorded: a version recorded later does not move it', async () => {
  // The demo schedules versions of its own; a contract signed after the last of them.
  const scheduled = alvd.sql('SELECT id, DATE_FORMAT(effective_from, \'%Y-%m-%d\') FROM code_versions ORDER BY effective_from DESC, id DESC LIMIT 1')[0];
  const [pinnedTo, lastDate] = [Number(scheduled[0]), scheduled[1]];
  const signed = addDays(lastDate > addDays(TODAY, 60) ? lastDate : addDays(TODAY, 60), 10);
  const org = await secretariat.post('/api/organisations', { name: 'Contractpartij Vast B.V.', kvk: '69000001', email: 'info@vast.example' });
  assert.equal(org.status, 201, org.text);
  const basis = await secretariat.post(`/api/organisations/${org.json.id}/bases`, { basis: 'contract', since: signed, contract_ref: 'K-2027-1' });
  assert.equal(basis.status, 201, basis.text);
  const inForceAtSigning = (await alvd.client().get(`/api/code/in-force?date=${signed}`)).json.id;
  assert.equal(inForceAtSigning, pinnedTo);
  assert.deepEqual(alvd.sql(`SELECT pinned_version_id FROM bases WHERE organisation_id = ${org.json.id}`), [[String(pinnedTo)]],
    'stored when recorded');
  const following = await secretariat.post(`/api/organisations/${org.json.id}/bases`, { basis: 'contract', since: signed, contract_ref: 'K-2027-2', follows_amendments: true });
  assert.equal(following.status, 201, following.text);

  // A version recorded afterwards that would be in force on the signing date.
  const inserted = await admin.post('/api/code/versions', { label: 'ingevoegd', effective_from: addDays(signed, -1), decided_on: TODAY, markdown });
  assert.equal(inserted.status, 201, inserted.text);
  assert.equal((await alvd.client().get(`/api/code/in-force?date=${signed}`)).json.id, inserted.json.id);
  const status = await board.get(`/api/organisations/${org.json.id}/status?date=${addDays(signed, 30)}`);
  assert.equal(status.status, 200, status.text);
  const pinnedBasis = status.json.bases.find((b) => b.basis === 'contract' && b.version_id === pinnedTo);
  assert.ok(pinnedBasis, `the pinned contract stays on version ${pinnedTo}: ${JSON.stringify(status.json.bases)}`);
  assert.ok(status.json.bases.some((b) => b.basis === 'contract' && b.version_id === inserted.json.id), 'the following contract moves on');
  assert.deepEqual(alvd.sql(`SELECT pinned_version_id FROM bases WHERE organisation_id = ${org.json.id} AND follows_amendments = 0`), [[String(pinnedTo)]]);
});

test('the first version of an empty register may be dated in the past; it pins contracts recorded before it, the next may not', async () => {
  const empty = await startAlvd({ serve: false, env: { ALVD_TEST_NOW: NOW } });
  try {
    for (const [role, roles] of [['admin', 'admin'], ['secretariat', 'secretariat'], ['board', 'board']]) {
      const made = empty.run(['user', 'add', '--email', demoLogins[role].email, '--name', role, '--role', roles, '--password-stdin'], demoLogins[role].password);
      assert.equal(made.status, 0, made.stderr);
    }
    await empty.start();
    const [emptyAdmin, emptySecretariat, emptyBoard] = [await empty.login('admin'), await empty.login('secretariat'), await empty.login('board')];
    const org = await emptySecretariat.post('/api/organisations', { name: 'Vroege Contractpartij', kvk: '69000002', email: 'info@vroeg.example' });
    const early = await emptySecretariat.post(`/api/organisations/${org.json.id}/bases`, { basis: 'contract', since: '2024-01-01', contract_ref: 'V-1' });
    assert.equal(early.status, 201, early.text);
    assert.deepEqual(empty.sql(`SELECT pinned_version_id FROM bases WHERE id = ${early.json.id}`), [[null]], 'no version to pin to yet');

    const first = await emptyAdmin.post('/api/code/versions', { label: '2025-1', effective_from: '2025-07-01', markdown });
    assert.equal(first.status, 201, first.text);
    assert.equal(first.json.status, 'in_force');
    assert.equal(first.json.decided_on, null);
    assert.deepEqual(empty.sql(`SELECT pinned_version_id FROM bases WHERE id = ${early.json.id}`), [[String(first.json.id)]],
      'pinned to the Code as first adopted');

    const second = await emptyAdmin.post('/api/code/versions', { label: '2026-1', effective_from: '2026-07-01', markdown });
    assert.equal(second.status, 422, second.text);
    assert.equal(second.json.code, 'retroactive');
    const third = await emptyAdmin.post('/api/code/versions', { label: '2027-1', effective_from: '2027-07-01', markdown });
    assert.equal(third.status, 422);
    assert.equal(third.json.code, 'required');
    assert.equal(third.json.field, 'decided_on');
    const fourth = await emptyAdmin.post('/api/code/versions', { label: '2027-1', effective_from: '2027-07-01', decided_on: TODAY, markdown });
    assert.equal(fourth.status, 201, fourth.text);
    const status = await emptyBoard.get(`/api/organisations/${org.json.id}/status?date=2027-08-01`);
    assert.equal(status.json.version_id, first.json.id, 'the early contract stays on the first version');
  } finally {
    await empty.stop();
  }
});
