// Slow (slowloris) and half-open connections do not exhaust alvd: with hundreds of
// them open, a normal request is still answered. (No wall-clock assertion: the
// request only has to be answered at all, within the client's generous timeout.)
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { startAlvd } from '../api/lib/alvd.mjs';

let alvd;
const sockets = [];
after(async () => {
  for (const socket of sockets) socket.destroy();
  await alvd?.stop();
});

function open(port, first) {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1', () => {
      if (first) socket.write(first);
      resolve(socket);
    });
    socket.on('error', () => resolve(socket));
    sockets.push(socket);
  });
}

test('600 stalled connections leave the server answering', async () => {
  alvd = await startAlvd({ demo: true });
  const stalled = [];
  for (let i = 0; i < 300; i++) stalled.push(open(alvd.port, 'GET /api/health HTTP/1.1\r\nHost: x\r\nX-Slow: '));
  for (let i = 0; i < 300; i++) stalled.push(open(alvd.port, null));
  // A body that never completes: Content-Length promises more than is sent.
  for (let i = 0; i < 50; i++) {
    stalled.push(open(alvd.port, 'POST /api/session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"em'));
  }
  await Promise.all(stalled);
  for (let i = 0; i < 20; i++) {
    const r = await alvd.client().get('/api/health');
    assert.equal(r.status, 200);
  }
  const login = await alvd.client().post('/api/session', { email: 'bestuur@ksf.example', password: 'demo-bestuur-2026' });
  assert.equal(login.status, 200);
});
