// Helpers of the security tests: run the attacker (tests/security/hostile.c, built as
// alvd_hostile), probe /api/health from a chosen local address on a fresh connection,
// and read a process's resident memory (current and peak) from /proc.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import http from 'node:http';
import { sourceDir } from '../../api/lib/alvd.mjs';

export const hostileBinary = process.env.ALVD_HOSTILE || join(sourceDir, 'build', 'alvd_hostile');

/**
 * Start the attacker: mode 'slowloris' or 'uploads'; args after the mode as the tool
 * takes them. Returns { lines, last(), done } — done resolves with the final report.
 */
export function runHostile(mode, args) {
  const child = spawn(hostileBinary, [mode, ...args.map(String)], { stdio: ['ignore', 'pipe', 'pipe'] });
  const lines = [];
  let pending = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => {
    pending += chunk;
    let newline;
    while ((newline = pending.indexOf('\n')) >= 0) {
      const line = pending.slice(0, newline);
      pending = pending.slice(newline + 1);
      try { lines.push(JSON.parse(line)); } catch { /* not a report */ }
    }
  });
  child.stderr.on('data', (chunk) => { stderr += chunk; });
  const done = new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) reject(new Error(`alvd_hostile exited ${code}: ${stderr}`));
      else resolve(lines.at(-1));
    });
  });
  return { child, lines, last: () => lines.at(-1), done, stderr: () => stderr };
}

/** GET /api/health on a new connection from localAddress; { status, ms } or { error, ms }. */
export function probeHealth(port, localAddress = '127.0.0.1', timeoutMs = 10000) {
  const started = process.hrtime.bigint();
  const elapsed = () => Number(process.hrtime.bigint() - started) / 1e6;
  return new Promise((resolve) => {
    const request = http.get({ host: '127.0.0.1', port, path: '/api/health', localAddress, agent: false,
      headers: { Connection: 'close' } }, (response) => {
      response.resume();
      response.on('end', () => resolve({ status: response.statusCode, ms: elapsed() }));
      response.on('error', (error) => resolve({ error: error.code || error.message, ms: elapsed() }));
    });
    request.setTimeout(timeoutMs, () => request.destroy(new Error('timeout')));
    request.on('error', (error) => resolve({ error: error.code || error.message, ms: elapsed() }));
  });
}

/**
 * Probe every intervalMs from a child process (its timings are not slowed by this
 * process's own work) until stop(); returns { results, stop } — stop resolves results.
 */
export function probeRepeatedly(port, localAddress, intervalMs) {
  const child = spawn(process.execPath, [join(dirname(fileURLToPath(import.meta.url)), 'probe.mjs'), String(port),
    localAddress, String(intervalMs)], { stdio: ['pipe', 'pipe', 'inherit'] });
  const results = [];
  let pending = '';
  child.stdout.on('data', (chunk) => {
    pending += chunk;
    let newline;
    while ((newline = pending.indexOf('\n')) >= 0) {
      const line = pending.slice(0, newline);
      pending = pending.slice(newline + 1);
      try { results.push(JSON.parse(line)); } catch { /* not a probe line */ }
    }
  });
  const exited = new Promise((resolve) => child.on('exit', resolve));
  return {
    results,
    stop: async () => { child.stdin.end(); await exited; return results; },
  };
}

/** Resident memory of a process in MiB: { rss, peak } (VmRSS and VmHWM). */
export function residentMemory(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (name) => Number((status.match(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm')) || [0, 0])[1]);
  return { rss: kib('VmRSS') / 1024, peak: kib('VmHWM') / 1024 };
}

/** Latency figures of probe results (ms): count, failures, median, p90, max. */
export function latencySummary(results) {
  const ok = results.filter((r) => r.status === 200).map((r) => r.ms).sort((a, b) => a - b);
  const at = (q) => (ok.length ? ok[Math.min(ok.length - 1, Math.floor(q * ok.length))] : null);
  const round = (v) => (v === null ? null : Math.round(v));
  return {
    probes: results.length, answered: ok.length, failed: results.length - ok.length,
    median_ms: round(at(0.5)), p90_ms: round(at(0.9)), max_ms: round(ok.at(-1) ?? null),
    errors: [...new Set(results.filter((r) => r.status !== 200).map((r) => r.error || r.status))],
    each_ms: results.map((r) => (r.status === 200 ? Math.round(r.ms) : `${r.error || r.status}@${Math.round(r.ms)}`)),
  };
}

/**
 * One HTTP request from localAddress on a fresh connection: { status, headers, text, json }.
 * body: an object (sent as JSON). headers: extra request headers.
 */
export function requestFrom(port, localAddress, method, path, body, headers = {}) {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const request = http.request({
      host: '127.0.0.1', port, method, path, localAddress, agent: false,
      headers: { Connection: 'close', ...(payload ? { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) } : {}), ...headers },
    }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk) => { text += chunk; });
      response.on('end', () => {
        let json = null;
        try { json = text ? JSON.parse(text) : null; } catch { json = null; }
        resolve({ status: response.statusCode, headers: response.headers, text, json });
      });
    });
    request.setTimeout(60000, () => request.destroy(new Error('timeout')));
    request.on('error', reject);
    if (payload) request.write(payload);
    request.end();
  });
}

/** CPU seconds (user + system) a process has used so far, from /proc. */
export function cpuSeconds(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}
