// Every text field keeps exactly what was typed: SQL metacharacters, LIKE wildcards,
// markup, emoji with skin tones and joiners, combining marks, right-to-left text and a
// value at the field's maximum come back byte for byte — through the API and, where
// the column is not sealed, in the database. One character more is 422 too_long with
// the field; and the register search treats % and _ as the characters they are.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startAlvd } from './lib/alvd.mjs';
import { amsterdamDate } from './lib/poll-fixtures.mjs';
import { instant } from './lib/cycle-fixtures.mjs';

const SQLISH = `O'Brien "quoted" \\ backslash; DROP TABLE organisations; --`;
const LIKE = '%_ LIKE wildcards 100% _x_';
const MARKUP = '<script>alert(1)</script><img src=x onerror=alert(2)>&amp;';
const UNICODE = 'Zoë Zoe\u0308 👩🏽‍💼 Ǆ ﷺ 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 \u00a0nbsp \u200bzwsp';
const RTL = 'مرحبا بالعالم שלום עולם \u202eRLO\u202c end';
const SINGLE_LINE = [SQLISH, LIKE, MARKUP, UNICODE, RTL, [SQLISH, LIKE, MARKUP, UNICODE, RTL].join(' | ')];
const MULTI_LINE = [...SINGLE_LINE, `Eerste regel\n\tTweede regel met ${SQLISH}\r\nDerde: ${UNICODE}`];
const PIECE = `𝔘${SQLISH}👩🏽‍💼ﷺ${RTL}Ǆ%_<b>`;

/** A string of exactly n code points (what the server and MariaDB count), mostly multi-byte. */
function codePoints(n) {
  const points = Array.from(PIECE.repeat(Math.ceil(n / Array.from(PIECE).length) + 1)).slice(0, n);
  assert.equal(points.length, n);
  return points.join('');
}

const hex = (text) => Buffer.from(text, 'utf8').toString('hex').toUpperCase();

let alvdRef;
/** The stored bytes of "column FROM …" as hex (the client's output would mangle tabs and newlines). */
function storedHex(column) {
  const at = column.indexOf(' FROM ');
  return alvdRef.sql(`SELECT HEX(${column.slice(0, at)})${column.slice(at)}`)[0][0];
}

let alvd, secretariat, board, officer, admin;
let kvkCounter = 83000000;
const nextKvk = () => String(kvkCounter++);

/**
 * Round-trip every value through create(value) → {response, read(): the API's value,
 * column: SQL expression for the stored text (or null when sealed)}; then max + 1 → 422.
 */
async function roundTrip(field, max, values, create, { tooLongField = field } = {}) {
  // (A value longer than the field is not a round trip; the value at the maximum covers it.)
  for (const value of [...values.filter((v) => Array.from(v).length <= max), codePoints(max)]) {
    const made = await create(value);
    assert.ok(made.response.status >= 200 && made.response.status < 300,
      `${field} = ${JSON.stringify(value.slice(0, 60))}…: ${made.response.status} ${made.response.text.slice(0, 300)}`);
    const read = await made.read();
    assert.equal(read, value, `${field}: the API gives back what was stored (${Array.from(value).length} characters)`);
    if (made.column) {
      assert.equal(storedHex(made.column), hex(value), `${field}: the database holds the same bytes`);
    }
  }
  const tooLong = await create(codePoints(max + 1));
  assert.equal(tooLong.response.status, 422, `${field} at ${max + 1}: ${tooLong.response.text.slice(0, 200)}`);
  assert.equal(tooLong.response.json.code, 'too_long');
  assert.equal(tooLong.response.json.field, tooLongField);
}

async function organisation(fields = {}) {
  const response = await secretariat.post('/api/organisations', { name: `Tekstproef ${kvkCounter}`, kvk: nextKvk(), ...fields });
  return response;
}

before(async () => {
  alvd = await startAlvd({ demo: true });
  alvdRef = alvd;
  [secretariat, board, officer, admin] = await Promise.all(['secretariat', 'board', 'meldpunt', 'admin'].map((r) => alvd.login(r)));
});

after(async () => { await alvd?.stop(); });

