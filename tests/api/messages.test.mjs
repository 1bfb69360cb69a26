// Error sentences come in the page's language: every Dutch error sentence a handler
// writes has its English in the one catalogue (server/http/messages.c), and a request
// gets it by ?lang= or Accept-Language, with dates in words; code and field stay.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { startAlvd, sourceDir } from './lib/alvd.mjs';

const catalogueFile = join(sourceDir, 'server', 'http', 'messages.c');

/** Every .c file under server/, recursively. */
function sources(dir = join(sourceDir, 'server')) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : name.endsWith('.c') ? [path] : [];
  });
}

/** The text of a C call's argument list starting at index (just after the '('). */
function argumentsAt(text, index) {
  let depth = 1;
  let inString = false;
  let i = index;
  for (; i < text.length && depth > 0; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
  }
  const body = text.slice(index, i - 1);
  const args = [];
  let current = '';
  depth = 0;
  inString = false;
  for (let j = 0; j < body.length; j++) {
    const c = body[j];
    if (inString) {
      current += c;
      if (c === '\\') current += body[++j];
      else if (c === '"') inString = false;
    } else if (c === '"') { inString = true; current += c; } else if ('([{'.includes(c)) { depth++; current += c; } else if (')]}'.includes(c)) { depth--; current += c; } else if (c === ',' && depth === 0) { args.push(current.trim()); current = ''; } else current += c;
  }
  args.push(current.trim());
  return args;
}

