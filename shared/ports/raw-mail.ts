// Where SES receiving keeps each raw message (the inbound mail bucket): what the email intake and its replay read.

/** The message is not in the store (never written, or expired by the bucket's lifecycle): adapters translate their own "no such key". */
export class RawMailMissingError extends Error {
  override readonly name = 'RawMailMissingError';
  constructor(readonly key: string) {
    super(`raw message ${key} is not in the inbound mail store`);
  }
}

export interface RawMailStore {
  /** Size in bytes, read before the body (a message over the limit is never buffered). RawMailMissingError when absent. */
  size(key: string): Promise<number>;
  /** At most `limit` bytes of the message. RawMailMissingError when absent. */
  read(key: string, limit: number): Promise<Buffer>;
}