test('organisation name and address', async () => {
  const create = (field) => async (value) => {
    const response = await organisation({ [field]: value });
    return {
      response,
      read: async () => (await secretariat.get(`/api/organisations/${response.json.id}`)).json[field],
      column: response.json?.id ? `${field} FROM organisations WHERE id = ${response.json.id}` : null,
    };
  };
  await roundTrip('name', 200, SINGLE_LINE, create('name'));
  await roundTrip('address', 500, MULTI_LINE, create('address'));
  // A change keeps the bytes too.
  const made = await organisation();
  const patched = await secretariat.patch(`/api/organisations/${made.json.id}`, { name: SQLISH });
  assert.equal(patched.status, 200, patched.text);
  assert.equal(alvd.sql(`SELECT HEX(name) FROM organisations WHERE id = ${made.json.id}`)[0][0], hex(SQLISH));
});

test('organisation e-mail: every ASCII local-part character is kept; non-ASCII, quotes and backslashes are refused (bad_email)', async () => {
  // Mail goes out without SMTPUTF8 (issue 13): an address must be sendable as it is.
  const kept = [`o'brien+ksf.tag%_x-y=z&amp{drop}|~^#$!*/?`, 'alert-1.script_amp', "tab'le--drop"];
  for (const local of kept) {
    const email = `${local}@tekst.example`;
    const response = await organisation({ email });
    assert.equal(response.status, 201, `${email}: ${response.text}`);
    assert.equal((await secretariat.get(`/api/organisations/${response.json.id}`)).json.email, email);
    assert.equal(alvd.sql(`SELECT HEX(email) FROM organisations WHERE id = ${response.json.id}`)[0][0], hex(email));
  }
  const refused = [`o'brien"quoted"\\drop--table%_x`, 'zoë👩🏽‍💼ﷺ', 'مرحبا', 'alert(1)/script&amp', 'twee..punten', '.voorpunt'];
  for (const local of refused) {
    const response = await organisation({ email: `${local}@tekst.example` });
    assert.equal(response.status, 422, `${local}: ${response.text}`);
    assert.equal(response.json.code, 'bad_email');
    assert.equal(response.json.field, 'email');
  }
  // 254 octets is the longest address: a local part of 64 and a domain of 189.
  const domain = `${'d'.repeat(63)}.${'e'.repeat(63)}.${'f'.repeat(53)}.example`;
  const atMax = `${'l'.repeat(64)}@${domain}`;
  assert.equal(atMax.length, 254);
  const stored = await organisation({ email: atMax });
  assert.equal(stored.status, 201, `${atMax}: ${stored.text}`);
  assert.equal(alvd.sql(`SELECT HEX(email) FROM organisations WHERE id = ${stored.json.id}`)[0][0], hex(atMax));
  const over = await organisation({ email: `x${atMax}` });
  assert.equal(over.status, 422);
  assert.equal(over.json.code, 'too_long');
  assert.equal(over.json.field, 'email');
  const longLocal = await organisation({ email: `${'l'.repeat(65)}@tekst.example` });
  assert.equal(longLocal.status, 422, 'a local part over 64 octets');
  assert.equal(longLocal.json.code, 'bad_email');
});

test('contact person name, function and e-mail', async () => {
  const org = await organisation();
  let n = 0;
  const create = (field) => async (value) => {
    const body = { name: 'Contact', email: `contact${n++}@tekst.example`, [field]: value };
    const response = await secretariat.post(`/api/organisations/${org.json.id}/contacts`, body);
    return {
      response,
      read: async () => (await secretariat.get(`/api/organisations/${org.json.id}`)).json.contacts.find((c) => c.id === response.json.id)[field],
      column: response.json?.id ? `${field} FROM contacts WHERE id = ${response.json.id}` : null,
    };
  };
  await roundTrip('name', 200, SINGLE_LINE, create('name'));
  await roundTrip('function', 200, SINGLE_LINE, create('function'));
  // The e-mail is kept in lower case (the link login looks it up); everything else stays.
  // Contacts get mail (invitations, login links), sent without SMTPUTF8 (issue 13): the
  // same check as an organisation's address.
  const domain = '@tekst.example';
  const atMax = `${'l'.repeat(64)}@${'d'.repeat(63)}.${'e'.repeat(63)}.${'f'.repeat(53)}.example`;
  assert.equal(atMax.length, 254);
  for (const email of [`o'brien+ksf%_x{y}|~@tekst.example`, atMax]) {
    const response = await secretariat.post(`/api/organisations/${org.json.id}/contacts`, { name: 'Mail', email });
    assert.equal(response.status, 201, response.text);
    assert.equal(response.json.email, email);
    assert.equal(alvd.sql(`SELECT HEX(email) FROM contacts WHERE id = ${response.json.id}`)[0][0], hex(email));
  }
  for (const email of [`o'brien"q"\\%_x${domain}`, `zoë👩🏽‍💼ﷺ${domain}`, `twee..punten${domain}`]) {
    const response = await secretariat.post(`/api/organisations/${org.json.id}/contacts`, { name: 'Mail', email });
    assert.equal(response.status, 422, `${email}: ${response.text}`);
    assert.equal(response.json.code, 'bad_email');
    assert.equal(response.json.field, 'email');
  }
  // The contact with the longest address can ask for a login link and use it.
  assert.equal((await alvd.client().post('/api/session/link-request', { email: atMax })).status, 202);
  const [[body]] = alvd.sql(`SELECT REGEXP_SUBSTR(body_text, '/l/[A-Za-z0-9_-]{43}') FROM outbox
    WHERE HEX(recipient) = '${hex(atMax)}' AND kind = 'login_link' ORDER BY id DESC LIMIT 1`);
  const login = await alvd.client().post('/api/session/link', { link: body.slice(3) });
  assert.equal(login.status, 200, login.text);
  assert.equal(login.json.contact.email, atMax);
});

