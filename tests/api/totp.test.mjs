// The staff second factor (issue 15 point 4), with codes from Debian's oathtool: the
// contract's 401 totp_required and 200 with a valid code; a code accepted once, one step
// old accepted, two steps old refused; enrolment by QR code confirmed with a first code;
// ten single-use recovery codes stored hashed; roles that must enrol are confined until
// they do; the setting of required roles; wrong codes count as failed logins; reset.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startAlvd, runAlvd, demoLogins, markTotpStepUsed } from './lib/alvd.mjs';
import { waitForMails } from './lib/cycle-fixtures.mjs';

let alvd;

/** oathtool's code for secret at Unix time seconds (the code an authenticator app shows). */
function oathtool(secret, seconds) {
  return execFileSync('oathtool', ['--totp', '-b', '-N', `@${seconds}`, secret], { encoding: 'utf8' }).trim();
}

/** Now, as seconds and a step, with at least `remaining` ms of the step left (waiting for
 *  the next step otherwise). A current code stays valid through the next step, so only a
 *  test of the one-step-old code needs time left: 20 s for a slow login on a busy machine. */
async function stepNow(remaining = 0) {
  for (;;) {
    const ms = Date.now();
    if (ms % 30000 <= 30000 - remaining) return { seconds: Math.floor(ms / 1000), step: Math.floor(ms / 30000) };
    await new Promise((resolve) => setTimeout(resolve, 30000 - (ms % 30000) + 100));
  }
}

function newUser(email, role) {
  const made = alvd.run(['user', 'add', '--email', email, '--name', `Test ${role}`, '--role', role, '--password-stdin'],
    'een-goed-wachtwoord-2026\n');
  assert.equal(made.status, 0, made.stderr);
}

/** Log a new user of role in and enrol them with oathtool's codes; returns {client, secret, recovery}. */
async function enrolled(email, role) {
  newUser(email, role);
  const client = alvd.client();
  const login = client.adopt(await client.post('/api/session', { email, password: 'een-goed-wachtwoord-2026' }));
  assert.equal(login.json.second_factor.session, role === 'admin' || role === 'meldpunt' ? 'enrolment' : 'password');
  const started = await client.post('/api/session/totp', {});
  assert.equal(started.status, 200, started.text);
  const { seconds, step } = await stepNow();
  const confirmed = await client.post('/api/session/totp/confirm', { code: oathtool(started.json.secret, seconds) });
  assert.equal(confirmed.status, 200, confirmed.text);
  return { client, secret: started.json.secret, recovery: confirmed.json.recovery_codes, step };
}

before(async () => {
  alvd = await startAlvd({ demo: true });
});

after(async () => {
  await alvd?.stop();
  assert.doesNotMatch(alvd?.log || '', /AddressSanitizer|runtime error|LeakSanitizer/, 'alvd ran clean under the sanitizers');
});

test('the demo prints the second factor a newcomer needs, and oathtool with it logs the admin in', async () => {
  const admin = demoLogins.admin;
  assert.match(alvd.demoOutput, new RegExp(`admin@ksf\\.example +secret ${admin.totp} +code: oathtool --totp -b ${admin.totp}`));
  assert.match(alvd.demoOutput, new RegExp(`meldpunt@ksf\\.example +secret ${demoLogins.meldpunt.totp}`));
  const client = alvd.client();
  const asked = await client.post('/api/session', { email: admin.email, password: admin.password });
  assert.equal(asked.status, 401);
  assert.equal(asked.json.code, 'totp_required');
  assert.equal(asked.json.token, undefined, 'no session without the code');
  const { seconds, step } = await stepNow();
  markTotpStepUsed(alvd.url, admin.email, step); // keep the harness's own logins off this step
  const ok = await client.post('/api/session', { email: admin.email, password: admin.password, totp: oathtool(admin.totp, seconds) });
  assert.equal(ok.status, 200, ok.text);
  assert.deepEqual(ok.json.user.roles, ['admin']);
  assert.deepEqual(ok.json.second_factor, { enrolled: true, required: true, advised: false, session: 'totp', recovery_codes_left: 0 });
  const audit = alvd.sql(`SELECT details FROM audit_log WHERE action = 'session.login' ORDER BY id DESC LIMIT 1`);
  assert.deepEqual(JSON.parse(audit[0][0]), { second_factor: 'totp' });
});

