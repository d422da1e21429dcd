/**
 * Text handling for Vietnamese input. Keyboards and pasted text mix composed (NFC) and decomposed (NFD) forms;
 * the server and search compare code points, so everything the user types is normalised to NFC before use.
 */
export function nfc(value: string): string {
  return value.normalize('NFC');
}

/** NFC-normalises every string value of a flat form object (other values pass through). */
export function nfcFields<T extends Record<string, unknown>>(fields: T): T {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) out[key] = typeof value === 'string' ? nfc(value) : value;
  return out as T;
}

/** Vietnamese alphabetical order: Đ after D, Ư after U, tones after the bare letter. */
export const collator = new Intl.Collator('vi');

/**
 * Folds text for accent-insensitive search: strips tones and vowel marks and maps đ→d, which NFD decomposition
 * alone leaves untouched.
 */
export function foldForSearch(value: string): string {
  return value
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .toLocaleLowerCase('vi')
    .normalize('NFC');
}
