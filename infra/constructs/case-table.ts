// CaseTable: the cases table and the idempotency table, built from the single-table model (TABLES).
import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, ProjectionType, StreamViewType, Table, TableEncryption, type Attribute, type ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { TABLES, type KeyAttr, type TableDef } from '#adapters/aws/dynamo/table-model';

/** A table together with what a function needs to use it: its key, its indexes and the env var naming it. */
export interface DataTable {
  readonly table: ITable;
  readonly encryptionKey: IKey;
  /** The variable `shared/http/config.ts` reads the table name from. */
  readonly envVar: 'TABLE_NAME' | 'IDEMPOTENCY_TABLE_NAME';
  /** GSI names, so grants can name each index instead of `index/*`. */
  readonly indexNames: readonly string[];
}

export interface CaseTableProps {
  encryptionKey: IKey;
}

const attr = (a: KeyAttr): Attribute => ({ name: a.name, type: a.type === 'S' ? AttributeType.STRING : AttributeType.NUMBER });

export class CaseTable extends Construct {
  readonly cases: DataTable;
  readonly idempotency: DataTable;

  constructor(scope: Construct, id: string, props: CaseTableProps) {
    super(scope, id);
    this.cases = this.build('Cases', TABLES.cases, 'TABLE_NAME', props.encryptionKey);
    this.idempotency = this.build('Idempotency', TABLES.idempotency, 'IDEMPOTENCY_TABLE_NAME', props.encryptionKey);
  }

  private build(id: string, def: TableDef, envVar: DataTable['envVar'], encryptionKey: IKey): DataTable {
    const table = new Table(this, id, {
      partitionKey: attr(def.partitionKey),
      ...(def.sortKey ? { sortKey: attr(def.sortKey) } : {}),
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
      encryption: TableEncryption.CUSTOMER_MANAGED,
      encryptionKey,
      ...(def.stream ? { stream: StreamViewType.NEW_AND_OLD_IMAGES } : {}),
      ...(def.ttlAttribute ? { timeToLiveAttribute: def.ttlAttribute } : {}),
    });
    for (const index of def.indexes) {
      table.addGlobalSecondaryIndex({
        indexName: index.indexName,
        partitionKey: attr(index.partitionKey),
        sortKey: attr(index.sortKey),
        // The repository reads whole items from the list indexes (list pages, owner and customer views); an index that
        // serves a narrower read (the changed-cases index: the audit head) projects only what it needs.
        ...(index.include ? { projectionType: ProjectionType.INCLUDE, nonKeyAttributes: [...index.include] } : { projectionType: ProjectionType.ALL }),
      });
    }
    return { table, encryptionKey, envVar, indexNames: def.indexes.map((i) => i.indexName) };
  }
}
