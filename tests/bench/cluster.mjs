// The cluster benchmark (scripts/bench --cluster): one meeting's scan storm, ticket logins
// and vote storm through three alvd processes and a client that fails over like a load
// balancer (loadgen balance), first on ONE plain MariaDB (scripts/db), then on a 3-node
// Galera cluster (scripts/galera), then on the cluster with Galera node 3 SIGKILLed a
// third of the way into the scan storm and again into the vote storm. Prints one table;
// asserts nothing about time (it does check every 2xx answer is in the database once).
import { execFileSync } from 'node:child_process';
import { writeFileSync, readFileSync, mkdirSync, mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';
import { startAlvd, sourceDir, sql } from '../api/lib/alvd.mjs';
import { addMembers, addCycle, addProposal, serverToday } from '../api/lib/poll-fixtures.mjs';

const MEMBERS = Number(process.env.BENCH_MEMBERS || 600);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS || 48);
const HTTP_THREADS = process.env.BENCH_HTTP_THREADS || '2';
const loadgen = process.env.ALVD_LOADGEN || join(sourceDir, 'build', 'alvd_loadgen');
const galera = join(sourceDir, 'scripts', 'galera');
const oneDir = process.env.BENCH_DB_DIR || join(sourceDir, 'var', 'bench-db');
const clusterDir = process.env.BENCH_GALERA_DIR || join(sourceDir, 'var', 'bench-galera');
const traceDir = join(sourceDir, 'var', 'bench-cluster');
// BENCH_PARTS: which of one,cluster,kill to run (all by default; a part left out prints –).
const parts = new Set((process.env.BENCH_PARTS || 'one,cluster,kill').split(','));
const ONE_WRITER = process.env.BENCH_ONE_WRITER === '1';
const work = mkdtempSync(join(tmpdir(), 'alvd-cbench-'));
let year = 2600 + Math.floor(Math.random() * 300);

function log(line) { process.stderr.write(`${line}\n`); }
const loadAverage = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

// What a storm cost, per cause (BENCH_PROFILE=0 leaves it out): statements and Galera's
// counters summed over the database servers, CPU seconds of each mariadbd and alvd.
const PROFILE = process.env.BENCH_PROFILE !== '0';
const COUNTERS = ['Questions', 'Com_select', 'Com_insert', 'Com_update', 'Com_begin', 'Com_commit', 'Com_rollback',
  'wsrep_local_cert_failures', 'wsrep_local_bf_aborts', 'wsrep_flow_control_paused_ns', 'wsrep_replicated', 'wsrep_received'];
const cpuSeconds = (pid) => {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, in clock ticks of 1/100 s
  } catch { return NaN; }
};
function sample(probe) {
  if (!PROFILE || !probe) return null;
  const counters = Object.fromEntries(COUNTERS.map((name) => [name, 0]));
  for (const socket of probe.sockets()) {
    try {
      for (const [name, value] of sql(socket, 'mysql', `SHOW GLOBAL STATUS WHERE Variable_name IN (${COUNTERS.map((c) => `'${c}'`).join(',')})`)) counters[name] += Number(value);
    } catch { /* a node that is down */ }
  }
  return { counters, db: probe.dbPids().map(cpuSeconds), alvd: probe.alvds.map((a) => cpuSeconds(a.process?.pid)), at: Date.now() };
}
function report(label, before, after, requests) {
  if (!before || !after) return;
  const d = (name) => after.counters[name] - before.counters[name];
  const per = (name) => (d(name) / requests).toFixed(2);
  const wall = (after.at - before.at) / 1000;
  const cpu = (list, base) => list.map((v, i) => (v - base[i]).toFixed(2)).join('+');
  const total = (list, base) => list.reduce((sum, v, i) => sum + v - base[i], 0);
  log(`cbench:   ${label} per request: statements ${per('Questions')} (select ${per('Com_select')}, insert ${per('Com_insert')}, update ${per('Com_update')}, begin ${per('Com_begin')}, commit ${per('Com_commit')}, rollback ${per('Com_rollback')}), summed over the servers`);
  log(`cbench:   ${label} galera: cert failures ${d('wsrep_local_cert_failures')}, bf aborts ${d('wsrep_local_bf_aborts')}, flow control paused ${(d('wsrep_flow_control_paused_ns') / 1e9).toFixed(2)} s, replicated ${d('wsrep_replicated')}, received ${d('wsrep_received')}`);
  log(`cbench:   ${label} cpu in ${wall.toFixed(2)} s wall: mariadbd ${cpu(after.db, before.db)} s, alvd ${cpu(after.alvd, before.alvd)} s; ` +
    `all ${(total(after.db, before.db) + total(after.alvd, before.alvd)).toFixed(2)} s of ${(2 * wall).toFixed(2)} core-s`);
}