test('a code is accepted once; one step old is accepted, two steps old and a replay are not', async () => {
  const { secret, step: spent } = await enrolled('replay@totp.example', 'admin');
  const login = (totp) => alvd.client().post('/api/session', { email: 'replay@totp.example', password: 'een-goed-wachtwoord-2026', totp });
  // Confirming the enrolment spent its step: wait two steps, so that "one step old" is unspent.
  let now = await stepNow(20000);
  while (now.step < spent + 2) {
    await new Promise((resolve) => setTimeout(resolve, 30000 - (Date.now() % 30000) + 100));
    now = await stepNow(20000);
  }
  const { seconds } = now;
  const older = oathtool(secret, seconds - 30);
  const current = oathtool(secret, seconds);
  const tooOld = oathtool(secret, seconds - 60);
  // First the one-step-old code: it is accepted only until the current step ends.
  const oneStepOld = await login(older);
  assert.equal(oneStepOld.status, 200, `a code one step (30 s) old is accepted: ${oneStepOld.text}`);
  const currentLogin = await login(current);
  assert.equal(currentLogin.status, 200, currentLogin.text);
  const replayed = await login(current);
  assert.equal(replayed.status, 401);
  assert.equal(replayed.json.code, 'totp_used');
  assert.match(replayed.json.error, /al gebruikt/);
  const olderAgain = await login(older);
  assert.equal(olderAgain.json.code, 'totp_used', 'an older code after a newer one is a replay too');
  const stale = await login(tooOld);
  assert.equal(stale.status, 401);
  assert.equal(stale.json.code, 'totp_invalid', 'a code two steps (60 s) old is refused');
  const garbage = await login('12345');
  assert.equal(garbage.json.code, 'totp_invalid');
  const wrongPassword = await alvd.client().post('/api/session', { email: 'replay@totp.example', password: 'fout', totp: current });
  assert.equal(wrongPassword.status, 401);
  assert.equal(wrongPassword.json.code, 'wrong_credentials', 'the password is checked first');
  assert.equal(alvd.sql(`SELECT COUNT(*) FROM audit_log WHERE action = 'session.totp_failed'`)[0][0] >= '4', true);
});

