/**
 * Vietnamese OCR on page images. The tesseract program with its Vietnamese data is used where installed (Debian
 * `tesseract-ocr-vie`, with OMP_THREAD_LIMIT=1 so one recognition never takes every core of a shared server);
 * otherwise tesseract.js with the Vietnamese data of the npm package @tesseract.js-data/vie — both local, nothing is
 * downloaded. PDF pages are rasterised with poppler's pdftoppm. Output text is NFC.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface Recognized {
  text: string;
  /** Mean word confidence, 0–100; null when no word was found. */
  confidence: number | null;
}

export interface OcrEngine {
  readonly name: 'tesseract' | 'tesseract.js';
  readonly language: 'vie';
  /** Recognises one PNG or JPEG image. */
  recognize(image: Uint8Array): Promise<Recognized>;
  close(): Promise<void>;
}

const ENV = { ...process.env, OMP_THREAD_LIMIT: '1' };

/** Words of tesseract's TSV output (level 5), grouped back into lines. */
export function textFromTsv(tsv: string): Recognized {
  const lines = new Map<string, string[]>();
  const confidences: number[] = [];
  for (const row of tsv.split('\n').slice(1)) {
    const cols = row.split('\t');
    if (cols.length < 12 || cols[0] !== '5') continue;
    const word = cols.slice(11).join('\t').trim();
    const conf = Number(cols[10]);
    if (!word) continue;
    const key = `${cols[1]}.${cols[2]}.${cols[3]}.${cols[4]}`;
    lines.set(key, [...(lines.get(key) ?? []), word]);
    if (Number.isFinite(conf) && conf >= 0) confidences.push(conf);
  }
  const text = [...lines.values()].map((w) => w.join(' ')).join('\n').normalize('NFC');
  return { text, confidence: confidences.length ? Math.round((confidences.reduce((a, b) => a + b, 0) / confidences.length) * 10) / 10 : null };
}

async function cliHasVietnamese(): Promise<boolean> {
  try {
    const { stdout, stderr } = await run('tesseract', ['--list-langs'], { env: ENV });
    return `${stdout}\n${stderr}`.split(/\s+/).includes('vie');
  } catch {
    return false;
  }
}

function cliEngine(): OcrEngine {
  return {
    name: 'tesseract',
    language: 'vie',
    async recognize(image) {
      const dir = await mkdtemp(join(tmpdir(), 'hoso-ocr-'));
      try {
        const input = join(dir, 'page');
        await writeFile(input, image);
        const { stdout } = await run('tesseract', [input, 'stdout', '-l', 'vie', 'tsv'], { env: ENV, maxBuffer: 64 * 1024 * 1024 });
        return textFromTsv(stdout);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
    async close() {},
  };
}

async function wasmEngine(): Promise<OcrEngine> {
  const require = createRequire(import.meta.url);
  const { createWorker } = (await import('tesseract.js')) as typeof import('tesseract.js');
  // The package's own data folder (4.0.0: the model tesseract.js documents for 'vie'), read from disk.
  const data = require('@tesseract.js-data/vie') as { langPath: string; gzip: boolean };
  const worker = await createWorker('vie', 1, { langPath: data.langPath, gzip: data.gzip, cacheMethod: 'none', corePath: dirname(require.resolve('tesseract.js-core/package.json')) });
  return {
    name: 'tesseract.js',
    language: 'vie',
    async recognize(image) {
      const r = await worker.recognize(Buffer.from(image), {}, { text: true, tsv: true });
      return r.data.tsv ? textFromTsv(`header\n${r.data.tsv}`) : { text: (r.data.text ?? '').trim().normalize('NFC'), confidence: r.data.confidence ?? null };
    },
    close: async () => {
      await worker.terminate();
    },
  };
}

/** The tesseract program when it has Vietnamese, else tesseract.js; `prefer` forces one (tests, configuration). */
export async function openOcrEngine(prefer?: 'tesseract' | 'tesseract.js'): Promise<OcrEngine> {
  if (prefer === 'tesseract.js') return wasmEngine();
  if (prefer === 'tesseract' || (await cliHasVietnamese())) return cliEngine();
  return wasmEngine();
}

/** Each page of a PDF as a PNG at `dpi` (pdftoppm); a page that cannot be drawn fails the whole call. */
export async function rasterizePdf(pdf: Uint8Array, dpi = 300): Promise<Uint8Array[]> {
  const dir = await mkdtemp(join(tmpdir(), 'hoso-ocr-pdf-'));
  try {
    await writeFile(join(dir, 'in.pdf'), pdf);
    await run('pdftoppm', ['-r', String(dpi), '-png', join(dir, 'in.pdf'), join(dir, 'page')], { maxBuffer: 16 * 1024 * 1024 });
    const pages = (await readdir(dir)).filter((f) => f.startsWith('page') && f.endsWith('.png')).sort((a, b) => pageNumber(a) - pageNumber(b));
    return Promise.all(pages.map(async (p) => new Uint8Array(await readFile(join(dir, p)))));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const pageNumber = (file: string): number => Number(/-(\d+)\.png$/.exec(file)?.[1] ?? 0);