function parse(line) {
  const out = {};
  for (const part of line.trim().split(/\s+/)) {
    const [key, value] = part.split('=');
    if (value !== undefined) out[key] = Number.isNaN(Number(value)) ? value : Number(value);
  }
  return out;
}

/** Fire lines through `loadgen balance` at the processes; kill: a command run after `at` answers. */
function balance(alvds, label, lines, { bodies, at, run, probe } = {}) {
  const file = join(work, `requests-${randomUUID()}.txt`);
  writeFileSync(file, `${lines.join('\n')}\n`);
  const trace = join(traceDir, `${label}.trace`);
  const targets = alvds.map((a) => `127.0.0.1:${a.port}`).join(',');
  const args = ['balance', targets, String(CONNECTIONS), file, trace];
  if (bodies) args.push(bodies);
  const env = { ...process.env, ...(run ? { LOADGEN_AT: String(at), LOADGEN_RUN: run } : {}) };
  const loadBefore = loadAverage();
  const before = sample(probe);
  const out = execFileSync(loadgen, args, { encoding: 'utf8', env, maxBuffer: 1 << 26, stdio: ['ignore', 'pipe', 'inherit'] });
  const after = sample(probe);
  const result = parse(out.split('\n').find((l) => l.startsWith('balance ')));
  result.load = `${loadBefore} → ${loadAverage()}`;
  result.trace = trace;
  const statuses = Object.entries(result).filter(([k]) => k.startsWith('status_')).map(([k, v]) => `${k.slice(7)}×${v}`).join(' ');
  log(`cbench: ${label}: ${result.ok}/${result.requests} 2xx (${statuses}) ${result.per_s}/s p50 ${result.p50_ms} ms p99 ${result.p99_ms} ms max ${result.max_ms} ms, ${result.failovers} fail-overs; load ${result.load}`);
  report(label, before, after, lines.length);
  if (run) {
    // The slowest answers of a storm with a kill, for the reader (attempts: process:status:ms:code).
    const slowest = readFileSync(trace, 'utf8').trim().split('\n').map((l) => l.split(' '))
      .sort((a, b) => Number(b[2]) - Number(a[2])).slice(0, 5);
    for (const s of slowest) log(`cbench:   slow #${s[0]} sent at +${s[1]} ms took ${s[2]} ms → ${s[3]} after ${s[4]} failed: ${s.slice(5).join(' ')}`);
  }
  return result;
}

async function startProcesses(sockets, database, dataDir) {
  const env = { ALVD_HTTP_THREADS: HTTP_THREADS };
  const alvds = [await startAlvd({ socket: sockets[0], database, demo: true, keepDatabase: true, dataDir, env })];
  for (const socket of sockets.slice(1)) {
    alvds.push(await startAlvd({ socket, database, migrate: false, keepDatabase: true, dataDir, env }));
  }
  return alvds;
}

async function waitHealthy(alvd) {
  for (let t = 0; t < 1200; t++) {
    try { if ((await fetch(`${alvd.url}/api/health`)).status === 200) return; } catch { /* restarting */ }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`alvd on port ${alvd.port} did not become healthy`);
}