/** The sentences an argument can be: adjacent literals joined, one per ternary branch. */
function literals(argument) {
  const joined = argument.replace(/%"\s*PRI[diux](?:8|16|32|64|MAX)\s*"/g, '{}');
  const groups = [];
  for (const match of joined.matchAll(/"(?:[^"\\]|\\.)*"(?:\s*"(?:[^"\\]|\\.)*")*/g)) {
    const text = [...match[0].matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => m[1]).join('');
    groups.push(text.replace(/\\"/g, '"').replace(/\\\\/g, '\\'));
  }
  return groups;
}

const pattern = (format) => format
  .replace(/%%/g, '\u0000')
  .replace(/%(?:\.\d+|-?\d+)?(?:lld|llu|zu|lu|ld|d|u|s|c|x)/g, '{}')
  .replace(/\u0000/g, '%');

/** Messages for operators, not for people on a page: English already, or internal. */
// The audit chain and its checkpoints speak English to the operator (alvd audit verify), as
// do start-up failures and the command-line user tools.
const internal = /^(Cannot |Mail subject|decision |Ticket |The |Audit |Key file|Statement |Too many parameters|Two migrations|Migration |Database name|ALVD_|Bad port|\{\} must|\{\} is too large|Article \{\} of the Code|Out of memory|This (is not an alvd )?audit checkpoint|No user with |No memory |\{\}\/keys\/\{\} is missing|\{\} The chain |\{\} \(\{\}\)$|\{\}$)/;
// Command-line side (operators read these in a terminal, in English): setup, demo,
// migrations, privileges, configuration.
const skippedFiles = /server\/(ops\/|demo\/|store\/migrate\.c|store\/privileges\.c|base\/config\.c|base\/err\.c)/;

function handlerSentences() {
  const found = [];
  for (const file of sources()) {
    const where = relative(sourceDir, file);
    if (skippedFiles.test(where) || where === 'server/http/messages.c') continue;
    const text = readFileSync(file, 'utf8');
    for (const call of text.matchAll(/\b(alvd_err_set|http_reply_error|polls_outcome)\s*\(/g)) {
      const args = argumentsAt(text, call.index + call[0].length);
      // The sentence's place: (err, status, code, field, sentence…); a vote's outcome (out, status, code, sentence).
      const at = call[1] === 'polls_outcome' ? 3 : 4;
      if (args.length < at + 1) continue;
      for (const sentence of literals(args[at])) {
        const shaped = pattern(sentence);
        // A single word is a comparison (strcmp(state, "received") ? …), not a sentence.
        if (!shaped.includes(' ') || internal.test(shaped)) continue;
        const line = text.slice(0, call.index).split('\n').length;
        found.push({ where: `${where}:${line}`, sentence: shaped });
      }
    }
  }
  return found;
}

function catalogue() {
  const text = readFileSync(catalogueFile, 'utf8');
  const start = text.indexOf('messages_catalogue[] = {');
  const end = text.indexOf('{NULL, NULL}', start);
  const entries = new Set();
  for (const entry of text.slice(start, end).matchAll(/\{\s*((?:"(?:[^"\\]|\\.)*"\s*)+),/g)) {
    entries.add([...entry[1].matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => m[1]).join('').replace(/\\"/g, '"'));
  }
  return entries;
}

test('every Dutch error sentence a handler writes has its English in server/http/messages.c', () => {
  const known = catalogue();
  const sentences = handlerSentences();
  assert.ok(sentences.length > 200, `found ${sentences.length} sentences: the scan works`);
  const missing = sentences.filter(({ sentence }) => !known.has(sentence));
  assert.deepEqual(missing, [],
    'add each of these to messages_catalogue in server/http/messages.c ({} for each printf part, then the English):\n' +
    missing.map(({ where, sentence }) => `  ${where}: ${sentence}`).join('\n'));
});

test('handler sentences say "u", never "je", "jij" or "jouw" (docs/schrijfwijzer.md)', () => {
  const informal = handlerSentences().filter(({ sentence }) => /(^|[^\p{L}])([jJ]e|[jJ]ij|[jJ]ou|[jJ]ouw)(?=[^\p{L}]|$)/u.test(sentence));
  assert.deepEqual(informal, [], informal.map(({ where, sentence }) => `  ${where}: ${sentence}`).join('\n'));
});

test('pages and their scripts say "u", never "je", "jij" or "jouw" (docs/schrijfwijzer.md)', () => {
  const files = (dir) => readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'vendor' ? [] : files(path);
    return /\.(js|mjs|html)$/.test(name) ? [path] : [];
  });
  const informal = [];
  for (const file of files(join(sourceDir, 'web'))) {
    readFileSync(file, 'utf8').split('\n').forEach((line, index) => {
      if (/(^|[^\p{L}])([jJ]e|[jJ]ij|[jJ]ou|[jJ]ouw)(?=[^\p{L}]|$)/u.test(line)) informal.push(`${relative(sourceDir, file)}:${index + 1}: ${line.trim()}`);
    });
  }
  assert.ok(files(join(sourceDir, 'web')).length > 30, 'the scan finds the pages');
  assert.deepEqual(informal, [], informal.join('\n'));
});

let alvd;
before(async () => { alvd = await startAlvd(); });
after(async () => { await alvd?.stop(); });

async function ask(path, { method = 'GET', body, headers = {} } = {}) {
  const response = await fetch(`${alvd.url}${path}`, {
    method, headers: { ...(body ? { 'Content-Type': 'application/json' } : {}), ...headers },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: response.status, json: await response.json() };
}

test('a refused login answers in Dutch by default and in English when the page asks', async () => {
  const body = { email: 'niemand@ksf.example', password: 'verkeerd-wachtwoord' };
  const dutch = await ask('/api/session', { method: 'POST', body });
  assert.equal(dutch.status, 401);
  assert.equal(dutch.json.error, 'Het e-mailadres of het wachtwoord klopt niet.');
  const english = await ask('/api/session', { method: 'POST', body, headers: { 'Accept-Language': 'en' } });
  assert.deepEqual(english.json, { error: 'The e-mail address or the password is wrong.', code: dutch.json.code });
  const browser = await ask('/api/session', { method: 'POST', body, headers: { 'Accept-Language': 'en-GB,en;q=0.9,nl;q=0.5' } });
  assert.equal(browser.json.error, 'The e-mail address or the password is wrong.');
});

test('lang= wins over the header; a required field keeps its code and field', async () => {
  const english = await ask('/api/session?lang=en', { method: 'POST', body: { password: 'x' }, headers: { 'Accept-Language': 'nl' } });
  assert.equal(english.status, 422);
  assert.deepEqual(english.json, { error: 'Field email is required.', code: 'required', field: 'email' });
  const dutch = await ask('/api/session?lang=nl', { method: 'POST', body: { password: 'x' }, headers: { 'Accept-Language': 'en' } });
  assert.deepEqual(dutch.json, { error: 'Veld email is verplicht.', code: 'required', field: 'email' });
});

test('a date in an error sentence is written in words in either language', async () => {
  const dutch = await ask('/api/code/in-force?date=2025-06-30');
  assert.equal(dutch.status, 404);
  assert.equal(dutch.json.error, 'Op maandag 30 juni 2025 was geen versie van de Code van kracht.');
  const english = await ask('/api/code/in-force?date=2025-06-30&lang=en');
  assert.equal(english.json.error, 'On Monday 30 June 2025 no version of the Code was in force.');
  const unknown = await ask('/api/nergens', { headers: { 'Accept-Language': 'en' } });
  assert.equal(unknown.status, 404);
  assert.equal(unknown.json.error, 'Unknown address: /api/nergens.');
});
