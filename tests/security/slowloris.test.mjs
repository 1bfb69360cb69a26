// Slowloris from one address (issue 16, point 2): thousands of connections that trickle
// header lines and never finish a request, reconnecting when dropped. /api/health keeps
// answering in under a second, both for another address and for a client behind the
// attacker's own address (a hall of phones shares one Wi-Fi NAT address with the
// delegate who attacks).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { startAlvd } from '../api/lib/alvd.mjs';
import { runHostile, probeRepeatedly, latencySummary } from './lib/hostile.mjs';

const ATTACKER = '127.0.0.2';
const CONNECTIONS = 9000;   /* more than libmicrohttpd's whole connection limit of 8,000 */
const SECONDS = 180;        /* at most; stopped once the probes are in */
const PROBES = 12;          /* per address, once every connection was opened */
const RATE = 600;           /* new connections a second, reconnects included */

let alvd;
after(async () => { await alvd?.stop(); });

test(`slowloris: ${CONNECTIONS} slow connections from one address, health still answers`, async () => {
  alvd = await startAlvd({ demo: true });
  const attack = runHostile('slowloris', ['127.0.0.1', alvd.port, ATTACKER, CONNECTIONS, SECONDS, RATE]);
  // Probe once the attacker has opened all its connections, a fixed number of times
  // (counted, not timed: a loaded machine only makes it slower).
  while ((attack.last()?.opened ?? 0) < CONNECTIONS && (attack.last()?.t ?? 0) < SECONDS - 60) {
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const other = probeRepeatedly(alvd.port, '127.0.0.1', 300);
  const same = probeRepeatedly(alvd.port, ATTACKER, 300);
  while (other.results.length < PROBES || same.results.length < PROBES) {
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  attack.child.kill('SIGTERM');
  const final = await attack.done;
  const otherAddress = latencySummary(await other.stop());
  const sameAddress = latencySummary(await same.stop());
  const peakOpen = Math.max(...attack.lines.map((line) => line.open));
  console.log(JSON.stringify({ attack: final, attacker_peak_open: peakOpen, health_other_address: otherAddress,
    health_attacker_address: sameAddress }));
  assert.ok(final.opened >= CONNECTIONS, `the attacker opened all ${CONNECTIONS} connections (${final.opened})`);
  for (const [who, latency] of [['another address', otherAddress], ["the attacker's address", sameAddress]]) {
    assert.ok(latency.probes >= 10, `health was probed from ${who}`);
    assert.equal(latency.failed, 0, `every health probe from ${who} answered (${latency.errors.join(', ')})`);
    assert.ok(latency.p90_ms < 1000, `health from ${who} answers in under 1 s (p90 ${latency.p90_ms} ms)`);
  }
});
