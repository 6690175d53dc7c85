// complaint-verify: the command line around verifyBundle; a human report (or --json) on stdout, progress on stderr.
import { createPublicKey } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { verifyBundle, type Progress, type Report } from './verify';

export const USAGE = 'usage: complaint-verify <bundle.zip> [--public-key key.pem] [--json]';

/** 3: everything checks out, but against the key the bundle carries itself, so who signed it is not established. */
export const EXIT = { pass: 0, fail: 1, usage: 2, unverified: 3 } as const;

interface Sink {
  write(text: string): unknown;
  isTTY?: boolean;
}
export interface Io {
  stdout: Sink;
  stderr: Sink;
}

const HELP = `${USAGE}

Verifies a compliance export bundle offline: every entry against the signed manifest (size, SHA-256, CRC-32),
the manifest signature, the audit chain in timeline.json, its anchor in the signed audit digest (audit-anchor.json:
the digest's signature by the same key, the case's Merkle proof, the anchored head), the case record and the evidence list.

  --public-key key.pem  verify the signature with this key (from GET /v1/exports/public-key);
                        without it the bundle's own public-key.pem is used and the verdict is
                        UNVERIFIED (anyone can re-sign a forged bundle with a key of their own)
  --json                print the report as JSON on stdout

Exit status: 0 PASS, 1 FAIL, 2 usage error, 3 UNVERIFIED (intact, but not checked against the published key).`;

const errorMessage = (err: unknown) => (err instanceof Error ? err.message : String(err));
const mib = (n: number) => `${(n / (1024 * 1024)).toFixed(1)} MiB`;

const usageError = (io: Io, problem: string): number => {
  io.stderr.write(`complaint-verify: ${problem}\n${USAGE}\n`);
  return EXIT.usage;
};

const fileProblem = (what: string, path: string, err: unknown): string => {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' || code === 'EPERM' ? 'permission denied' : errorMessage(err);
  return `cannot read ${what} ${path}: ${why}`;
};

const progressPrinter = (io: Io) => {
  const tty = io.stderr.isTTY === true;
  return (p: Progress) => {
    const line = `hashing ${p.path}: ${mib(p.bytesHashed)} of ${mib(p.totalBytes)}${p.done ? ' done' : ''}`;
    if (tty) io.stderr.write(`\r${line}\u001b[K${p.done ? '\n' : ''}`);
    else io.stderr.write(`${line}\n`);
  };
};

/** PASS only when the signature was checked with a key the caller supplied. */
const verdictOf = (report: Report): string =>
  !report.ok
    ? 'FAIL'
    : report.info.keySource === 'bundle'
      ? 'UNVERIFIED: intact, and signed by the key the bundle carries itself; pass --public-key (GET /v1/exports/public-key) to check who signed it'
      : 'PASS';

export const formatReport = (bundle: string, report: Report): string => {
  const { info } = report;
  const lines = [`bundle      ${bundle}`];
  if (info.caseId) lines.push(`case        ${info.reference ?? ''} (${info.caseId}), exported ${info.exportedAt ?? '?'} by ${info.exportedBy ?? '?'}`);
  if (info.keyId) lines.push(`key         ${info.keyId}${info.keyFingerprint ? `, SPKI SHA-256 ${info.keyFingerprint}` : ''}${info.keySource ? ` (${info.keySource === 'bundle' ? 'from the bundle' : 'from --public-key'})` : ''}`);
  lines.push('');
  for (const r of report.checks) lines.push(`${r.check.padEnd(12)}${(r.status === 'pass' ? 'ok' : r.status === 'fail' ? 'FAIL' : 'skipped').padEnd(9)}${r.summary}`);
  if (report.warnings.length > 0) lines.push('');
  for (const w of report.warnings) lines.push(`WARNING: ${w}`);
  lines.push('', verdictOf(report));
  for (const f of report.failures) lines.push(`  ${f.check}: ${f.detail}`);
  return `${lines.join('\n')}\n`;
};

/** Runs the command; resolves with the exit status instead of exiting, so it can be called from tests. */
export const main = async (argv: readonly string[], io: Io = { stdout: process.stdout, stderr: process.stderr }): Promise<number> => {
  let args: ReturnType<typeof parse>;
  try {
    args = parse(argv);
  } catch (err) {
    return usageError(io, errorMessage(err));
  }
  if (args.values.help) {
    io.stdout.write(`${HELP}\n`);
    return EXIT.pass;
  }
  const [bundle, ...extra] = args.positionals;
  if (bundle === undefined) return usageError(io, 'missing the bundle argument');
  if (extra.length > 0) return usageError(io, `expected one bundle, got ${args.positionals.length}`);
  try {
    if (statSync(bundle).isDirectory()) return usageError(io, `cannot read bundle ${bundle}: it is a directory`);
  } catch (err) {
    return usageError(io, fileProblem('bundle', bundle, err));
  }

  let publicKeyPem: string | undefined;
  const keyPath = args.values['public-key'];
  if (keyPath !== undefined) {
    try {
      publicKeyPem = readFileSync(keyPath, 'utf8');
    } catch (err) {
      return usageError(io, fileProblem('public key file', keyPath, err));
    }
    try {
      createPublicKey(publicKeyPem);
    } catch (err) {
      return usageError(io, `public key file ${keyPath} is not a PEM public key: ${errorMessage(err)}`);
    }
  }

  let report: Report;
  try {
    report = await verifyBundle(bundle, { ...(publicKeyPem === undefined ? {} : { publicKeyPem }), onProgress: progressPrinter(io) });
  } catch (err) {
    // verifyBundle turns every problem with the bundle into a failure; reaching this is a defect in the verifier.
    io.stderr.write(`complaint-verify: internal error while verifying ${bundle}: ${errorMessage(err)}\n`);
    return EXIT.fail;
  }
  io.stdout.write(args.values.json ? `${JSON.stringify(report, null, 2)}\n` : formatReport(bundle, report));
  return !report.ok ? EXIT.fail : report.info.keySource === 'bundle' ? EXIT.unverified : EXIT.pass;
};

const parse = (argv: readonly string[]) =>
  parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: { 'public-key': { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
  });
