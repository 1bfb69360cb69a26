// A private Postfix for mail tests: Debian's postfix binaries with a configuration of
// their own in a temporary directory, listening on one loopback port, strict about
// what it accepts (bare <LF>, envelope syntax, size, 8-bit without MIME), delivering
// every recipient into one maildir. It never touches /etc/postfix's own instance,
// which need not run (or even be configured). Needs root, like Postfix itself.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync, readdirSync, readFileSync, rmSync, chmodSync, chownSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import net from 'node:net';
import { freePort } from './alvd.mjs';

export const POSTFIX = process.env.ALVD_POSTFIX || '/usr/sbin/postfix';
export const PYTHON = process.env.ALVD_PYTHON || '/usr/bin/python3';
const checker = join(dirname(fileURLToPath(import.meta.url)), 'check_mail.py');

/** Python's email package on every message file in folder ('maildir' or 'eml'). */
export function checkMailFiles(folder, kind) {
  const out = execFileSync(PYTHON, [checker, folder, kind], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return JSON.parse(out);
}

function idOf(kind, name) {
  return Number(execFileSync('id', [kind, name], { encoding: 'utf8' }).trim());
}

/** Start Postfix; resolves to {port, dir, maildir, log(), messages(), check(), stop()}. */
export async function startPostfix({ messageSizeLimit = 4 * 1024 * 1024 } = {}) {
  if (!existsSync(POSTFIX)) throw new Error(`${POSTFIX} is missing: run scripts/install-deps --test`);
  const dir = mkdtempSync(join(tmpdir(), 'alvd-postfix-'));
  chmodSync(dir, 0o755); // the postfix user walks into its queue below
  const uid = idOf('-u', 'postfix');
  const gid = idOf('-g', 'postfix');
  for (const sub of ['etc', 'queue', 'data', 'mail']) mkdirSync(join(dir, sub));
  chownSync(join(dir, 'data'), uid, gid);
  chownSync(join(dir, 'mail'), uid, gid);
  const port = await freePort();
  writeFileSync(join(dir, 'etc', 'main.cf'), `# alvd test relay: loopback only, strict, one maildir
compatibility_level = 3.6
queue_directory = ${dir}/queue
data_directory = ${dir}/data
meta_directory = /etc/postfix
mail_owner = postfix
setgid_group = postdrop
maillog_file = ${dir}/maillog
maillog_file_prefixes = ${dir}
myhostname = relay.alvd-test.example
mydomain = alvd-test.example
myorigin = $myhostname
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
mydestination =
relay_domains =
local_recipient_maps =
alias_maps =
alias_database =
smtpd_relay_restrictions = permit_mynetworks, reject
smtpd_recipient_restrictions = permit_mynetworks, reject
virtual_mailbox_domains = static:all
virtual_mailbox_base = ${dir}/mail
virtual_mailbox_maps = static:inbox/
virtual_uid_maps = static:${uid}
virtual_gid_maps = static:${gid}
# Strict: a bare <LF> anywhere is refused (Postfix 3.7.10+; no exclusion for loopback),
# envelopes must be RFC 5321, 8-bit text needs MIME labels, 7-bit headers, no SMTPUTF8.
smtpd_forbid_bare_newline = reject
smtpd_forbid_bare_newline_exclusions =
strict_rfc821_envelopes = yes
strict_7bit_headers = yes
strict_8bitmime_body = yes
strict_mime_encoding_domain = yes
smtputf8_enable = no
message_size_limit = ${messageSizeLimit}
biff = no
append_dot_mydomain = no
`);
  writeFileSync(join(dir, 'etc', 'master.cf'), `127.0.0.1:${port} inet n - n - - smtpd
pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
verify    unix  -       -       n       -       1       verify
flush     unix  n       -       n       1000?   0       flush
proxymap  unix  -       -       n       -       -       proxymap
showq     unix  n       -       n       -       -       showq
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
virtual   unix  -       n       n       -       -       virtual
anvil     unix  -       -       n       -       1       anvil
scache    unix  -       -       n       -       1       scache
postlog   unix-dgram n  -       n       -       1       postlogd
`);
  const config = join(dir, 'etc');
  execFileSync(POSTFIX, ['-c', config, 'check'], { stdio: 'pipe' });
  execFileSync(POSTFIX, ['-c', config, 'start'], { stdio: 'pipe' });
  const relay = {
    port, dir, maildir: join(dir, 'mail', 'inbox'),
    log() { return existsSync(join(dir, 'maillog')) ? readFileSync(join(dir, 'maillog'), 'utf8') : ''; },
    /** Every delivered message, raw, oldest first. */
    messages() {
      const folder = join(dir, 'mail', 'inbox', 'new');
      if (!existsSync(folder)) return [];
      return readdirSync(folder).sort().map((name) => ({ name, raw: readFileSync(join(folder, name)) }));
    },
    /** The standard parser's verdict on every delivered message (check_mail.py). */
    check() {
      return checkMailFiles(join(dir, 'mail', 'inbox', 'new'), 'maildir');
    },
    /** Speak SMTP by hand: each command is sent as given; resolves to the replies. */
    async converse(commands) {
      return new Promise((resolve, reject) => {
        const socket = net.connect(port, '127.0.0.1');
        const replies = [];
        let buffer = '';
        let next = 0;
        socket.on('data', (chunk) => {
          buffer += chunk.toString('latin1');
          while (/\r\n/.test(buffer)) {
            const end = buffer.indexOf('\r\n');
            const line = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            if (line[3] === '-') continue; // a multi-line reply goes on
            replies.push(line);
            if (next < commands.length) socket.write(commands[next++]);
            else socket.end();
          }
        });
        socket.on('error', reject);
        socket.on('close', () => resolve(replies));
      });
    },
    stop() {
      try { execFileSync(POSTFIX, ['-c', config, 'stop'], { stdio: 'pipe' }); } catch { /* not running */ }
      for (let i = 0; i < 50; i++) {
        const pid = join(dir, 'queue', 'pid', 'master.pid');
        if (!existsSync(pid)) break;
        execFileSync('sleep', ['0.1']);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
  // Ready when the port answers.
  for (let i = 0; i < 100; i++) {
    const up = await new Promise((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => { socket.end(); resolve(true); });
      socket.on('error', () => resolve(false));
    });
    if (up) return relay;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  relay.stop();
  throw new Error(`postfix did not listen on ${port}:\n${relay.log()}`);
}
