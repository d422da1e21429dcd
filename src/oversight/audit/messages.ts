import type { ChainBreak } from './rules.ts';
import type { CheckpointProblem } from './checkpoint.ts';

export type Lang = 'vi' | 'en';

const short = (h: string): string => `${h.slice(0, 12)}…`;

/** One sentence naming the rows involved in a chain break, in the operator's language. */
export function describeBreak(b: ChainBreak, lang: Lang): string {
  const vi = lang === 'vi';
  switch (b.kind) {
    case 'altered':
      return vi
        ? `Bản ghi seq ${b.seq} đã bị sửa: nội dung không còn khớp với mã băm đã lưu (lưu ${short(b.storedHash)}, tính lại ${short(b.computedHash)}).`
        : `Row seq ${b.seq} was edited: its content no longer matches its stored hash (stored ${short(b.storedHash)}, recomputed ${short(b.computedHash)}).`;
    case 'gap': {
      const range = b.missingFrom === b.missingTo ? `${b.missingFrom}` : `${b.missingFrom}–${b.missingTo}`;
      const where = b.afterSeq === null ? (vi ? `trước seq ${b.seq}` : `before seq ${b.seq}`) : vi ? `giữa seq ${b.afterSeq} và seq ${b.seq}` : `between seq ${b.afterSeq} and seq ${b.seq}`;
      return vi ? `Thiếu bản ghi seq ${range} (${where}): bản ghi đã bị xóa.` : `Rows seq ${range} are missing (${where}): rows were deleted.`;
    }
    case 'reordered':
      return vi
        ? `Thứ tự bị đảo: bản ghi seq ${b.seq} được nối sau bản ghi nay ở seq ${b.chainedAfterSeq}, không phải sau seq ${b.seq - 1}` +
            (b.expectedNextAtSeq !== null ? `; bản ghi đúng ra phải ở seq ${b.seq} nay nằm ở seq ${b.expectedNextAtSeq}.` : '.')
        : `Rows were reordered: row seq ${b.seq} was chained after the row now at seq ${b.chainedAfterSeq}, not after seq ${b.seq - 1}` +
            (b.expectedNextAtSeq !== null ? `; the row that belongs at seq ${b.seq} is now at seq ${b.expectedNextAtSeq}.` : '.');
    case 'broken-link':
      return vi
        ? `Chuỗi bị đứt tại seq ${b.seq}: bản ghi này được nối sau mã băm ${short(b.actualPrevHash)} nhưng bản ghi trước đó có mã băm ${short(b.expectedPrevHash)} — bản ghi trước đã bị sửa và tính lại mã băm, hoặc bị xóa rồi đánh số lại.`
        : `Chain broken at seq ${b.seq}: the row was chained after hash ${short(b.actualPrevHash)} but its predecessor hashes to ${short(b.expectedPrevHash)} — the predecessor was edited and re-hashed, or rows were deleted and renumbered.`;
    case 'out-of-order':
      return vi ? `Bản ghi seq ${b.seq} đứng sau seq ${b.afterSeq}: sai thứ tự.` : `Row seq ${b.seq} comes after seq ${b.afterSeq}: out of order.`;
    case 'missing-tail':
      return b.evidence === 'head'
        ? vi
          ? `Mất phần cuối nhật ký: bản ghi cuối là seq ${b.lastSeq} nhưng đầu chuỗi (audit_head) ghi seq ${b.expectedSeq}; seq ${b.lastSeq + 1}–${b.expectedSeq} đã bị xóa.`
          : `The end of the log is missing: the last row is seq ${b.lastSeq} but the head (audit_head) records seq ${b.expectedSeq}; seq ${b.lastSeq + 1}–${b.expectedSeq} were deleted.`
        : vi
          ? `Mất phần cuối nhật ký: bản ghi cuối là seq ${b.lastSeq} nhưng điểm kiểm tra #${b.checkpointId} đã ký xác nhận ${b.expectedSeq} bản ghi; seq ${b.lastSeq + 1}–${b.expectedSeq} đã bị xóa.`
          : `The end of the log is missing: the last row is seq ${b.lastSeq} but checkpoint #${b.checkpointId} signed ${b.expectedSeq} events; seq ${b.lastSeq + 1}–${b.expectedSeq} were deleted.`;
    case 'head-mismatch':
      return vi
        ? `Đầu chuỗi (audit_head: seq ${b.headSeq}, ${short(b.headHash)}) không khớp bản ghi cuối (seq ${b.lastSeq}, ${short(b.lastHash)}): có bản ghi được chèn ngoài quy trình ghi nhật ký hoặc đầu chuỗi bị sửa.`
        : `The head (audit_head: seq ${b.headSeq}, ${short(b.headHash)}) does not match the last row (seq ${b.lastSeq}, ${short(b.lastHash)}): rows were inserted outside the append path or the head was rewritten.`;
    case 'checkpoint-mismatch':
      return vi
        ? `Chuỗi tính lại tại seq ${b.eventCount} (${short(b.computedHash)}) khác với điểm kiểm tra #${b.checkpointId} đã ký (${short(b.signedHash)}): các bản ghi trong khoảng seq ${b.sinceSeq}–${b.eventCount} đã bị sửa và tính lại mã băm.`
        : `The recomputed chain at seq ${b.eventCount} (${short(b.computedHash)}) differs from signed checkpoint #${b.checkpointId} (${short(b.signedHash)}): rows in seq ${b.sinceSeq}–${b.eventCount} were changed and the chain re-hashed.`;
  }
}

export function describeCheckpointProblem(p: CheckpointProblem, lang: Lang): string {
  const vi = lang === 'vi';
  const id = `#${p.checkpointId}`;
  switch (p.reason) {
    case 'signature':
      return vi ? `Chữ ký của điểm kiểm tra ${id} không hợp lệ (${p.detail}).` : `Checkpoint ${id}: the signature is not valid (${p.detail}).`;
    case 'certificate':
      return vi ? `Chứng thư ký điểm kiểm tra ${id} không được tin cậy: ${p.detail}.` : `Checkpoint ${id}: the signing certificate is not trusted: ${p.detail}.`;
    case 'timestamp':
      return vi ? `Dấu thời gian của điểm kiểm tra ${id} không hợp lệ: ${p.detail}.` : `Checkpoint ${id}: the timestamp is not valid: ${p.detail}.`;
    case 'sequence':
      return vi ? `Thiếu điểm kiểm tra: ${p.detail}.` : `Checkpoints are missing: ${p.detail}.`;
    case 'link':
      return vi
        ? `Điểm kiểm tra ${id} không nối với điểm kiểm tra trước đó: điểm kiểm tra trước đã bị sửa hoặc thay thế.`
        : `Checkpoint ${id} is not chained to the previous checkpoint: that checkpoint was altered or replaced.`;
    case 'regressed':
      return vi ? `Điểm kiểm tra ${id} ghi số bản ghi nhỏ hơn điểm kiểm tra trước (${p.detail}).` : `Checkpoint ${id} covers fewer events than the previous one (${p.detail}).`;
    case 'record':
      return vi ? `Điểm kiểm tra ${id} không khớp nội dung đã ký (${p.detail}).` : `Checkpoint ${id} does not match what was signed (${p.detail}).`;
  }
}
