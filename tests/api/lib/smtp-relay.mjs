// A minimal SMTP relay for tests: speaks just enough SMTP for libcurl and keeps every
// message it is given ({ rcpt: [...], data }).
import net from 'node:net';

/** Listen on port; resolves to { server, mails }. */
export function startRelay(port) {
  const mails = [];
  const server = net.createServer((socket) => {
    let buffer = '';
    let inData = false;
    let current = { rcpt: [], data: '' };
    socket.write('220 test ESMTP\r\n');
    socket.on('data', (chunk) => {
      buffer += chunk.toString('utf8');
      let end;
      while ((end = buffer.indexOf('\r\n')) >= 0) {
        const line = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (inData) {
          if (line === '.') {
            inData = false;
            mails.push(current);
            current = { rcpt: [], data: '' };
            socket.write('250 OK\r\n');
          } else {
            current.data += `${line.startsWith('..') ? line.slice(1) : line}\n`;
          }
          continue;
        }
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === 'RCPT') current.rcpt.push(line);
        if (verb === 'DATA') { inData = true; socket.write('354 go on\r\n'); } else if (verb === 'QUIT') { socket.end('221 bye\r\n'); } else socket.write('250 OK\r\n');
      }
    });
    socket.on('error', () => {});
  });
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve({ server, mails })));
}