test('the register search takes % and _ literally', async () => {
  const percent = await organisation({ name: 'Procent 100% Service BV' });
  const underscore = await organisation({ name: 'Onder_streep BV' });
  const backslash = await organisation({ name: 'Schuine \\ streep BV' });
  const plain = await organisation({ name: 'Procent 1000 Service BV' });
  for (const r of [percent, underscore, backslash, plain]) assert.equal(r.status, 201, r.text);
  const byId = (a, b) => a - b;
  const search = async (q) => (await secretariat.get(`/api/organisations?q=${encodeURIComponent(q)}`)).json.items.map((i) => i.id).sort(byId);
  // Names that contain the character itself (earlier tests stored some, too).
  const containing = (char) => alvd.sql(`SELECT id FROM organisations WHERE INSTR(name, ${char === '\\' ? "'\\\\'" : `'${char}'`}) > 0`)
    .map(([id]) => Number(id)).sort(byId);
  assert.deepEqual(await search('100%'), containing('100%'));
  assert.ok((await search('100%')).includes(percent.json.id));
  assert.ok(!(await search('100%')).includes(plain.json.id), '100% does not match 1000');
  assert.deepEqual(await search('%'), containing('%'), 'a lone % matches only names with a %');
  assert.ok(containing('%').includes(percent.json.id));
  assert.deepEqual(await search('_'), containing('_'), 'a lone _ matches only names with a _');
  assert.ok(containing('_').includes(underscore.json.id));
  assert.deepEqual(await search('Onder_streep'), [underscore.json.id]);
  assert.deepEqual(await search('Onderxstreep'), []);
  assert.deepEqual(await search('\\'), containing('\\'));
  assert.ok(containing('\\').includes(backslash.json.id));
  assert.deepEqual(await search(`'; DROP TABLE organisations; --`), []);
  // The public meldpunt form searches the same way.
  const publicSearch = async (q) => (await alvd.client().get(`/api/meldpunt/organisations?q=${encodeURIComponent(q)}`)).json.items.map((i) => i.id).sort(byId);
  assert.deepEqual(await publicSearch('%'), containing('%'));
  assert.deepEqual(await publicSearch('_'), containing('_'));
  assert.deepEqual(await publicSearch('Onder_streep'), [underscore.json.id]);
  assert.ok(Number(alvd.sql('SELECT COUNT(*) FROM organisations')[0][0]) > 40, 'the table is still there');
});

test('meeting title and location', async () => {
  const create = (field) => async (value) => {
    const response = await secretariat.post('/api/meetings', { title: 'ALV', date: '2030-06-01', starts_at: '19:30', location: 'Utrecht', [field]: value });
    return {
      response,
      read: async () => (await secretariat.get(`/api/meetings/${response.json.id}`)).json[field],
      column: response.json?.id ? `${field} FROM meetings WHERE id = ${response.json.id}` : null,
    };
  };
  // Title and location are one line each (issue 13: the title goes into a mail subject).
  await roundTrip('title', 200, SINGLE_LINE, create('title'));
  await roundTrip('location', 300, SINGLE_LINE, create('location'));
  for (const field of ['title', 'location']) {
    const broken = await create(field)(MULTI_LINE.at(-1));
    assert.equal(broken.response.status, 422, `${field} with a line break: ${broken.response.text}`);
    assert.equal(broken.response.json.code, 'line_break');
    assert.equal(broken.response.json.field, field);
  }
});