test('enrolment: a required role is confined until it confirms a first code; QR, URI and ten recovery codes', async () => {
  newUser('nieuw-admin@totp.example', 'admin');
  const client = alvd.client();
  const login = client.adopt(await client.post('/api/session', { email: 'nieuw-admin@totp.example', password: 'een-goed-wachtwoord-2026' }));
  assert.equal(login.status, 200);
  assert.deepEqual(login.json.user.roles, [], 'no roles before the second factor is set up');
  assert.deepEqual(login.json.second_factor, { enrolled: false, required: true, advised: false, session: 'enrolment', recovery_codes_left: 0 });
  const blocked = await client.get('/api/audit');
  assert.equal(blocked.status, 403);
  assert.equal(blocked.json.code, 'totp_enrolment_required');
  assert.equal((await client.get('/api/session')).json.second_factor.session, 'enrolment');

  const started = await client.post('/api/session/totp', {});
  assert.equal(started.status, 200);
  const { secret, otpauth_uri: uri, qr_svg: svg } = started.json;
  assert.match(secret, /^[A-Z2-7]{32}$/, '160 bits in base32');
  assert.equal(uri, `otpauth://totp/KSF%20alvd:nieuw-admin%40totp.example?secret=${secret}&issuer=KSF%20alvd&algorithm=SHA1&digits=6&period=30`);
  assert.ok(/^(<\?xml[^>]*>\s*)?<svg[^>]*viewBox/.test(svg), 'an SVG picture of the QR code');
  const bad = await client.post('/api/session/totp/confirm', { code: '000000' === oathtool(secret, Math.floor(Date.now() / 1000)) ? '111111' : '000000' });
  assert.equal(bad.status, 422);
  assert.equal(bad.json.code, 'bad_code');
  assert.equal((await client.get('/api/audit')).status, 403, 'still confined after a wrong code');
  const { seconds } = await stepNow();
  const confirmed = await client.post('/api/session/totp/confirm', { code: oathtool(secret, seconds) });
  assert.equal(confirmed.status, 200, confirmed.text);
  const codes = confirmed.json.recovery_codes;
  assert.equal(codes.length, 10);
  assert.equal(new Set(codes).size, 10);
  for (const code of codes) assert.match(code, /^[0-9a-hjkmnp-tv-z]{4}-[0-9a-hjkmnp-tv-z]{4}-[0-9a-hjkmnp-tv-z]{4}$/);
  assert.equal(confirmed.json.second_factor.recovery_codes_left, 10);
  assert.equal((await client.get('/api/audit')).status, 200, 'the same session carries on with both factors');
  assert.deepEqual((await client.get('/api/session')).json.user.roles, ['admin']);
  assert.equal((await client.post('/api/session/totp/confirm', { code: oathtool(secret, seconds) })).json.code, 'no_enrolment');

  // At rest: the secret sealed (not its base32, not its bytes), the recovery codes hashed.
  const [[sealedHex, pending]] = alvd.sql(`SELECT HEX(totp_secret), totp_pending_secret FROM users WHERE email = 'nieuw-admin@totp.example'`);
  assert.equal(pending, null);
  const hexOfSecret = Buffer.from(base32Bytes(secret)).toString('hex').toUpperCase();
  assert.ok(!sealedHex.includes(hexOfSecret) && !Buffer.from(sealedHex, 'hex').toString('latin1').includes(secret));
  const dump = execFileSync('mariadb-dump', ['--no-defaults', '-S', alvd.socket, '-uroot', '--hex-blob', alvd.database], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  for (const code of codes) assert.ok(!dump.includes(code) && !dump.includes(code.replaceAll('-', '')), 'no recovery code in a dump');
  assert.ok(!dump.includes(secret) && !dump.includes(hexOfSecret), 'no TOTP secret in a dump');
  assert.equal(alvd.sql(`SELECT COUNT(*) FROM user_recovery_codes c JOIN users u ON u.id = c.user_id WHERE u.email = 'nieuw-admin@totp.example'`)[0][0], '10');
});

function base32Bytes(text) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0; let value = 0; const out = [];
  for (const c of text) { value = (value << 5) | alphabet.indexOf(c); bits += 5; if (bits >= 8) { out.push((value >>> (bits - 8)) & 0xff); bits -= 8; } }
  return out;
}

test('a recovery code logs in once, in any case or grouping; the count goes down', async () => {
  const { recovery } = await enrolled('herstel@totp.example', 'meldpunt');
  const login = (totp) => alvd.client().post('/api/session', { email: 'herstel@totp.example', password: 'een-goed-wachtwoord-2026', totp });
  const typed = recovery[3].toUpperCase().replaceAll('-', ' ');
  const first = await login(typed);
  assert.equal(first.status, 200, first.text);
  assert.equal(first.json.second_factor.session, 'recovery');
  assert.equal(first.json.second_factor.recovery_codes_left, 9);
  const again = await login(recovery[3]);
  assert.equal(again.status, 401);
  assert.equal(again.json.code, 'recovery_invalid');
  const unknown = await login('aaaa-bbbb-cccc');
  assert.equal(unknown.json.code, 'recovery_invalid');
  assert.equal((await login(recovery[4])).status, 200, 'another code still works');
});

test('confirming a (new) second factor ends the sessions opened before it', async () => {
  newUser('ander-apparaat@totp.example', 'board');
  const before = alvd.client();
  before.adopt(await before.post('/api/session', { email: 'ander-apparaat@totp.example', password: 'een-goed-wachtwoord-2026' }));
  const enrolling = alvd.client();
  enrolling.adopt(await enrolling.post('/api/session', { email: 'ander-apparaat@totp.example', password: 'een-goed-wachtwoord-2026' }));
  const started = await enrolling.post('/api/session/totp', {});
  const { seconds } = await stepNow();
  assert.equal((await enrolling.post('/api/session/totp/confirm', { code: oathtool(started.json.secret, seconds) })).status, 200);
  assert.equal((await before.get('/api/session')).status, 401, 'the password-only session ended');
  assert.equal((await enrolling.get('/api/session')).status, 200);
  const noCode = await alvd.client().post('/api/session', { email: 'ander-apparaat@totp.example', password: 'een-goed-wachtwoord-2026' });
  assert.equal(noCode.json.code, 'totp_required', 'a volunteer (board) needs the code too once enrolled');
});

