// MailParser on nodemailer's mailparser (simpleParser), with the structural checks it leaves out: it reads almost
// anything, so a message without a header block, or a multipart body without its boundary, is refused here. It also
// hands over the receiving server's verdict headers in order, for the sender check (#domain/mail-auth).
import { simpleParser } from 'mailparser';
import { VERDICT_HEADERS } from '#domain/mail-auth';
import { MalformedMessageError, type MailParser, type ParsedEmail } from '#ports/mail-parser';

/** The header block: the bytes up to the first empty line (at most 256 KiB are looked at). */
const headerBlock = (raw: Buffer): string | undefined => {
  const head = raw.subarray(0, 256 * 1024).toString('latin1');
  const end = head.search(/\r?\n\r?\n/);
  return end < 0 ? undefined : head.slice(0, end);
};

const HEADER_LINE = /^[!-9;-~]+:/;

/** Checks what simpleParser tolerates silently; throws MalformedMessageError naming the problem. */
export const checkStructure = (raw: Buffer): void => {
  if (raw.length === 0) throw new MalformedMessageError('the message is empty');
  const headers = headerBlock(raw);
  if (headers === undefined) throw new MalformedMessageError('no header section (no empty line after the headers)');
  const lines = headers.split(/\r?\n/);
  const bad = lines.find((l) => !HEADER_LINE.test(l) && !/^[ \t]/.test(l));
  if (bad !== undefined) throw new MalformedMessageError(`not an RFC 822 header line: ${JSON.stringify(bad.slice(0, 60))}`);
  if (!lines.some((l) => /^from:/i.test(l))) throw new MalformedMessageError('no From header');
  const unfolded = headers.replace(/\r?\n[ \t]+/g, ' ');
  const type = /^content-type:\s*(.+)$/im.exec(unfolded)?.[1];
  if (type && /^multipart\//i.test(type.trim())) {
    const boundary = /boundary\s*=\s*(?:"([^"]+)"|([^;\s]+))/i.exec(type);
    const b = boundary?.[1] ?? boundary?.[2];
    if (!b) throw new MalformedMessageError('a multipart message without a boundary parameter');
    if (!raw.includes(`--${b}`, 0, 'latin1')) throw new MalformedMessageError(`the multipart boundary "${b}" never occurs in the body`);
  }
};

/** The verdict headers in message order (topmost first), unfolded; the bytes are read as latin1, as the checks above. */
export const verdictHeadersOf = (raw: Buffer): { name: string; value: string }[] => {
  const headers = headerBlock(raw);
  if (headers === undefined) return [];
  const wanted: readonly string[] = VERDICT_HEADERS;
  return headers
    .replace(/\r?\n(?=[ \t])/g, '')
    .split(/\r?\n/)
    .flatMap((line) => {
      const colon = line.indexOf(':');
      const name = colon > 0 ? line.slice(0, colon).trim() : '';
      return wanted.includes(name.toLowerCase()) ? [{ name, value: line.slice(colon + 1).trim() }] : [];
    });
};

const clean = (s: string) => s.replace(/[\p{Cc}\u2028\u2029\u202a-\u202e\u2066-\u2069]/gu, (ch) => (ch === '\n' || ch === '\t' ? ch : ' '));

export class NodemailerMailParser implements MailParser {
  async parse(raw: Buffer): Promise<ParsedEmail> {
    checkStructure(raw);
    let mail;
    try {
      // Text only: the HTML part is not rendered (no image links, no text-to-HTML); attachments stay in memory
      // (the message is size-checked before it is read).
      mail = await simpleParser(raw, { skipImageLinks: true, skipTextToHtml: true, skipTextLinks: true });
    } catch (err) {
      throw new MalformedMessageError(`the MIME structure cannot be parsed: ${(err as Error).message}`);
    }
    const sender = mail.from?.value.find((a) => a.address);
    const text = mail.text ?? (typeof mail.html === 'string' ? mail.html.replace(/<[^>]+>/g, ' ') : '');
    return {
      ...(mail.messageId ? { messageId: mail.messageId } : {}),
      ...(sender?.address ? { from: { address: sender.address.toLowerCase(), ...(sender.name ? { name: clean(sender.name).trim() } : {}) } } : {}),
      subject: clean(mail.subject ?? '').trim(),
      text: clean(text).trim(),
      ...(mail.date && !Number.isNaN(mail.date.getTime()) ? { date: mail.date.toISOString() } : {}),
      verdictHeaders: verdictHeadersOf(raw),
      attachments: mail.attachments
        .filter((a) => a.content.length > 0)
        .map((a, i) => ({
          fileName: clean(a.filename ?? `attachment-${i + 1}`).replace(/[/\\]/g, '_').trim().slice(0, 255) || `attachment-${i + 1}`,
          contentType: a.contentType.toLowerCase(),
          content: a.content,
        })),
    };
  }
}