/** One meeting: scan storm, ticket logins, vote storm, close; kill = {command, rejoin} or null. */
async function meeting(alvds, label, kill, probe) {
  const [first] = alvds;
  const staff = { secretariat: await first.login('secretariat'), board: await first.login('board'), chair: await first.login('chair') };
  const prefix = `Bench ${label} ${randomBytes(3).toString('hex')}`;
  const members = Object.values(addMembers(first, prefix, MEMBERS));
  const proposalId = addProposal(first, addCycle(first, year++), 'Benchstemming', [{ article: '6a', action: 'replace', text: 'Tekst.' }]);
  const created = await staff.secretariat.post('/api/meetings', { title: `ALV ${prefix}`, date: serverToday(first), starts_at: '19:30', location: 'Utrecht' });
  if (created.status !== 201) throw new Error(`meeting: ${created.text}`);
  const meetingId = created.json.id;
  const issued = await staff.secretariat.post(`/api/meetings/${meetingId}/tickets`);
  if (issued.status !== 201) throw new Error(`tickets: ${issued.text}`);
  const byOrganisation = new Map((await staff.secretariat.get(`/api/meetings/${meetingId}/tickets`)).json.items.map((t) => [t.organisation_id, t.code]));
  const tickets = members.map((id) => byOrganisation.get(id));
  const agenda = await staff.board.post(`/api/meetings/${meetingId}/agenda`, { proposal_ids: [proposalId] });
  if (agenda.status !== 200) throw new Error(`agenda: ${agenda.text}`);
  const killAt = kill ? { at: Math.floor(MEMBERS / 3), run: kill.command, probe } : { probe };

  const scans = balance(alvds, `${label}-scans`, tickets.map((ticket) =>
    `POST\t/api/meetings/${meetingId}/scans\t${staff.secretariat.token}\t${JSON.stringify({ ticket, direction: 'entry', nonce: randomUUID() })}`), killAt);
  if (kill) { await kill.check(); await kill.rejoin(); }
  const entered = Number(first.sql(`SELECT COUNT(*) FROM attendance_events WHERE meeting_id = ${meetingId} AND direction = 'entry'`)[0][0]);
  if (entered !== scans.ok) throw new Error(`${label}: ${scans.ok} scans answered 2xx, ${entered} ledger rows`);
  const opened = await staff.chair.post(`/api/meetings/${meetingId}/open`);
  if (opened.status !== 200) throw new Error(`open: ${opened.text}`);

  const bodies = join(work, `logins-${label}.txt`);
  const logins = balance(alvds, `${label}-logins`, tickets.map((ticket) => `POST\t/api/session/ticket\tnone\t${JSON.stringify({ ticket })}`), { bodies, probe });
  const tokens = readFileSync(bodies, 'utf8').split('\n').filter(Boolean).map((b) => JSON.parse(b).token).filter(Boolean);

  const poll = await staff.chair.post(`/api/meetings/${meetingId}/polls`, { proposal_id: proposalId, secret: true });
  if (poll.status !== 201) throw new Error(`poll: ${poll.text}`);
  const pollOpened = await staff.chair.post(`/api/polls/${poll.json.id}/open`);
  if (pollOpened.status !== 200) throw new Error(`poll open: ${pollOpened.text}`);
  const choices = ['for', 'for', 'against', 'abstain'];
  const votes = balance(alvds, `${label}-votes`, tokens.map((token, i) =>
    `POST\t/api/polls/${poll.json.id}/votes\t${token}\t${JSON.stringify({ choice: choices[i % choices.length], ballot_id: randomUUID() })}`), killAt);
  if (kill) { await kill.check(); await kill.rejoin(); }
  const closed = await staff.chair.post(`/api/polls/${poll.json.id}/close`);
  if (closed.status !== 200) throw new Error(`close: ${closed.text}`);
  const counted = closed.json.for + closed.json.against + closed.json.abstain;
  if (counted !== votes.ok) throw new Error(`${label}: ${votes.ok} votes answered 2xx, ${counted} counted`);
  log(`cbench: ${label}: ${entered} entered, ${counted} votes counted (= the 2xx answers)`);
  return { scans, logins, votes };
}

const fmt = (r, key) => (r ? String(r[key]) : '–');
const ms = (r) => (r ? `${(r.p50_ms / 1000).toFixed(2)} / ${(r.p99_ms / 1000).toFixed(2)} / ${(r.max_ms / 1000).toFixed(2)} s` : '–');

