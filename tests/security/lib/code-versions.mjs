// Two large Code versions for the diff tests: ARTICLES articles of about 900 bytes each
// (close to the maximum version size), the second with about a third of the words of
// every article changed — the worst kind of amendment for a word diff.
function words(seed, count) {
  const vocabulary = ['klant', 'contact', 'medewerker', 'opdrachtgever', 'dienstverlening', 'kwaliteit', 'redelijk',
    'beloning', 'werkgever', 'inlener', 'uitlener', 'sector', 'verantwoordelijk', 'afspraak', 'toezicht', 'norm'];
  let state = seed;
  const out = [];
  for (let i = 0; i < count; i++) {
    state = (state * 1103515245 + 12345) % 2147483648;
    out.push(vocabulary[state % vocabulary.length]);
  }
  return out;
}

/** Markdown of a version: variant 0 is the base, variant 1 changes every third word. */
export function largeCodeMarkdown(articles, variant) {
  const parts = [];
  for (let a = 1; a <= articles; a++) {
    const text = words(a, 90).map((word, i) => (variant && i % 3 === 0 ? `${word}s` : word)).join(' ');
    parts.push(`${a}. Artikel ${a}${variant && a % 7 === 0 ? ' (gewijzigd)' : ''}\n\n${text}.\n`);
  }
  return parts.join('\n');
}
