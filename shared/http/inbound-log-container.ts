// The inbound log alone: the rejections route reads it without the rest of channel intake (no S3, no MIME parser).
import { DynamoInboundLog } from '#adapters/aws/dynamo/inbound-log';
import { requireSetting } from './config';
import { dynamo } from './container';

export const inboundLog = () => new DynamoInboundLog(dynamo().doc, requireSetting('TABLE_NAME'));
