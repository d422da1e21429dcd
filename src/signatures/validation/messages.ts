import type { SignatureReport } from './types.ts';

const SUB_VI: Record<string, string> = {
  HASH_FAILURE: 'Nội dung đã ký bị thay đổi (mã băm không khớp).',
  SIG_CRYPTO_FAILURE: 'Giá trị chữ ký không hợp lệ với khóa công khai của người ký.',
  FORMAT_FAILURE: 'Cấu trúc chữ ký không đúng định dạng.',
  REVOKED: 'Chứng thư số của người ký đã bị thu hồi trước thời điểm ký.',
  EXPIRED: 'Chứng thư số của người ký đã hết hạn khi ký.',
  NOT_YET_VALID: 'Chứng thư số của người ký chưa có hiệu lực khi ký.',
  NO_SIGNING_CERTIFICATE_FOUND: 'Không xác định được chứng thư số của người ký.',
  NO_CERTIFICATE_CHAIN_FOUND: 'Không xây dựng được chuỗi chứng thư đến một gốc tin cậy.',
  CHAIN_CONSTRAINTS_FAILURE: 'Chứng thư số không đáp ứng ràng buộc (mục đích sử dụng khóa).',
  SIG_CONSTRAINTS_FAILURE: 'Chữ ký không đáp ứng ràng buộc của chính sách.',
  CRYPTO_CONSTRAINTS_FAILURE: 'Thuật toán mật mã không được hỗ trợ hoặc không còn an toàn.',
  CRYPTO_CONSTRAINTS_FAILURE_NO_POE: 'Thuật toán băm không còn an toàn và không có bằng chứng tồn tại trước đó.',
  CERTIFICATE_CHAIN_GENERAL_FAILURE: 'Chuỗi chứng thư không hợp lệ.',
  REVOKED_NO_POE: 'Chứng thư số đã bị thu hồi và không có bằng chứng chữ ký tồn tại trước khi thu hồi.',
  REVOKED_CA_NO_POE: 'Chứng thư của tổ chức cấp đã bị thu hồi và không có bằng chứng tồn tại trước đó.',
  OUT_OF_BOUNDS_NO_POE: 'Chứng thư số đã hết hạn và không có dấu thời gian chứng minh chữ ký có trước khi hết hạn.',
  GENERIC: 'Không đủ thông tin để kết luận.',
};
const SUB_EN: Record<string, string> = {
  HASH_FAILURE: 'The signed content was changed (digest mismatch).',
  SIG_CRYPTO_FAILURE: "The signature value does not verify with the signer's public key.",
  FORMAT_FAILURE: 'The signature structure is malformed.',
  REVOKED: "The signer's certificate was revoked before signing.",
  EXPIRED: "The signer's certificate had expired when signing.",
  NOT_YET_VALID: "The signer's certificate was not yet valid when signing.",
  NO_SIGNING_CERTIFICATE_FOUND: "The signer's certificate could not be identified.",
  NO_CERTIFICATE_CHAIN_FOUND: 'No certificate chain to a trust anchor was found.',
  CHAIN_CONSTRAINTS_FAILURE: 'The certificate does not meet the constraints (key usage).',
  SIG_CONSTRAINTS_FAILURE: 'The signature does not meet the policy constraints.',
  CRYPTO_CONSTRAINTS_FAILURE: 'The algorithm is unsupported or no longer secure.',
  CRYPTO_CONSTRAINTS_FAILURE_NO_POE: 'The digest algorithm is no longer secure and there is no earlier proof of existence.',
  CERTIFICATE_CHAIN_GENERAL_FAILURE: 'The certificate chain is not valid.',
  REVOKED_NO_POE: 'The certificate is revoked and nothing proves the signature existed before the revocation.',
  REVOKED_CA_NO_POE: 'An issuing CA certificate is revoked and nothing proves the signature existed before.',
  OUT_OF_BOUNDS_NO_POE: 'The certificate has expired and no timestamp proves the signature existed before.',
  GENERIC: 'Not enough information to decide.',
};

