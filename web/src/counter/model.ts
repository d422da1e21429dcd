/** Pure helpers of the walk-in page: page order and the resolution estimate shown before submitting. */

/** The server's threshold (src/documents/scan.ts): below it the officer is warned, not refused. */
export const MIN_DPI = 200;

export interface ScanPage {
  id: string;
  file: File;
  url: string;
  /** Estimated from the pixel size against A4 (the server also reads the file's declared density). */
  dpi: number | null;
}

/** Moves one item to `to` (clamped); the order of the others is kept. */
export function moveItem<T>(items: readonly T[], from: number, to: number): T[] {
  if (from < 0 || from >= items.length) return [...items];
  const target = Math.min(Math.max(to, 0), items.length - 1);
  const out = [...items];
  const [it] = out.splice(from, 1);
  out.splice(target, 0, it as T);
  return out;
}

/** Dots per inch of an image of `width`×`height` pixels if it shows an A4 page (297 × 210 mm). */
export function a4Dpi(width: number, height: number): number {
  return Math.round(Math.min(Math.max(width, height) / (297 / 25.4), Math.min(width, height) / (210 / 25.4)));
}

/** Loads the image to read its pixel size; null when the browser cannot decode it. */
export function estimateDpi(url: string): Promise<number | null> {
  return new Promise((resolve) => {
    const img = new Image();
    img.onload = () => resolve(img.naturalWidth ? a4Dpi(img.naturalWidth, img.naturalHeight) : null);
    img.onerror = () => resolve(null);
    img.src = url;
  });
}
