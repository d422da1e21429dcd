/**
 * The shape of hoso's automatic messages: Vietnamese first, English below, each a greeting, a lead line, a few
 * label/value rows and closing notes; a plain-text body and a simple HTML alternative with the same content. Values
 * are escaped in the HTML; a row may be a link.
 */

export interface MailPart {
  greeting: string;
  lead: string;
  rows: readonly { label: string; value: string; link?: boolean }[];
  notes: readonly string[];
}

const escapeHtml = (t: string): string => t.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function textPart(p: MailPart): string[] {
  return [p.greeting, '', p.lead, ...p.rows.map((r) => `  ${r.label}: ${r.value}`), '', ...p.notes];
}

function htmlPart(p: MailPart): string {
  const e = escapeHtml;
  const cell = (r: MailPart['rows'][number]) => (r.link ? `<a href="${e(r.value)}">${e(r.value)}</a>` : `<b>${e(r.value)}</b>`);
  const rows = p.rows.map((r) => `<tr><td style="padding:2px 12px 2px 0;color:#555">${e(r.label)}</td><td style="padding:2px 0">${cell(r)}</td></tr>`).join('');
  return `<p>${e(p.greeting)}</p>\n<p>${e(p.lead)}</p>\n<table>${rows}</table>\n<p>${p.notes.map(e).join(' ')}</p>`;
}

export function bilingualMail(subject: string, vi: MailPart, en: MailPart): { subject: string; text: string; html: string } {
  const text = [...textPart(vi), '', '---', '', ...textPart(en), ''].join('\n');
  const html = `<!doctype html>
<html lang="vi"><body style="font-family:Arial,Helvetica,sans-serif;font-size:14px;color:#222">
${htmlPart(vi)}
<hr>
<div lang="en" style="color:#555">
${htmlPart(en)}
</div>
</body></html>
`;
  return { subject, text, html };
}
