// ApiStack: the stateless side (HTTP API, functions, alarms), wired to the stateful stack's table and user pool.
import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { Api } from '../constructs/api';
import type { ServiceEnv } from '../constructs/api-function';
import type { CaseTable } from '../constructs/case-table';
import type { Identity } from '../constructs/identity';
import { Observability } from '../constructs/observability';

export interface ApiStackProps extends StackProps {
  data: Pick<CaseTable, 'cases' | 'idempotency'>;
  identity: Pick<Identity, 'userPool' | 'clients'>;
  environment: ServiceEnv;
  serviceName: string;
  metricsNamespace: string;
  logRetention: RetentionDays;
  throttle: { rateLimit: number; burstLimit: number };
  alarmTopicArn?: string;
}

export class ApiStack extends Stack {
  readonly api: Api;
  readonly observability: Observability;

  constructor(scope: Construct, id: string, props: ApiStackProps) {
    super(scope, id, props);

    this.api = new Api(this, 'Api', {
      data: { cases: props.data.cases, idempotency: props.data.idempotency },
      auth: { userPool: props.identity.userPool, clients: props.identity.clients },
      environment: props.environment,
      serviceName: props.serviceName,
      metricsNamespace: props.metricsNamespace,
      logRetention: props.logRetention,
      throttle: props.throttle,
    });
    this.observability = new Observability(this, 'Observability', {
      httpApi: this.api.httpApi,
      functions: this.api.functions,
      ...(props.alarmTopicArn ? { alarmTopicArn: props.alarmTopicArn } : {}),
    });

    new CfnOutput(this, 'ApiUrl', { value: this.api.httpApi.apiEndpoint });
  }
}
