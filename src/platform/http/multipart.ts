import type { MultipartFile } from '@fastify/multipart';

/**
 * An uploaded file's bytes as a plain Uint8Array over the buffer @fastify/multipart assembled — a view, not a copy
 * (`new Uint8Array(buffer)` would copy every upload once more). A plain Uint8Array rather than the Buffer so that
 * `.slice()` downstream keeps its copying meaning.
 */
export async function fileBytes(part: Pick<MultipartFile, 'toBuffer'>): Promise<Uint8Array> {
  const buffer = await part.toBuffer();
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}
