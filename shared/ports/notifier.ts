// People are told about deadline events through this port: an SNS topic in AWS, the embedded log locally.
import type { Notification } from '#domain/domain-events';

export interface Notifier {
  notify(notifications: Notification[]): Promise<void>;
}