test('proposal title, rationale and article text; comment text; the board reply', async () => {
  const cycle = await board.post('/api/cycles', { year: 2033 });
  assert.equal(cycle.status, 201, cycle.text);
  const inForce = (await alvd.client().get('/api/code/in-force')).json;
  const article = inForce.articles[0];
  const proposalWith = (fields, change = {}) => board.post(`/api/cycles/${cycle.json.id}/proposals`, {
    title: 'Voorstel', rationale: 'Toelichting',
    changes: [{ article: article.id, action: 'replace', text: 'Nieuwe tekst.', ...change }], ...fields,
  });
  const proposals = [];
  const viaProposal = (field) => async (value) => {
    const response = await proposalWith({ [field]: value });
    if (response.json?.id) proposals.push(response.json.id);
    return {
      response,
      read: async () => (await board.get(`/api/proposals/${response.json.id}`)).json[field],
      column: response.json?.id
        ? `r.${field} FROM proposals p JOIN proposal_revisions r ON r.id = p.current_revision_id WHERE p.id = ${response.json.id}`
        : null,
    };
  };
  await roundTrip('title', 300, MULTI_LINE.slice(0, 6), viaProposal('title'));
  await roundTrip('rationale', 20000, MULTI_LINE, viaProposal('rationale'));
  const viaChange = async (value) => {
    const response = await proposalWith({}, { text: value });
    return {
      response,
      read: async () => (await board.get(`/api/proposals/${response.json.id}`)).json.changes[0].text,
      column: response.json?.id
        ? `c.text FROM proposals p JOIN proposal_changes c ON c.revision_id = p.current_revision_id WHERE p.id = ${response.json.id}`
        : null,
    };
  };
  const tooLongChange = await proposalWith({}, { text: codePoints(50001) });
  assert.equal(tooLongChange.status, 422, tooLongChange.text);
  assert.equal(tooLongChange.json.code, 'too_long');
  assert.match(tooLongChange.json.field, /text$/);
  for (const value of [...MULTI_LINE, codePoints(50000)]) {
    const made = await viaChange(value);
    assert.equal(made.response.status, 201, made.response.text.slice(0, 300));
    assert.equal(await made.read(), value);
    assert.equal(storedHex(made.column), hex(value));
  }

  // Comments: a contact person with a name full of metacharacters comments in an open round.
  const round = await board.post(`/api/cycles/${cycle.json.id}/consultations`, {
    opens_at: instant(-60), closes_at: instant(86400), proposal_ids: [proposals[0]],
  });
  assert.equal(round.status, 201, round.text);
  const issued = alvd.run(['session', 'add', '--kind', 'contact', '--organisation', '1', '--contact', '1']);
  assert.equal(issued.status, 0, issued.stderr);
  const contact = alvd.client();
  contact.token = issued.stdout.trim();
  const comments = [];
  await roundTrip('text', 10000, MULTI_LINE, async (value) => {
    const response = await contact.post(`/api/consultations/${round.json.id}/comments`, { proposal_id: proposals[0], text: value });
    if (response.json?.id) comments.push({ id: response.json.id, value });
    return {
      response,
      read: async () => (await contact.get(`/api/consultations/${round.json.id}`)).json.comments.find((c) => c.id === response.json.id).text,
      column: response.json?.id ? `text FROM consultation_comments WHERE id = ${response.json.id}` : null,
    };
  });
  const edited = await contact.put(`/api/comments/${comments[0].id}`, { text: UNICODE });
  assert.equal(edited.status, 200, edited.text);
  assert.equal(edited.json.text, UNICODE);
  comments[0].value = UNICODE;

  // Replies come after the round closes; each comment gets one of the values.
  assert.equal((await board.post(`/api/consultations/${round.json.id}/close`)).status, 200);
  const replies = [...MULTI_LINE, codePoints(20000)];
  const tooLong = await board.post(`/api/comments/${comments[0].id}/reply`, { text: codePoints(20001) });
  assert.equal(tooLong.status, 422);
  assert.equal(tooLong.json.code, 'too_long');
  assert.equal(tooLong.json.field, 'text');
  for (let i = 0; i < replies.length; i++) {
    const reply = await board.post(`/api/comments/${comments[i].id}/reply`, { text: replies[i], led_to_change: replies[i] });
    assert.equal(reply.status, 201, reply.text.slice(0, 300));
  }
  const report = (await board.get(`/api/consultations/${round.json.id}/report`)).json;
  for (let i = 0; i < replies.length; i++) {
    const item = report.items.find((c) => c.id === comments[i].id);
    assert.equal(item.text, comments[i].value, 'the reactienota shows the comment as written');
    assert.equal(item.reply.text, replies[i]);
    assert.equal(item.reply.led_to_change, replies[i]);
    assert.equal(alvd.sql(`SELECT HEX(text) FROM comment_replies WHERE comment_id = ${comments[i].id}`)[0][0], hex(replies[i]));
  }
});

