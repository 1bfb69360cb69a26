// Fixtures for the cycle and consultation tests: a Code version, bound organisations
// with contact persons (by SQL, so these tests do not depend on the register API),
// staff accounts, and reading the .eml files the outbox writes.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { demoLogins } from './alvd.mjs';
import { readable } from './mail.mjs';

export const ARTICLE_6D =
  'Partijen houden zich aan bestaande wet- en regelgeving, de van toepassing zijnde cao en de eisen van goed ' +
  'werkgeverschap. Opdrachtnemers dragen zorg voor het aanbieden van adequate opleidingsmogelijkheden.';
export const ARTICLE_6A =
  'Partijen zijn transparant over hun proces en hun doelen. Zij handelen integer en nemen verantwoordelijkheid ' +
  'voor de keuzes die zij maken.';

const quote = (text) => `'${String(text).replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;

/** Staff accounts with the demo passwords, without loading the demo data. */
export function addStaff(alvd, roles = ['board', 'admin', 'secretariat']) {
  const names = { board: 'Bram Bestuur', admin: 'Anna Admin', secretariat: 'Sanne Secretariaat', chair: 'Vera Voorzitter', meldpunt: 'Mo Meldpunt' };
  for (const role of roles) {
    const made = alvd.run(['user', 'add', '--email', demoLogins[role].email, '--name', names[role], '--role', role,
      '--password-stdin'], `${demoLogins[role].password}\n`);
    assert.equal(made.status, 0, made.stderr);
  }
}

/** A Code version in force since 2025-01-01 with articles 6a, 6d and 7. */
export function addCodeVersion(alvd) {
  alvd.sql("INSERT INTO code_versions (label, effective_from, created_at) VALUES ('2025-1', '2025-01-01', UTC_TIMESTAMP(6))");
  const [[versionId]] = alvd.sql("SELECT id FROM code_versions WHERE label = '2025-1'");
  const articles = [
    ['6', 1, 'Algemene principes en normen', 'Alle organisaties die direct of indirect door deze Code zijn gebonden, dragen bij.'],
    ['6a', 2, 'Transparantie en integriteit', ARTICLE_6A],
    ['6d', 3, 'Arbeidsvoorwaarden en arbeidsomstandigheden', ARTICLE_6D],
    ['7', 4, 'Wijziging van de Code', 'Deze Code is een dynamisch document.'],
  ];
  for (const [id, position, title, text] of articles) {
    alvd.sql(`INSERT INTO code_articles (version_id, article_id, position, title, text) VALUES (${versionId}, ${quote(id)}, ${position}, ${quote(title)}, ${quote(text)})`);
  }
  return Number(versionId);
}

/** An organisation with one basis and contact persons; returns its id. */
export function addOrganisation(alvd, { name, kvk, basis, since = '2024-01-01', until = null, contacts = [] }) {
  alvd.sql(`INSERT INTO organisations (name, kvk, created_at, updated_at) VALUES (${quote(name)}, ${quote(kvk)}, UTC_TIMESTAMP(6), UTC_TIMESTAMP(6))`);
  const [[id]] = alvd.sql(`SELECT id FROM organisations WHERE kvk = ${quote(kvk)}`);
  if (basis) {
    alvd.sql(`INSERT INTO bases (organisation_id, basis, since, until, created_at) VALUES (${id}, ${quote(basis)}, ${quote(since)}, ${until ? quote(until) : 'NULL'}, UTC_TIMESTAMP(6))`);
  }
  for (const contact of contacts) {
    alvd.sql(`INSERT INTO contacts (organisation_id, name, email, created_at) VALUES (${id}, ${quote(contact.name)}, ${quote(contact.email)}, UTC_TIMESTAMP(6))`);
  }
  return Number(id);
}

/** Every .eml in the outbox as {file, to, subject, text, links}. */
export function readMails(dataDir) {
  const dir = join(dataDir, 'outbox');
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((f) => f.endsWith('.eml')).sort().map((file) => {
    const raw = readFileSync(join(dir, file), 'utf8');
    // What the recipient reads: headers decoded, quoted-printable undone (lib/mail.mjs).
    const { to, subject, text } = readable(raw);
    const links = [...text.matchAll(/\/l\/([A-Za-z0-9_-]{43})/g)].map((m) => m[1]);
    return { file, to, subject, raw, text, links: [...new Set(links)] };
  });
}

/** Wait (up to attempts × 100 ms) until predicate holds for at least count mails; returns them. */
export async function waitForMails(dataDir, predicate, count = 1, attempts = 80) {
  for (let attempt = 0; ; attempt++) {
    const found = readMails(dataDir).filter(predicate);
    if (found.length >= count) return found;
    if (attempt >= attempts) {
      throw new Error(`expected ${count} mail(s), found ${found.length}: ${readMails(dataDir).map((m) => `${m.to}: ${m.subject}`).join('; ')}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** RFC 3339 instant `seconds` from now. */
export function instant(secondsFromNow) {
  return new Date(Date.now() + secondsFromNow * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
