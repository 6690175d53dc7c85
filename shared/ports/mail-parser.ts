// What email intake needs from a MIME parser: the sender, subject, text and attachments of a raw RFC 822 message.

export interface ParsedEmail {
  messageId?: string;
  from?: { address: string; name?: string };
  subject: string;
  text: string;
  date?: string;
  attachments: { fileName: string; contentType: string; content: Buffer }[];
  /**
   * The receiving server's verdict headers (Authentication-Results, X-SES-Virus-Verdict, X-SES-Spam-Verdict) in
   * message order, topmost first, unfolded: which of them to trust is the domain's decision (#domain/mail-auth).
   */
  verdictHeaders: { name: string; value: string }[];
}

/** The message cannot be read as RFC 822/MIME; `detail` says what is wrong (it is recorded with the rejection). */
export class MalformedMessageError extends Error {
  override name = 'MalformedMessageError';
}

export interface MailParser {
  parse(raw: Buffer): Promise<ParsedEmail>;
}
