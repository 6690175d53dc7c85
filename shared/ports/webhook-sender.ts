// Sends one webhook attempt over HTTP(S) and reports what came of it (never throws for the receiver's failures).
import type { SendResult } from '#domain/webhooks';

export interface WebhookRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
}

export interface WebhookSender {
  send(req: WebhookRequest): Promise<SendResult>;
}
