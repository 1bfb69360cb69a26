// The hall-of-phones benchmark (scripts/bench): N members checked in, one secret poll,
// every vote fired concurrently over keep-alive connections while M SSE listeners watch
// the meeting stream, then the close; plus MariaDB's durable single-row INSERT baseline
// at comparable concurrency. Prints numbers; asserts nothing about time.
import { spawn, execFileSync } from 'node:child_process';
import { writeFileSync, readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { startAlvd, ensureDatabaseServer, sourceDir } from '../api/lib/alvd.mjs';
import { amsterdamDate } from '../api/lib/poll-fixtures.mjs';

const N = Number(process.env.BENCH_MEMBERS || 1000);
const M = Number(process.env.BENCH_LISTENERS || 1000);
const VOTE_CONNECTIONS = Number(process.env.BENCH_CONNECTIONS || N);
const BASELINE_CONNECTIONS = Math.min(VOTE_CONNECTIONS, Number(process.env.BENCH_BASELINE_CONNECTIONS || 200));
const BASELINE_TRANSACTIONS = Number(process.env.BENCH_BASELINE_TRANSACTIONS || 20000);
const loadgen = process.env.ALVD_LOADGEN || join(sourceDir, 'build', 'alvd_loadgen');
const work = mkdtempSync(join(tmpdir(), 'alvd-bench-'));

function log(line) { process.stderr.write(`${line}\n`); }

function parse(line) {
  const out = {};
  for (const part of line.trim().split(/\s+/)) {
    const [key, value] = part.split('=');
    if (value !== undefined) out[key] = Number.isNaN(Number(value)) ? value : Number(value);
  }
  return out;
}

function fire(host, port, connections, lines, bodies) {
  const file = join(work, `requests-${randomUUID()}.txt`);
  writeFileSync(file, `${lines.join('\n')}\n`);
  const args = ['fire', host, String(port), String(connections), file];
  if (bodies) args.push(bodies);
  const out = execFileSync(loadgen, args, { encoding: 'utf8', maxBuffer: 1 << 26 });
  return parse(out.split('\n').find((l) => l.startsWith('fire ')));
}

function peakRssMb(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmHWM:\s+(\d+) kB/.exec(status)[1]);
  return kb / 1024;
}

