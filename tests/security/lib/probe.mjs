// Probes /api/health every INTERVAL ms on a fresh connection from LOCAL_ADDRESS until its
// stdin closes, one JSON line per probe: {"status","ms"} or {"error","ms"}. A process of
// its own, so the timings do not include the test's own work (parsing large answers).
//   node probe.mjs PORT LOCAL_ADDRESS INTERVAL
import { probeHealth } from './hostile.mjs';

const [port, localAddress, interval] = process.argv.slice(2);
let running = true;
process.stdin.on('end', () => { running = false; });
process.stdin.on('close', () => { running = false; });
process.stdin.resume();
while (running) {
  const result = await probeHealth(Number(port), localAddress);
  process.stdout.write(`${JSON.stringify(result)}\n`);
  await new Promise((resolve) => setTimeout(resolve, Number(interval)));
}
process.exit(0);