test('withdrawal note and the online notice text', async () => {
  const signatory = async () => {
    const org = await organisation();
    const basis = await secretariat.post(`/api/organisations/${org.json.id}/bases`, { basis: 'signature', since: '2025-01-01' });
    assert.equal(basis.status, 201, basis.text);
    return org.json.id;
  };
  await roundTrip('note', 2000, MULTI_LINE, async (value) => {
    const response = await secretariat.post('/api/withdrawals', {
      organisation_id: await signatory(), received_on: '2026-11-20', form: 'letter', note: value,
    });
    return {
      response,
      read: async () => (await secretariat.get(`/api/withdrawals/${response.json.id}`)).json.note,
      column: response.json?.id ? `note FROM withdrawals WHERE id = ${response.json.id}` : null,
    };
  });
  // An organisation name at its maximum, in four-byte characters, reaches the intake whole.
  const longName = codePoints(200).replace(/[\u0000-\u001f]/gu, 'x');
  const named = await organisation({ name: longName });
  assert.equal(named.status, 201, named.text);
  assert.equal((await secretariat.post(`/api/organisations/${named.json.id}/bases`, { basis: 'signature', since: '2025-01-01' })).status, 201);
  const preview = await secretariat.post('/api/withdrawals/preview', { organisation_id: named.json.id, received_on: '2026-11-20', form: 'letter' });
  assert.equal(preview.status, 200, preview.text);
  assert.equal(preview.json.organisation_name, longName);
  await roundTrip('text', 5000, MULTI_LINE.slice(0, 2).concat(MULTI_LINE.slice(-1)), async (value) => {
    const org = await signatory();
    const contact = await secretariat.post(`/api/organisations/${org}/contacts`, { name: SQLISH, email: `opzeggen${org}@tekst.example` });
    assert.equal(contact.status, 201, contact.text);
    const issued = alvd.run(['session', 'add', '--kind', 'contact', '--organisation', String(org), '--contact', String(contact.json.id)]);
    const client = alvd.client();
    client.token = issued.stdout.trim();
    const response = await client.post('/api/my/withdrawal', { text: value, confirm: true });
    return {
      response,
      read: async () => (await secretariat.get(`/api/withdrawals/${response.json.id}`)).json.proof.text,
      column: response.json?.id ? `proof_text FROM withdrawals WHERE id = ${response.json.id}` : null,
    };
  });
  // The proof of an online notice names the contact's address whole, however long.
  const org = await signatory();
  const domain = '@tekst.example';
  const longEmail = `${codePoints(254 - domain.length).replace(/[\s,;<>@]/gu, 'x')}${domain}`.toLowerCase();
  const person = await secretariat.post(`/api/organisations/${org}/contacts`, { name: 'Lang Adres', email: longEmail });
  assert.equal(person.status, 201, person.text);
  const longSession = alvd.run(['session', 'add', '--kind', 'contact', '--organisation', String(org), '--contact', String(person.json.id)]);
  const sender = alvd.client();
  sender.token = longSession.stdout.trim();
  const notice = await sender.post('/api/my/withdrawal', { text: 'Wij zeggen op.', confirm: true });
  assert.equal(notice.status, 201, notice.text);
  assert.equal((await secretariat.get(`/api/withdrawals/${notice.json.id}`)).json.proof.contact_email, longEmail);
});

