/**
 * messaging-reports §3.1.4: the original's eight substitutions, in its order, with Python 3's
 * Unicode semantics. JS `\w`, `\d`, `\s` and `\b` are ASCII-only (or differ), so the classes are
 * spelled out: a word char is a letter, a number or `_`; a digit is any decimal digit (Nd); white
 * space is exactly what Python's `str.isspace()` accepts; `\b` is a change of word-ness.
 */
const WORD = String.raw`\p{L}\p{N}_`;
const DIGIT = String.raw`\p{Nd}`;
const SPACE = String.raw`\t\n\v\f\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000`;
const BOUNDARY = `(?:(?<=[${WORD}])(?![${WORD}])|(?<![${WORD}])(?=[${WORD}]))`;

/** The original truncates before masking so that its regexes never see a pathological input. */
const MAX_INPUT_CODE_POINTS = 10_000;

const EMAIL_MASK = '[EMAIL MASQUE]';
const PHONE_MASK = '[TELEPHONE MASQUE]';
const CONTACT_MASK = '[CONTACT MASQUE]';

/**
 * Python's IGNORECASE also matches `i` to the Turkish dotless `ı` and dotted `İ`, which JS case
 * folding (`iu`) does not; `ſ`→`s` and `K`→`k` the two agree on.
 */
function pythonCaseless(source: string): string {
  return source.replace(/i/g, '[i\u0131\u0130]');
}

const rule = (source: string, replacement: string, flags = '') =>
  ({ pattern: new RegExp(source, `gu${flags}`), replacement }) as const;

/** Order matters: each rule runs on the previous one's output (hence `wa.me/[TELEPHONE MASQUE]`). */
const RULES = [
  rule(String.raw`[${WORD}.+\-]+@[${WORD}\-]+\.[${WORD}.\-]+`, EMAIL_MASK),
  rule(String.raw`[${WORD}.+\-]+[${SPACE}]+(?:at|AT|chez)[${SPACE}]+[${WORD}\-]+\.[${WORD}.\-]+`, EMAIL_MASK),
  rule(
    String.raw`${BOUNDARY}(?:(?:\+33|0033|0)[${SPACE}]*[1-9])(?:[${SPACE}.\-]?${DIGIT}{2}){4}${BOUNDARY}`,
    PHONE_MASK,
  ),
  rule(String.raw`${BOUNDARY}${DIGIT}[${DIGIT}${SPACE}.\-]{8,}${DIGIT}${BOUNDARY}`, PHONE_MASK),
  rule(String.raw`wa\.me/[${WORD}+\-]+`, CONTACT_MASK),
  rule(String.raw`t\.me/[${WORD}+\-]+`, CONTACT_MASK),
  rule(String.raw`@[${WORD}]{2,}`, CONTACT_MASK),
  rule(
    `${BOUNDARY}${pythonCaseless('(?:insta(?:gram)?|whatsapp|telegram|snap(?:chat)?|facebook|fb|messenger)')}${BOUNDARY}`,
    CONTACT_MASK,
    'i',
  ),
];

/** Python slices by code point; a UTF-16 length within the bound is within it in code points too. */
function truncated(text: string): string {
  if (text.length <= MAX_INPUT_CODE_POINTS) return text;
  return Array.from(text).slice(0, MAX_INPUT_CODE_POINTS).join('');
}

/** The text of a custom message as it is stored: e-mails, phone numbers and contact handles masked. */
export function maskContacts(text: string): string {
  return RULES.reduce(
    (masked, { pattern, replacement }) => masked.replace(pattern, replacement),
    truncated(text),
  );
}
