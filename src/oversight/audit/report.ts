import type { CheckpointRecord } from './checkpoint.ts';
import { describeBreak, describeCheckpointProblem, type Lang } from './messages.ts';
import type { AuditVerification } from './verify.ts';

/** Human-readable verdict of `hoso audit verify` (and the HTTP route's `message`). */
export function formatVerification(v: AuditVerification, lang: Lang): string {
  const vi = lang === 'vi';
  const lines: string[] = [];
  const range =
    v.toSeq === null
      ? vi ? `seq ${v.fromSeq} đến cuối nhật ký` : `seq ${v.fromSeq} to the end of the log`
      : `seq ${v.fromSeq}–${v.toSeq}`;
  if (v.ok) {
    lines.push(
      vi
        ? `Nhật ký kiểm toán: HỢP LỆ — đã tính lại ${v.rowsChecked} bản ghi (${range}); ${v.checkpoints.matched}/${v.checkpoints.inRange} điểm kiểm tra trong phạm vi khớp (tổng ${v.checkpoints.total}, đều có chữ ký hợp lệ).`
        : `Audit log: OK — recomputed ${v.rowsChecked} events (${range}); ${v.checkpoints.matched}/${v.checkpoints.inRange} checkpoints in range match (${v.checkpoints.total} in all, every signature valid).`,
    );
  } else {
    lines.push(vi ? `Nhật ký kiểm toán: KHÔNG TOÀN VẸN (${range}).` : `Audit log: NOT INTACT (${range}).`);
    if (v.firstBreak) {
      lines.push(`  ${vi ? 'Liên kết hỏng đầu tiên' : 'First broken link'}: ${describeBreak(v.firstBreak, lang)}`);
      lines.push(
        vi
          ? `  Chuỗi được xác minh đến seq ${v.verifiedThrough} (${v.rowsChecked} bản ghi).`
          : `  The chain is verified through seq ${v.verifiedThrough} (${v.rowsChecked} events).`,
      );
    }
    for (const p of v.checkpoints.problems) lines.push(`  ${describeCheckpointProblem(p, lang)}`);
  }
  const l = v.checkpoints.latest;
  if (l) {
    const ts = l.timestampedAt
      ? vi ? `, dấu thời gian TSA ${l.timestampedAt.toISOString()}` : `, TSA time ${l.timestampedAt.toISOString()}`
      : vi ? ', không có dấu thời gian' : ', no timestamp';
    lines.push(
      vi
        ? `  Điểm kiểm tra mới nhất: #${l.id} lúc ${l.at.toISOString()}, ${l.eventCount} bản ghi, ký bởi ${l.signer ?? '?'}${ts}.`
        : `  Latest checkpoint: #${l.id} at ${l.at.toISOString()}, ${l.eventCount} events, signed by ${l.signer ?? '?'}${ts}.`,
    );
  } else {
    lines.push(vi ? '  Chưa có điểm kiểm tra nào được ký.' : '  No signed checkpoint yet.');
  }
  return lines.join('\n');
}

/** JSON form: dates as ISO strings, plus the sentence for the first problem. */
export function verificationJson(v: AuditVerification, lang: Lang): Record<string, unknown> {
  return {
    ok: v.ok,
    fromSeq: v.fromSeq,
    toSeq: v.toSeq,
    rowsChecked: v.rowsChecked,
    verifiedThrough: v.verifiedThrough,
    head: v.head,
    firstBreak: v.firstBreak,
    firstBreakMessage: v.firstBreak ? describeBreak(v.firstBreak, lang) : null,
    checkpoints: {
      total: v.checkpoints.total,
      inRange: v.checkpoints.inRange,
      matched: v.checkpoints.matched,
      latest: v.checkpoints.latest
        ? {
            ...v.checkpoints.latest,
            at: v.checkpoints.latest.at.toISOString(),
            timestampedAt: v.checkpoints.latest.timestampedAt?.toISOString() ?? null,
          }
        : null,
      problems: v.checkpoints.problems.map((p) => ({ ...p, message: describeCheckpointProblem(p, lang) })),
    },
    message: formatVerification(v, lang),
  };
}

export function checkpointJson(c: CheckpointRecord): Record<string, unknown> {
  return {
    id: c.id,
    at: c.at.toISOString(),
    eventCount: c.eventCount,
    headHash: c.headHash,
    prevCheckpointHash: c.prevCheckpointHash,
    checkpointHash: c.checkpointHash,
    signatureHash: c.signatureHash,
    signature: Buffer.from(c.signature).toString('base64'),
    certificateChain: c.certificateChain.map((x) => Buffer.from(x).toString('base64')),
    timestampToken: c.timestampToken ? Buffer.from(c.timestampToken).toString('base64') : null,
  };
}
