/**
 * What OCR text is used for, as pure functions: folding for accent-insensitive full-text search, and suggestions
 * for form fields read from a scanned citizen identity card (CCCD). A suggestion is only offered when it passes the
 * same checks as typed input (the CCCD structure and province code, a real date), and the officer decides.
 */
import { parseCccd } from '../../identity/identifiers.ts';

/**
 * Lower case, no diacritics, đ → d, runs of anything but letters and digits → one space: what the search index
 * holds and what a query is reduced to, so "Nguyễn Văn Đức" matches "nguyen van duc" and the reverse.
 */
export function foldForSearch(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

export interface CccdSuggestion {
  /** 12 digits, structure and province code checked (identity/identifiers.ts). */
  idNumber: string | null;
  fullName: string | null;
  /** ISO yyyy-mm-dd, a real calendar day. */
  dateOfBirth: string | null;
}

// OCR often reads O for 0, l/I for 1, S for 5, B for 8 inside a number; only within digit runs.
const DIGIT_LOOKALIKES: Record<string, string> = { O: '0', o: '0', D: '0', l: '1', I: '1', '|': '1', S: '5', B: '8' };

function digitsOf(token: string): string {
  return [...token].map((c) => DIGIT_LOOKALIKES[c] ?? c).join('');
}

function validDay(d: number, m: number, y: number): boolean {
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d && y >= 1900;
}

/** Label lines of the card (with or without diacritics, as OCR may lose them) and the English ones on new cards. */
const NAME_LABEL = /^(ho\s*(va)?\s*ten|ho,?\s*chu\s*dem\s*va\s*ten|full\s*name)\b/;
const DOB_LABEL = /(ngay\s*(,\s*thang\s*,\s*nam)?\s*sinh|date\s*of\s*birth)/;

/**
 * Reads the card number, full name and date of birth from OCR text of a CCCD. `asOf` rejects numbers whose birth
 * year (encoded in the number) is in the future. Anything not found or not valid is null.
 */
export function cccdSuggestion(text: string, asOf: Date): CccdSuggestion {
  const lines = text.normalize('NFC').split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
  let idNumber: string | null = null;
  // A run of 12 digits (lookalikes mended) that parses as a CCCD; the first such run wins.
  for (const token of text.split(/[^0-9A-Za-z|]+/)) {
    const candidate = digitsOf(token);
    if (/^[0-9]{12}$/.test(candidate) && parseCccd(candidate, { asOf }).ok) {
      idNumber = candidate;
      break;
    }
  }

  let fullName: string | null = null;
  let dateOfBirth: string | null = null;
  for (let i = 0; i < lines.length; i++) {
    const folded = foldForSearch(lines[i]!);
    if (!fullName && NAME_LABEL.test(folded)) {
      // The name follows the label on the same line ("Họ và tên / Full name: NGUYỄN VĂN A") or on the next line.
      const after = lines[i]!.split(/[:：]/).slice(1).join(':').trim();
      const candidate = after && /\p{Lu}/u.test(after) && foldForSearch(after).length > 3 ? after : (lines[i + 1] ?? '');
      const name = candidate.replace(/[^\p{L}\s]/gu, ' ').replace(/\s+/g, ' ').trim();
      // A name is letters only, at least two words, written in capitals on the card.
      if (name.split(' ').length >= 2 && name === name.toLocaleUpperCase('vi') && !NAME_LABEL.test(foldForSearch(name))) {
        fullName = name
          .toLocaleLowerCase('vi')
          .split(' ')
          .map((w) => w.charAt(0).toLocaleUpperCase('vi') + w.slice(1))
          .join(' ');
      }
    }
    if (!dateOfBirth && DOB_LABEL.test(folded)) {
      const m = /(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})/.exec(`${lines[i]} ${lines[i + 1] ?? ''}`);
      if (m && validDay(Number(m[1]), Number(m[2]), Number(m[3]))) {
        dateOfBirth = `${m[3]}-${m[2]!.padStart(2, '0')}-${m[1]!.padStart(2, '0')}`;
      }
    }
  }
  // The card's number encodes the birth year: a date of birth that disagrees is a misread, not a suggestion.
  if (idNumber && dateOfBirth && !parseCccd(idNumber, { asOf, birthDate: dateOfBirth }).ok) dateOfBirth = null;
  return { idNumber, fullName, dateOfBirth };
}
