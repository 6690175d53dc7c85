// CaseTable: the cases table and the idempotency table, built from the single-table model (TABLES).
import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, ProjectionType, StreamViewType, Table, TableEncryption, type Attribute, type ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { casesTableAt, FINAL_CASE_INDEX_STEP, TABLES, type IndexDef, type KeyAttr, type TableDef } from '#adapters/aws/dynamo/table-model';

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
  /**
   * Where an existing table is on the path from index generation 1 to 2 (CASE_INDEX_STEPS: one index created or
   * deleted per deploy); default the last step, the indexes the code reads (complaints:caseIndexStep, docs/deploy.md).
   */
  caseIndexStep?: number;
}

/** The projection of an index from the model: INCLUDE the named attributes, KEYS_ONLY for none, ALL without a list. */
export const projectionOf = (index: IndexDef): { projectionType: ProjectionType; nonKeyAttributes?: string[] } =>
  index.include === undefined ? { projectionType: ProjectionType.ALL } : index.include.length === 0 ? { projectionType: ProjectionType.KEYS_ONLY } : { projectionType: ProjectionType.INCLUDE, nonKeyAttributes: [...index.include] };

const attr = (a: KeyAttr): Attribute => ({ name: a.name, type: a.type === 'S' ? AttributeType.STRING : AttributeType.NUMBER });

export class CaseTable extends Construct {
  readonly cases: DataTable;
  readonly idempotency: DataTable;

  constructor(scope: Construct, id: string, props: CaseTableProps) {
    super(scope, id);
    this.cases = this.build('Cases', casesTableAt(props.caseIndexStep ?? FINAL_CASE_INDEX_STEP), 'TABLE_NAME', props.encryptionKey);
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
        // Each index projects only what its reads need (the table model says why, index by index).
        ...projectionOf(index),
      });
    }
    // Grants and alarms name the indexes the code reads (the model's), not retired ones kept during a migration.
    const read = new Set((envVar === 'TABLE_NAME' ? TABLES.cases : def).indexes.map((i) => i.indexName));
    return { table, encryptionKey, envVar, indexNames: def.indexes.map((i) => i.indexName).filter((n) => read.has(n)) };
  }
}