test('meldpunt: the report text through the officer’s unlocked view; signal summary and response', async () => {
  assert.equal((await officer.post('/api/meldpunt/unlock', { passphrase: 'demo-meldpunt-wachtzin-2026' })).status, 200);
  // The demo has two officers: the second approves the first one's identity requests.
  const second = await alvd.login('meldpunt2');
  assert.equal((await second.post('/api/meldpunt/unlock', { passphrase: 'demo-noor-wachtzin-2026' })).status, 200);
  const norms = (await alvd.client().get('/api/meldpunt/norms')).json.items.map((n) => n.id);
  const reports = [];
  // The description is sealed: the API gives it back, the database holds only ciphertext.
  await roundTrip('text', 20000, [SQLISH, UNICODE, MULTI_LINE.at(-1)], async (value) => {
    const response = await alvd.client().post('/api/reports', {
      reporter: { name: SQLISH, email: 'melder@tekst.example' }, organisation_id: 2, norms: [norms[0]], text: value,
    });
    if (response.json?.id) reports.push(response.json.id);
    return {
      response,
      read: async () => {
        const [[stored]] = alvd.sql(`SELECT HEX(description) FROM meldpunt_reports WHERE id = ${response.json.id}`);
        assert.ok(!stored.includes(hex(value.slice(0, 8))), 'the text is not in the database in the clear');
        const asked = await officer.post(`/api/reports/${response.json.id}/identity-requests`, { reason: 'De naam terug lezen.' });
        assert.equal(asked.status, 201, asked.text);
        assert.equal((await second.post(`/api/meldpunt/identity-requests/${asked.json.id}/approve`, {})).status, 200);
        const detail = await officer.get(`/api/reports/${response.json.id}`);
        assert.equal(detail.json.reporter.name, SQLISH);
        return detail.json.text;
      },
      column: null,
    };
  });

  const issued = alvd.run(['session', 'add', '--kind', 'contact', '--organisation', '2', '--contact', '3']);
  const contact = alvd.client();
  contact.token = issued.stdout.trim();
  const signals = [];
  const summaries = [...MULTI_LINE, codePoints(10000)];
  const tooLong = await officer.post(`/api/reports/${reports[0]}/signal`, { summary: codePoints(10001) });
  assert.equal(tooLong.status, 422);
  assert.deepEqual([tooLong.json.code, tooLong.json.field], ['too_long', 'summary']);
  for (const summary of summaries) {
    let report = reports.shift();
    if (report === undefined) {
      const made = await alvd.client().post('/api/reports', {
        reporter: { name: 'Melder', email: 'melder@tekst.example' }, organisation_id: 2, norms: [norms[0]], text: 'Melding.',
      });
      assert.equal(made.status, 201, made.text);
      report = made.json.id;
    }
    const signal = await officer.post(`/api/reports/${report}/signal`, { summary });
    assert.equal(signal.status, 201, signal.text.slice(0, 300));
    assert.equal(signal.json.summary, summary);
    assert.equal((await contact.get(`/api/signals/${signal.json.id}`)).json.summary, summary, 'the organisation reads it unchanged');
    assert.equal(alvd.sql(`SELECT HEX(summary) FROM meldpunt_signals WHERE id = ${signal.json.id}`)[0][0], hex(summary));
    signals.push(signal.json.id);
  }
  const responses = [...MULTI_LINE, codePoints(10000)];
  const over = await contact.post(`/api/signals/${signals[0]}/response`, { stance: 'explain', text: codePoints(10001) });
  assert.equal(over.status, 422);
  assert.deepEqual([over.json.code, over.json.field], ['too_long', 'text']);
  for (let i = 0; i < responses.length; i++) {
    const answered = await contact.post(`/api/signals/${signals[i]}/response`, { stance: 'explain', text: responses[i] });
    assert.equal(answered.status, 201, answered.text.slice(0, 300));
    assert.equal(answered.json.response, responses[i]);
    assert.equal(alvd.sql(`SELECT HEX(response) FROM meldpunt_signals WHERE id = ${signals[i]}`)[0][0], hex(responses[i]));
  }
});

test('Code version label', async () => {
  let year = 2040;
  await roundTrip('label', 64, SINGLE_LINE, async (value) => {
    const response = await admin.post('/api/code/versions', { label: value, effective_from: `${year++}-01-01`, decided_on: amsterdamDate(), markdown: '1. Een\ntekst' });
    return {
      response,
      read: async () => (await alvd.client().get(`/api/code/versions/${response.json.id}`)).json.label,
      column: response.json?.id ? `label FROM code_versions WHERE id = ${response.json.id}` : null,
    };
  });
});
