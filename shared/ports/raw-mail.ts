// Where SES receiving keeps each raw message (the inbound mail bucket): what the email intake and its replay read.

export interface RawMailStore {
  /** Size in bytes, read before the body (a message over the limit is never buffered). */
  size(key: string): Promise<number>;
  /** At most `limit` bytes of the message. */
  read(key: string, limit: number): Promise<Buffer>;
}