function fmt(iso: string | null, lang: 'vi' | 'en'): string {
  if (!iso) return lang === 'vi' ? 'không rõ' : 'unknown';
  return iso.replace('T', ' ').replace(/\.\d+Z$/, ' UTC').replace(/Z$/, ' UTC');
}

/** Human messages in Vietnamese and English: signer, signing time and integrity (TT 15/2025/TT-BKHCN). */
export function messagesFor(r: SignatureReport, notes: string[]): { vi: string[]; en: string[] } {
  const vi: string[] = [];
  const en: string[] = [];
  const ts = r.type === 'document-timestamp';
  const cn = r.signer ? /(?:^|, )CN=([^,]+)/.exec(r.signer.subject)?.[1] : undefined;
  const who = r.signer ? (cn ? `${cn} (${r.signer.subject})` : r.signer.subject) : null;
  vi.push(ts ? `Dấu thời gian tài liệu, đơn vị cấp: ${who ?? 'không xác định'}` : `Người ký: ${who ?? 'không xác định'}`);
  en.push(ts ? `Document timestamp by: ${who ?? 'unknown'}` : `Signer: ${who ?? 'unknown'}`);
  if (r.signer) {
    vi.push(`Tổ chức cấp chứng thư: ${r.signer.issuer}`);
    en.push(`Certificate issuer: ${r.signer.issuer}`);
  }
  vi.push(`Thời điểm ký (theo người ký khai): ${fmt(r.claimedSigningTime, 'vi')}`);
  en.push(`Signing time (as claimed): ${fmt(r.claimedSigningTime, 'en')}`);
  vi.push(`Thời điểm được chứng minh bằng dấu thời gian: ${fmt(r.provenSigningTime, 'vi')}`);
  en.push(`Time proven by a timestamp: ${fmt(r.provenSigningTime, 'en')}`);
  const intact = r.indication !== 'TOTAL_FAILED' || !['HASH_FAILURE', 'SIG_CRYPTO_FAILURE', 'FORMAT_FAILURE'].includes(r.subIndication ?? '');
  vi.push(intact ? 'Tính toàn vẹn: nội dung đã ký không bị thay đổi.' : 'Tính toàn vẹn: KHÔNG bảo đảm.');
  en.push(intact ? 'Integrity: the signed content is unchanged.' : 'Integrity: NOT assured.');
  if (r.modifiedAfterSigning === 'allowed') {
    vi.push('Tài liệu có thay đổi sau khi ký nhưng thuộc loại được phép (chú thích, điền biểu mẫu, chữ ký mới, dấu thời gian).');
    en.push('The document was changed after signing in allowed ways (annotations, form filling, new signatures, timestamps).');
  } else if (r.modifiedAfterSigning === 'disallowed') {
    vi.push('CẢNH BÁO: tài liệu bị thay đổi sau khi ký theo cách không được phép.');
    en.push('WARNING: the document was changed after signing in a way that is not allowed.');
  }
  if (r.indication === 'TOTAL_PASSED') {
    vi.push(ts ? 'Kết luận: dấu thời gian hợp lệ.' : 'Kết luận: chữ ký hợp lệ.');
    en.push(ts ? 'Result: the timestamp is valid.' : 'Result: the signature is valid.');
  } else {
    const sub = r.subIndication ?? 'GENERIC';
    vi.push(`Kết luận: ${r.indication === 'TOTAL_FAILED' ? 'KHÔNG hợp lệ' : 'chưa xác định được'} — ${SUB_VI[sub] ?? sub}`);
    en.push(`Result: ${r.indication === 'TOTAL_FAILED' ? 'NOT valid' : 'indeterminate'} — ${SUB_EN[sub] ?? sub}`);
  }
  if (r.revocation === 'unknown') {
    vi.push('Lưu ý: không có thông tin thu hồi để kiểm tra (CRL/OCSP).');
    en.push('Note: no revocation data (CRL/OCSP) was available to check.');
  }
  for (const n of [...notes, ...r.modifications]) {
    en.push(`Detail: ${n}`);
    vi.push(`Chi tiết kỹ thuật: ${n}`);
  }
  return { vi, en };
}