async function main() {
  mkdirSync(traceDir, { recursive: true });
  const results = {};
  const database = `t_${randomBytes(6).toString('hex')}`;

  // ---- one node: three processes on one plain MariaDB ----
  let dataDir;
  let alvds = [];
  if (parts.has('one')) {
  const oneWasRunning = existsSync(join(oneDir, 'mysqld.pid'));
  execFileSync(join(sourceDir, 'scripts', 'db'), ['start', oneDir], { stdio: ['ignore', 'ignore', 'inherit'] });
  const oneSocket = join(oneDir, 'mysqld.sock');
  dataDir = mkdtempSync(join(tmpdir(), 'alvd-cbench-data-'));
  alvds = [];
  try {
    alvds = await startProcesses([oneSocket, oneSocket, oneSocket], database, dataDir);
    log(`cbench: one node (scripts/db ${oneDir}), 3 processes, ${MEMBERS} members, ${CONNECTIONS} connections`);
    const onePid = () => [Number(readFileSync(join(oneDir, 'mysqld.pid'), 'utf8'))];
    results.one = await meeting(alvds, 'one', null, { sockets: () => [oneSocket], dbPids: onePid, alvds });
  } finally {
    for (const alvd of alvds) await alvd.stop().catch((error) => log(String(error)));
    try { sql(oneSocket, 'mysql', `DROP DATABASE IF EXISTS ${database}`); } catch { /* gone */ }
    if (!oneWasRunning) execFileSync(join(sourceDir, 'scripts', 'db'), ['stop', oneDir], { stdio: 'ignore' });
    rmSync(dataDir, { recursive: true, force: true });
  }
  }

  // ---- three Galera nodes, a process on each ----
  const parseNodes = (text) => text.split('\n').filter((l) => l.startsWith('node ')).map((l) => l.match(/socket=(\S+)/)[1]);
  let sockets = parseNodes(execFileSync(galera, ['start', clusterDir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }));
  dataDir = mkdtempSync(join(tmpdir(), 'alvd-cbench-data-'));
  alvds = [];
  try {
    // BENCH_ONE_WRITER=1: every process on node 1, the production layout of docs/operations.md
    // (writes to one node at a time); for comparison with a writer on each node (no kill part).
    if (ONE_WRITER && parts.has('kill')) throw new Error('BENCH_ONE_WRITER=1 needs BENCH_PARTS without kill');
    alvds = await startProcesses(ONE_WRITER ? sockets.map(() => sockets[0]) : sockets, database, dataDir);
    log(`cbench: cluster (scripts/galera ${clusterDir}), ${ONE_WRITER ? 'every process on node 1' : 'a process on each node'}`);
    const nodePids = () => [1, 2, 3].map((n) => { try { return Number(readFileSync(join(clusterDir, `node${n}`, 'mysqld.pid'), 'utf8')); } catch { return 0; } });
    if (parts.has('cluster')) results.cluster = await meeting(alvds, 'cluster', null, { sockets: () => sockets, dbPids: nodePids, alvds });
    const rejoin = async () => {
      sockets = parseNodes(execFileSync(galera, ['start', clusterDir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }));
      await waitHealthy(alvds[2]);
    };
    // The kill happened: the process on node 3 says its node is not synced.
    const check = async () => {
      const health = await fetch(`${alvds[2].url}/api/health`);
      if (health.status !== 503) throw new Error(`node 3 was not down after the storm (health ${health.status})`);
    };
    if (parts.has('kill')) results.kill = await meeting(alvds, 'cluster-kill', { command: `${galera} kill ${clusterDir} 3 >&2`, rejoin, check });
  } finally {
    for (const [i, alvd] of alvds.entries()) {
      await alvd.stop().catch((error) => log(String(error)));
      writeFileSync(join(traceDir, `cluster-alvd${i + 1}.log`), alvd.log);
    }
    try { sql(sockets[0], 'mysql', `DROP DATABASE IF EXISTS ${database}`); } catch { /* gone */ }
    execFileSync(galera, ['stop', clusterDir], { stdio: ['ignore', 'ignore', 'inherit'] });
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
  }

  const none = { scans: null, logins: null, votes: null };
  const { one = none, cluster = none, kill = none } = results;
  const ratio = (what) => (one[what] && cluster[what] ? (cluster[what].per_s / one[what].per_s).toFixed(2) : 'NaN');
  const cpu = execFileSync('sh', ['-c', "grep -m1 'model name' /proc/cpuinfo | cut -d: -f2"], { encoding: 'utf8' }).trim();
  console.log(`${MEMBERS} members, ${CONNECTIONS} client connections, 3 alvd processes (${HTTP_THREADS} HTTP threads each); ${cpu}, ${execFileSync('nproc', { encoding: 'utf8' }).trim()} cores`);
  console.log('| measure | one node (scripts/db) | cluster (3 Galera nodes) | cluster, node 3 SIGKILLed mid-storm |');
  console.log('|---|---|---|---|');
  for (const what of ['scans', 'logins', 'votes']) {
    console.log(`| ${what}/s | ${fmt(one[what], 'per_s')} | ${fmt(cluster[what], 'per_s')} | ${fmt(kill[what], 'per_s')} |`);
    console.log(`| ${what} p50 / p99 / max | ${ms(one[what])} | ${ms(cluster[what])} | ${ms(kill[what])} |`);
    console.log(`| ${what} 2xx / fail-overs | ${fmt(one[what], 'ok')} / ${fmt(one[what], 'failovers')} | ${fmt(cluster[what], 'ok')} / ${fmt(cluster[what], 'failovers')} | ${fmt(kill[what], 'ok')} / ${fmt(kill[what], 'failovers')} |`);
  }
  const load = (r) => (r.scans ? `${r.scans.load}; ${r.votes.load}` : '–');
  console.log(`| load average before → after scans; votes (1/5/15 min) | ${load(one)} | ${load(cluster)} | ${load(kill)} |`);
  console.log(`cluster votes_ratio=${ratio('votes')} scans_ratio=${ratio('scans')} logins_ratio=${ratio('logins')}` +
    ` kill_max_scan_ms=${fmt(kill.scans, 'max_ms')} kill_max_vote_ms=${fmt(kill.votes, 'max_ms')} traces=${traceDir}`);
}

main().catch((error) => { console.error(error); process.exit(1); });
