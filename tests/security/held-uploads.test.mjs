// Memory stays bounded whatever one client sends (issue 16, point 1): 400 connections
// from one address each POST 12 MiB to the anonymous report intake, stop one byte short
// of the end and hold (reconnecting when dropped), while another client's /api/health
// keeps answering and alvd's peak resident memory stays under 300 MB. Afterwards the
// attacker's address is served normally again (nothing stays reserved).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { startAlvd } from '../api/lib/alvd.mjs';
import { runHostile, probeRepeatedly, residentMemory, latencySummary } from './lib/hostile.mjs';

const ATTACKER = '127.0.0.2';
const UPLOADS = 400;
const BYTES = 12 * 1024 * 1024;
const SECONDS = Number(process.env.ALVD_ATTACK_SECONDS) || 20; /* longer to watch an unbounded server grow */
const PEAK_LIMIT_MIB = 300;
/* New connections a second: all 400 within the first seconds, then refused ones come
 * back at this pace (a faster loop only burns the CPU this machine shares with alvd). */
const RATE = 100;

let alvd;
after(async () => { await alvd?.stop(); });

test(`${UPLOADS} held ${BYTES / 1048576} MiB uploads from one address: memory bounded, health answers`, async () => {
  alvd = await startAlvd({ demo: true });
  const pid = alvd.process.pid;
  const before = residentMemory(pid);
  const probes = probeRepeatedly(alvd.port, '127.0.0.1', 250);
  const attack = runHostile('uploads', ['127.0.0.1', alvd.port, ATTACKER, UPLOADS, SECONDS, RATE, BYTES, '/api/reports']);
  const final = await attack.done;
  const results = await probes.stop();
  const memory = residentMemory(pid);
  const latency = latencySummary(results);
  console.log(JSON.stringify({
    attack: final, rss_before_mib: Math.round(before.rss), rss_after_mib: Math.round(memory.rss),
    peak_rss_mib: Math.round(memory.peak), health: latency,
  }));
  assert.ok(final.opened >= UPLOADS, 'every upload connection was at least opened');
  assert.ok(memory.peak < PEAK_LIMIT_MIB, `peak RSS ${Math.round(memory.peak)} MiB stays under ${PEAK_LIMIT_MIB} MB`);
  assert.ok(latency.probes >= 10, 'health was probed throughout the attack');
  assert.equal(latency.failed, 0, `every health probe answered (${latency.errors.join(', ')})`);
  assert.ok(latency.p90_ms < 1000, `health answers in under 1 s (p90 ${latency.p90_ms} ms)`);

  // The attacker's address is not left blocked: its held-body slots are released.
  const health = await alvd.client().get('/api/health');
  assert.equal(health.status, 200);
});
