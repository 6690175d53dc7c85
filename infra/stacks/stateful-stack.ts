// StatefulStack: what must survive every deploy (key, tables, user pool); termination protection on.
import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { CaseTable } from '../constructs/case-table';
import { EncryptionKey } from '../constructs/encryption-key';
import { Identity, type IdentityProps } from '../constructs/identity';

export interface StatefulStackProps extends StackProps {
  identity: IdentityProps;
}

export class StatefulStack extends Stack {
  readonly data: CaseTable;
  readonly identity: Identity;

  constructor(scope: Construct, id: string, props: StatefulStackProps) {
    super(scope, id, { ...props, terminationProtection: true });

    const key = new EncryptionKey(this, 'DataKey', { description: 'Complaints: case data, audit trail and idempotency records at rest' });
    this.data = new CaseTable(this, 'Data', { encryptionKey: key.key });
    this.identity = new Identity(this, 'Identity', props.identity);

    new CfnOutput(this, 'CasesTableName', { value: this.data.cases.table.tableName });
    new CfnOutput(this, 'UserPoolId', { value: this.identity.userPool.userPoolId });
    new CfnOutput(this, 'UserClientId', { value: this.identity.userClient.userPoolClientId });
    new CfnOutput(this, 'MachineClientId', { value: this.identity.machineClient.userPoolClientId });
    new CfnOutput(this, 'TokenUrl', { value: `${this.identity.domain.baseUrl()}/oauth2/token` });
  }
}