test('roles outside the setting log in with the password; the chair is advised', async () => {
  const board = await alvd.client().post('/api/session', demoLogins.board);
  assert.equal(board.status, 200);
  assert.deepEqual(board.json.second_factor, { enrolled: false, required: false, advised: false, session: 'password', recovery_codes_left: 0 });
  const chair = await alvd.client().post('/api/session', demoLogins.chair);
  assert.equal(chair.status, 200);
  assert.equal(chair.json.second_factor.advised, true);
  assert.deepEqual(chair.json.user.roles, ['board', 'chair']);
});

test('five wrong codes count as failed logins: then even the right code waits (429)', async () => {
  const { secret } = await enrolled('geraden@totp.example', 'admin');
  for (let i = 0; i < 5; i++) {
    const wrong = await alvd.client().post('/api/session', { email: 'geraden@totp.example', password: 'een-goed-wachtwoord-2026', totp: String(100000 + i) });
    assert.equal(wrong.status, 401);
  }
  const { seconds } = await stepNow();
  const right = await alvd.client().post('/api/session', { email: 'geraden@totp.example', password: 'een-goed-wachtwoord-2026', totp: oathtool(secret, seconds + 30) });
  assert.equal(right.status, 429);
});

test('the setting decides the roles: ALVD_TOTP_ROLES=chair confines the chair; a misspelt role stops alvd', async () => {
  const bogus = runAlvd(['migrate'], { ...alvd.env, ALVD_TOTP_ROLES: 'admin,voorzitter' });
  assert.equal(bogus.status, 1);
  assert.match(bogus.stderr, /ALVD_TOTP_ROLES lists staff roles/);
  await alvd.kill();
  alvd.env.ALVD_TOTP_ROLES = 'chair';
  await alvd.start();
  try {
    const chair = await alvd.client().post('/api/session', demoLogins.chair);
    assert.equal(chair.json.second_factor.session, 'enrolment');
    newUser('admin-zonder@totp.example', 'admin');
    const admin = await alvd.client().post('/api/session', { email: 'admin-zonder@totp.example', password: 'een-goed-wachtwoord-2026' });
    assert.equal(admin.json.second_factor.session, 'password', 'admin is no longer required');
    assert.equal(admin.json.second_factor.advised, true, 'but advised');
  } finally {
    await alvd.kill();
    delete alvd.env.ALVD_TOTP_ROLES;
    await alvd.start();
  }
});

test('alvd user totp-reset forgets a lost factor: sessions end, the next login enrols again', async () => {
  const { client } = await enrolled('kwijt@totp.example', 'admin');
  const reset = alvd.run(['user', 'totp-reset', '--email', 'kwijt@totp.example']);
  assert.equal(reset.status, 0, reset.stderr);
  assert.match(reset.stdout, /second factor and recovery codes removed/);
  assert.equal((await client.get('/api/session')).status, 401);
  const again = await alvd.client().post('/api/session', { email: 'kwijt@totp.example', password: 'een-goed-wachtwoord-2026' });
  assert.equal(again.json.second_factor.session, 'enrolment');
  assert.equal(alvd.sql(`SELECT COUNT(*) FROM user_recovery_codes c JOIN users u ON u.id = c.user_id WHERE u.email = 'kwijt@totp.example'`)[0][0], '0');
  assert.equal(alvd.run(['user', 'totp-reset', '--email', 'niemand@totp.example']).status, 1);
});

/** Ask for a login link for email and return it from the mail (the n-th for that address). */
async function mailedLink(email, n) {
  const asked = await alvd.client().post('/api/session/link-request', { email });
  assert.equal(asked.status, 202, asked.text);
  const mails = await waitForMails(alvd.dataDir, (mail) => mail.to.includes(email) && mail.links.length === 1, n);
  return mails[n - 1].links[0];
}

/** Whether the newest login link of email was spent. */
const linkSpent = (email) => alvd.sql(`SELECT l.used_at IS NOT NULL FROM login_links l JOIN users u ON u.id = l.user_id WHERE u.email = '${email}' ORDER BY l.id DESC LIMIT 1`)[0][0];
const sessionsOf = (email) => Number(alvd.sql(`SELECT COUNT(*) FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.email = '${email}'`)[0][0]);

