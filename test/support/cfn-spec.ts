// Infra test support: checks a synthesized template's resources against the CloudFormation resource specification (@aws-cdk/aws-service-spec), so a misspelt property from an escape hatch fails a test instead of a deploy.
import { loadAwsServiceSpecSync } from '@aws-cdk/aws-service-spec';
import type { Property, PropertyType, SpecDatabase, TypeDefinition } from '@aws-cdk/service-spec-types';

let db: SpecDatabase | undefined;
/** The spec database: ~2.5 s to load, so once per test file. */
const spec = (): SpecDatabase => (db ??= loadAwsServiceSpecSync());

/**
 * Properties the spec types as free JSON although CloudFormation documents their shape: checked against the named
 * type definition of the same resource. `map` = an object whose every value has that shape.
 */
const DOCUMENTED_JSON: Record<string, { shape: 'map' | 'value'; typeName: string }> = {
  // "RouteSettings: Json, a map of route key to RouteSettings" (AWS::ApiGatewayV2::Stage documentation).
  'AWS::ApiGatewayV2::Stage.RouteSettings': { shape: 'map', typeName: 'RouteSettings' },
};

const isIntrinsic = (v: unknown): boolean =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length === 1 && /^(Ref|Fn::|Condition$)/.test(Object.keys(v)[0]!);

export interface SpecFinding {
  /** `<logical id>.<property path>` */
  path: string;
  problem: string;
}

class Checker {
  readonly findings: SpecFinding[] = [];
  constructor(private readonly cfnType: string) {}

  typeDef(name: string): TypeDefinition | undefined {
    const resource = spec().lookup('resource', 'cloudFormationType', 'equals', this.cfnType).only();
    return spec()
      .follow('usesType', resource)
      .map((r) => r.entity)
      .find((t) => t.name === name);
  }

  properties(path: string, value: unknown, props: Record<string, Property>): void {
    if (isIntrinsic(value)) return;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      this.findings.push({ path, problem: `expected an object, got ${JSON.stringify(value)}` });
      return;
    }
    const given = value as Record<string, unknown>;
    for (const [key, v] of Object.entries(given)) {
      const prop = Object.hasOwn(props, key) ? props[key] : undefined;
      if (!prop) {
        this.findings.push({ path: `${path}.${key}`, problem: `unknown property (known: ${Object.keys(props).join(', ')})` });
        continue;
      }
      this.value(`${path}.${key}`, v, prop.type);
    }
    for (const [key, prop] of Object.entries(props)) {
      if (prop.required && !Object.hasOwn(given, key)) this.findings.push({ path: `${path}.${key}`, problem: 'required property missing' });
    }
  }

  value(path: string, value: unknown, type: PropertyType): void {
    if (isIntrinsic(value)) return;
    switch (type.type) {
      case 'ref':
        this.properties(path, value, spec().get('typeDefinition', type.reference).properties);
        return;
      case 'array':
        if (!Array.isArray(value)) this.findings.push({ path, problem: 'expected a list' });
        else value.forEach((v, i) => this.value(`${path}[${i}]`, v, type.element));
        return;
      case 'map':
        if (typeof value !== 'object' || value === null || Array.isArray(value)) this.findings.push({ path, problem: 'expected a map' });
        else for (const [k, v] of Object.entries(value)) this.value(`${path}.${k}`, v, type.element);
        return;
      case 'union': {
        // A union matches if one member leaves no finding.
        const before = this.findings.length;
        const ok = type.types.some((member) => {
          this.value(path, value, member);
          const clean = this.findings.length === before;
          this.findings.length = before;
          return clean;
        });
        if (!ok) this.findings.push({ path, problem: `matches none of the union's types` });
        return;
      }
      case 'string':
      case 'date-time':
        if (typeof value !== 'string') this.findings.push({ path, problem: `expected a string, got ${JSON.stringify(value)}` });
        return;
      case 'number':
      case 'integer':
        // CloudFormation accepts numbers as strings.
        if (typeof value !== 'number' && !(typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value)))) this.findings.push({ path, problem: `expected a number, got ${JSON.stringify(value)}` });
        return;
      case 'boolean':
        if (typeof value !== 'boolean' && value !== 'true' && value !== 'false') this.findings.push({ path, problem: `expected a boolean, got ${JSON.stringify(value)}` });
        return;
      default:
        return;
    }
  }
}

/** Every finding for one resource: an unknown type, unknown or mistyped properties, missing required ones. */
export const checkResource = (logicalId: string, resource: { Type: string; Properties?: Record<string, unknown> }): SpecFinding[] => {
  if (resource.Type.startsWith('Custom::') || resource.Type === 'AWS::CDK::Metadata') return [];
  const found = spec().lookup('resource', 'cloudFormationType', 'equals', resource.Type);
  if (found.length !== 1) return [{ path: logicalId, problem: `unknown resource type ${resource.Type}` }];
  const checker = new Checker(resource.Type);
  const props = found[0]!.properties;
  checker.properties(logicalId, resource.Properties ?? {}, props);
  for (const [key, documented] of Object.entries(DOCUMENTED_JSON)) {
    const [type, prop] = key.split('.') as [string, string];
    const value = resource.Properties?.[prop];
    if (type !== resource.Type || value === undefined || isIntrinsic(value)) continue;
    const def = checker.typeDef(documented.typeName);
    if (!def) {
      checker.findings.push({ path: `${logicalId}.${prop}`, problem: `no type ${documented.typeName} in the spec` });
      continue;
    }
    const entries = documented.shape === 'map' ? Object.entries(value as Record<string, unknown>) : [['', value] as const];
    for (const [k, v] of entries) checker.properties(`${logicalId}.${prop}${k ? `[${k}]` : ''}`, v, def.properties);
  }
  return checker.findings;
};

/** Every finding in a template's Resources. */
export const checkTemplate = (template: { Resources?: Record<string, { Type: string; Properties?: Record<string, unknown> }> }): SpecFinding[] =>
  Object.entries(template.Resources ?? {}).flatMap(([id, r]) => checkResource(id, r));
