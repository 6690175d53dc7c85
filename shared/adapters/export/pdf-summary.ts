// SummaryRenderer on pdfkit: summary.pdf of an export bundle — the case's facts, its decision and approvals, and the
// full audit timeline, for a reader without tools. The bundle's JSON files remain the record; this is their summary.
import PDFDocument from 'pdfkit';
import type { CaseSummary, SummaryRenderer } from '#ports/bundle-writer';

const money = (m: { amount: string; currency: string } | undefined) => (m ? `${m.amount} ${m.currency}` : '—');
const when = (iso: string | undefined) => (iso ? iso.replace('T', ' ').replace(/\.\d{3}Z$/, ' UTC') : '—');
/** Standard PDF fonts cover Latin-1 (WinAnsi); anything else would print as garbage, so it is shown as '?'. */
const latin1 = (s: string) => s.replace(/[^\t\n\r\x20-\x7e\xa0-\xff\u2013\u2014\u2018\u2019\u201c\u201d\u20ac]/g, '?');
/** The gist of an event's data for the timeline: its scalar fields, shortened. */
const gist = (data: Record<string, unknown>): string =>
  Object.entries(data)
    .filter(([, v]) => v !== null && v !== undefined && typeof v !== 'object')
    .map(([k, v]) => `${k}: ${String(v)}`)
    .join('; ')
    .slice(0, 300);

export class PdfSummaryRenderer implements SummaryRenderer {
  render(s: CaseSummary): Promise<Buffer> {
    const doc = new PDFDocument({ size: 'A4', margin: 50, info: { Title: `Complaint ${s.case.reference}`, Author: s.exportedBy, Subject: `Compliance export ${s.exportId}`, CreationDate: new Date(s.exportedAt) } });
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    const done = new Promise<Buffer>((resolve, reject) => {
      doc.on('end', () => resolve(Buffer.concat(chunks)));
      doc.on('error', reject);
    });
    const c = s.case;
    const h1 = (t: string) => doc.moveDown(0.6).font('Helvetica-Bold').fontSize(13).text(latin1(t)).moveDown(0.2).font('Helvetica').fontSize(9.5);
    const row = (label: string, value: string) => doc.font('Helvetica-Bold').text(`${latin1(label)}: `, { continued: true }).font('Helvetica').text(latin1(value));

    doc.font('Helvetica-Bold').fontSize(17).text(`Complaint ${c.reference}`);
    doc.font('Helvetica').fontSize(9).fillColor('#444').text(latin1(`Compliance export ${s.exportId}, exported ${when(s.exportedAt)} by ${s.exportedBy}. The signed manifest.json in this bundle lists every file with its SHA-256; verify it with complaint-verify.`));
    doc.fillColor('black');

    h1('Case');
    row('Status', c.status);
    row('Regime', c.regime);
    row('Received', `${when(c.receivedAt)} via ${c.channel}`);
    row('Customer', `${c.customer.name} (${c.customer.id})${c.vulnerable ? ', vulnerable circumstances' : ''}`);
    row('Product / category / severity', `${c.product} / ${c.category} / ${c.severity}`);
    row('Owner', `${c.ownerId} (${c.handoffCount} handoff${c.handoffCount === 1 ? '' : 's'})`);
    row('Acknowledged', when(c.acknowledgedAt));
    row('Final response due', when(c.finalResponseDueAt));
    row('Closed', when(c.closedAt));
    row('Reopened', String(c.reopenCount));
    row('Legal hold', c.legalHold ? 'yes' : 'no');
    row('Summary', c.summary);
    row('Description', c.description);
    if (c.rootCause) row('Root cause', `${c.rootCause.category}: ${c.rootCause.description}`);
    if (c.followUpAction) row('Follow-up action', c.followUpAction);

    h1('Decision and approvals');
    if (!s.resolutions.length) doc.text('No resolution proposed.');
    for (const r of s.resolutions) {
      row(`Proposal (round ${r.round})`, `${r.decision}, proposed by ${r.proposedBy} at ${when(r.proposedAt)}, status ${r.status}`);
      if (r.remedy) row('Remedy', `${money(r.remedy.compensation)}${r.remedy.policyException ? ', policy exception' : ''} — ${r.remedy.description}`);
      for (const a of s.approvals.filter((x) => x.resolutionId === r.id)) {
        doc.text(latin1(`  Stage ${a.stage} (${a.role}): ${a.status}${a.decidedBy ? ` by ${a.decidedBy} at ${when(a.decidedAt)}` : ''}${a.comment ? ` — "${a.comment}"` : ''}`));
      }
    }
    if (s.escalations.length) {
      h1('Escalations');
      for (const e of s.escalations) doc.text(latin1(`${when(e.raisedAt)} level ${e.level}, ${e.status}: ${e.reason}`));
    }

    h1(`Evidence (${s.evidence.length})`);
    for (const e of s.evidence) doc.text(latin1(`${e.fileName} — ${e.status}, ${e.sizeBytes} bytes, sha256 ${e.sha256}`));

    h1(`Timeline (${s.events.length} audit events; chain ${s.chainValid ? 'valid' : 'BROKEN'})`);
    doc.fontSize(8);
    for (const e of s.events) {
      const detail = e.redaction ? `[redacted ${when(e.redaction.at)}: ${e.redaction.reason}]` : gist(e.data);
      doc.font('Helvetica-Bold').text(latin1(`#${e.seq} ${when(e.at)} ${e.action} — ${e.actor}`), { continued: Boolean(detail) });
      if (detail) doc.font('Helvetica').text(latin1(`  ${detail}`));
    }
    doc.end();
    return done;
  }
}