test('an e-mailed login link stands in for the password, never for the second factor', async () => {
  const email = 'link-admin@totp.example';
  const { secret, step: spent, recovery } = await enrolled(email, 'admin');
  const useLink = (body) => alvd.client().post('/api/session/link', body);

  // The link alone: asked for the code, no session, and the link is not spent by asking.
  const link = await mailedLink(email, 1);
  const sessions = sessionsOf(email);
  const asked = await useLink({ link });
  assert.equal(asked.status, 401, asked.text);
  assert.equal(asked.json.code, 'totp_required');
  assert.equal(asked.json.token, undefined, 'no session without the code');
  assert.equal(asked.headers.get('set-cookie'), null, 'no cookie either');
  assert.equal(sessionsOf(email), sessions, 'no session row was made');
  assert.equal(linkSpent(email), '0', 'asking for the code leaves the link unspent');
  const wrong = await useLink({ link, totp: '000000' === oathtool(secret, Math.floor(Date.now() / 1000)) ? '111111' : '000000' });
  assert.equal(wrong.status, 401);
  assert.equal(wrong.json.code, 'totp_invalid');
  assert.equal(linkSpent(email), '0');
  const [[failed]] = alvd.sql(`SELECT details FROM audit_log WHERE action = 'session.totp_failed' ORDER BY id DESC LIMIT 1`);
  assert.deepEqual(JSON.parse(failed), { code: 'totp_invalid', by: 'link' });

  // The link with the app's code: a full session (the step after the enrolment's, or now's).
  const now = await stepNow();
  const code = oathtool(secret, Math.max(now.step, spent + 1) * 30);
  const ok = await useLink({ link, totp: code });
  assert.equal(ok.status, 200, ok.text);
  assert.deepEqual(ok.json.user.roles, ['admin']);
  assert.equal(ok.json.second_factor.session, 'totp');
  const admin = alvd.client();
  admin.token = ok.json.token;
  assert.equal((await admin.get('/api/audit')).status, 200, 'the link session is a full one');
  const [[logged]] = alvd.sql(`SELECT details FROM audit_log WHERE action = 'session.link_login' ORDER BY id DESC LIMIT 1`);
  assert.deepEqual(JSON.parse(logged), { second_factor: 'totp' });
  assert.equal(linkSpent(email), '1');
  assert.equal((await useLink({ link, totp: code })).json.code, 'link_invalid', 'a link works once');

  // A new link does not make a spent code good again.
  const second = await mailedLink(email, 2);
  const replayed = await useLink({ link: second, totp: code });
  assert.equal(replayed.status, 401);
  assert.equal(replayed.json.code, 'totp_used');

  // Wrong codes count per link: after five, even a right factor is refused with that link.
  const third = await mailedLink(email, 3);
  for (let i = 0; i < 5; i++) assert.equal((await useLink({ link: third, totp: String(200000 + i) })).status, 401);
  const refused = await useLink({ link: third, totp: recovery[0] });
  assert.equal(refused.status, 429);
  assert.match(refused.json.error, /nieuwe link/);
  // A fresh link with a recovery code gets in.
  const fourth = await mailedLink(email, 4);
  const recovered = await useLink({ link: fourth, totp: recovery[0] });
  assert.equal(recovered.status, 200, recovered.text);
  assert.equal(recovered.json.second_factor.session, 'recovery');
});

test('a login link of a role that must set up a second factor gives a session that may only enrol', async () => {
  const email = 'link-nieuw@totp.example';
  newUser(email, 'meldpunt');
  const link = await mailedLink(email, 1);
  const client = alvd.client();
  const answer = client.adopt(await client.post('/api/session/link', { link }));
  assert.equal(answer.status, 200, answer.text);
  assert.deepEqual(answer.json.user.roles, []);
  assert.equal(answer.json.second_factor.session, 'enrolment');
  const blocked = await client.get('/api/reports');
  assert.equal(blocked.status, 403);
  assert.equal(blocked.json.code, 'totp_enrolment_required');
  assert.equal((await client.post('/api/session/totp', {})).status, 200, 'but it can set up the app');
});