async function main() {
  const socket = ensureDatabaseServer(join(sourceDir, 'var', 'bench-db'));
  const alvd = await startAlvd({ demo: true, socket, env: { ALVD_HTTP_THREADS: process.env.BENCH_HTTP_THREADS || '2' } });
  const host = '127.0.0.1';
  try {
    log(`bench: ${N} members, ${M} listeners, ${VOTE_CONNECTIONS} vote connections; alvd pid ${alvd.process.pid}`);
    // N member organisations (one vote each), by SQL: the register is not what is measured.
    const values = [];
    for (let i = 0; i < N; i++) values.push(`('Bench Lid ${i}', '${String(70000000 + i)}', UTC_TIMESTAMP(6), UTC_TIMESTAMP(6))`);
    alvd.sql(`INSERT INTO organisations (name, kvk, created_at, updated_at) VALUES ${values.join(',')}`);
    alvd.sql(`INSERT INTO bases (organisation_id, basis, since, created_at) SELECT id, 'membership', '2020-01-01', UTC_TIMESTAMP(6) FROM organisations WHERE name LIKE 'Bench Lid %'`);
    const benchIds = new Set(alvd.sql("SELECT id FROM organisations WHERE name LIKE 'Bench Lid %'").map(([id]) => Number(id)));

    const secretariat = await alvd.login('secretariat');
    const chair = await alvd.login('chair');
    const today = amsterdamDate(); // a meeting opens only on its own (Amsterdam) date
    const meeting = (await secretariat.post('/api/meetings', { title: 'Benchmark-ALV', date: today, starts_at: '19:30', location: 'Zaal' })).json;
    const [[proposalId]] = alvd.sql("SELECT id FROM proposals WHERE state = 'ready' ORDER BY id LIMIT 1");
    const agenda = await chair.post(`/api/meetings/${meeting.id}/agenda`, { proposal_ids: [Number(proposalId)] });
    if (agenda.status !== 200) throw new Error(`agenda: ${agenda.text}`);
    await chair.post(`/api/meetings/${meeting.id}/open`);
    const issued = await secretariat.post(`/api/meetings/${meeting.id}/tickets`);
    if (issued.status >= 300) throw new Error(`tickets: ${issued.text}`);
    const tickets = (await secretariat.get(`/api/meetings/${meeting.id}/tickets`)).json.items.filter((t) => benchIds.has(t.organisation_id));
    log(`bench: ${tickets.length} tickets`);

    const scans = fire(host, alvd.port, 64, tickets.map((t) => `POST\t/api/meetings/${meeting.id}/scans\t${secretariat.token}\t${JSON.stringify({ ticket: t.code, direction: 'entry', nonce: randomUUID() })}`));
    log(`bench: check-in ${scans.ok}/${scans.requests} at ${scans.per_s}/s`);
    const bodies = join(work, 'logins.txt');
    const logins = fire(host, alvd.port, 64, tickets.map((t) => `POST\t/api/session/ticket\tnone\t${JSON.stringify({ ticket: t.code })}`), bodies);
    const tokens = readFileSync(bodies, 'utf8').split('\n').filter(Boolean).map((b) => JSON.parse(b).token);
    log(`bench: ticket logins ${logins.ok}/${logins.requests}`);

    const poll = (await chair.post(`/api/meetings/${meeting.id}/polls`, { proposal_id: Number(proposalId), secret: true })).json;
    const opened = await chair.post(`/api/polls/${poll.id}/open`);
    if (opened.status !== 200) throw new Error(`open: ${opened.text}`);
    log(`bench: poll ${poll.id} open, P=${opened.json.eligible}, threshold ${opened.json.threshold}`);

    // M listeners on the meeting stream, waiting for the closed poll's result.
    const listener = spawn(loadgen, ['listen', host, String(alvd.port), String(M), `/api/meetings/${meeting.id}/events`, chair.token, process.env.BENCH_MATCH || '"state":"closed"'], { stdio: ['ignore', 'pipe', 'inherit'] });
    let listenerOut = '';
    const ready = new Promise((resolve) => listener.stdout.on('data', (d) => { listenerOut += d; if (listenerOut.includes('ready')) resolve(); }));
    const finished = new Promise((resolve) => listener.on('exit', resolve));
    await ready;

    const choices = ['for', 'for', 'for', 'against', 'abstain'];
    const votes = fire(host, alvd.port, VOTE_CONNECTIONS, tokens.map((token, i) => `POST\t/api/polls/${poll.id}/votes\t${token}\t${JSON.stringify({ choice: choices[i % choices.length], ballot_id: randomUUID() })}`));
    log(`bench: votes ${votes.ok}/${votes.requests} (${Object.entries(votes).filter(([k]) => k.startsWith('status_')).map(([k, v]) => `${k}=${v}`).join(' ')})`);

    const closedAt = Date.now();
    const closed = await chair.post(`/api/polls/${poll.id}/close`);
    await finished;
    const arrived = parse(listenerOut.split('\n').find((l) => l.startsWith('arrived')) || '');
    const fanoutMs = arrived.count === M ? arrived.max_wall_ms - closedAt : NaN;
    const counted = closed.json.for + closed.json.against + closed.json.abstain;
    log(`bench: close ${closed.status}: for ${closed.json.for}, against ${closed.json.against}, abstain ${closed.json.abstain}; counted ${counted} of ${votes.ok} accepted; ${arrived.count}/${M} listeners got the result`);
    if (counted !== votes.ok) throw new Error(`count mismatch: ${counted} counted, ${votes.ok} accepted`);
    const rssMb = peakRssMb(alvd.process.pid);

    const baselineOut = execFileSync(loadgen, ['baseline', socket, alvd.database, String(BASELINE_CONNECTIONS), String(BASELINE_TRANSACTIONS)], { encoding: 'utf8' });
    const baseline = parse(baselineOut.split('\n').find((l) => l.startsWith('baseline')));
    const ratio = votes.per_s / baseline.per_s;

    const cpu = (execFileSync('sh', ['-c', "grep -m1 'model name' /proc/cpuinfo | cut -d: -f2"], { encoding: 'utf8' }).trim());
    console.log('| measure | value |');
    console.log('|---|---|');
    console.log(`| machine | ${cpu}, ${execFileSync('nproc', { encoding: 'utf8' }).trim()} cores |`);
    console.log(`| members checked in / listeners | ${scans.ok} / ${M} |`);
    console.log(`| votes accepted (2xx) / fired | ${votes.ok} / ${votes.requests} |`);
    console.log(`| votes per second | ${votes.per_s} (all ${votes.requests} in ${votes.seconds} s) |`);
    console.log(`| vote latency p50 / p95 / p99 / max | ${votes.p50_ms} / ${votes.p95_ms} / ${votes.p99_ms} / ${votes.max_ms} ms |`);
    console.log(`| result on every listener after close | ${fanoutMs.toFixed(1)} ms |`);
    console.log(`| baseline durable INSERT commits/s (${BASELINE_CONNECTIONS} clients) | ${baseline.per_s} |`);
    console.log(`| ratio votes/s ÷ baseline | ${ratio.toFixed(2)} |`);
    console.log(`| alvd peak RSS | ${rssMb.toFixed(1)} MB |`);
    console.log(`bench votes_per_s=${votes.per_s} baseline_commits_per_s=${baseline.per_s} ratio=${ratio.toFixed(2)} p99_ms=${votes.p99_ms} fanout_ms=${fanoutMs.toFixed(1)} rss_mb=${rssMb.toFixed(1)}`);
  } finally {
    await alvd.stop().catch((error) => log(String(error)));
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((error) => { console.error(error); process.exit(1); });
