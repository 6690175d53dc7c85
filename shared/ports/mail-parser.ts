// What email intake needs from a MIME parser: the sender, subject, text and attachments of a raw RFC 822 message.

export interface ParsedEmail {
  messageId?: string;
  from?: { address: string; name?: string };
  subject: string;
  text: string;
  date?: string;
  attachments: { fileName: string; contentType: string; content: Buffer }[];
}

/** The message cannot be read as RFC 822/MIME; `detail` says what is wrong (it is recorded with the rejection). */
export class MalformedMessageError extends Error {
  override name = 'MalformedMessageError';
}

export interface MailParser {
  parse(raw: Buffer): Promise<ParsedEmail>;
}
