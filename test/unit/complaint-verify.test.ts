// complaint-verify: a well-formed bundle passes, and every kind of tampering or damage is named precisely, never crashes.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { BUNDLE_PATHS, type Manifest } from '#schemas/export';
import { caseContent, json, manifestOf, newSigner, seal, sha256, signatureOf, withEntry, writeZip, type BundleEntry, type CaseContent, type Signer } from '../support/bundle';
import { main, type Io } from '../../tools/complaint-verify/cli';
import { MAX_PARSED_ENTRY_BYTES, verifyBundle, type Report } from '../../tools/complaint-verify/verify';

const ROOT = resolve(__dirname, '../..');
let dir: string;
let signer: Signer;
let content: CaseContent;
let sealed: BundleEntry[];
let good: string;
let n = 0;

const zipOf = async (entries: readonly BundleEntry[]) => {
  const path = join(dir, `bundle-${++n}.zip`);
  await writeZip(path, entries);
  return path;
};
const fileOf = (data: Buffer | string, name = `file-${++n}`) => {
  const path = join(dir, name);
  writeFileSync(path, data);
  return path;
};
const evidence0 = () => content.evidence[0]!.path;
const failuresOf = (r: Report) => r.failures.map((f) => `${f.check}: ${f.detail}`);
const statusOf = (r: Report) => Object.fromEntries(r.checks.map((c) => [c.check, c.status]));

/** The timeline with one event's data rewritten (its hash left as it was). */
const editEvent = (seq: number) => (data: Buffer) => {
  const timeline = JSON.parse(data.toString());
  const event = timeline.events.find((e: { seq: number }) => e.seq === seq);
  event.data = { ...event.data, fileName: 'something-else.pdf' };
  return json(timeline);
};

const run = async (argv: string[]) => {
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = { stdout: { write: (s: string) => out.push(s) }, stderr: { write: (s: string) => err.push(s) } };
  const code = await main(argv, io);
  return { code, stdout: out.join(''), stderr: err.join('') };
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'complaint-verify-'));
  signer = newSigner();
  content = caseContent();
  sealed = seal(content, signer);
  good = await zipOf(sealed);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a well-formed bundle', () => {
  it('passes every check with the bundle’s own key, and warns that the key came from the bundle', async () => {
    const report = await verifyBundle(good);

    expect(failuresOf(report)).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.checks.map((c) => [c.check, c.status])).toEqual([
      ['zip', 'pass'],
      ['manifest', 'pass'],
      ['signature', 'pass'],
      ['files', 'pass'],
      ['audit-chain', 'pass'],
      ['anchor', 'pass'],
      ['case', 'pass'],
      ['evidence', 'pass'],
    ]);
    expect(report.warnings).toEqual([expect.stringMatching(/^the public key came from the bundle itself .*GET \/v1\/exports\/public-key/)]);
    expect(report.info).toMatchObject({
      caseId: content.caseId,
      reference: 'CMP-2026-000042',
      exportedBy: 'carol',
      files: sealed.length,
      bytes: sealed.reduce((s, e) => s + e.data.length, 0),
      auditEvents: 6,
      redactedEvents: 1,
      keyId: signer.keyId,
      keySource: 'bundle',
    });
  });

  it('passes with --public-key given as a file, without the bundle-key warning', async () => {
    const { code, stdout } = await run([good, '--public-key', fileOf(signer.publicKeyPem, 'key.pem')]);

    expect(code).toBe(0);
    expect(stdout).toMatch(/\nPASS\n$/);
    expect(stdout).not.toMatch(/WARNING/);
    expect(stdout).toMatch(/^signature {3}ok .*key given/m);
  });

  it('without --public-key: one line per check group, the warning, and UNVERIFIED (exit 3), never PASS', async () => {
    const { code, stdout, stderr } = await run([good]);

    expect(code).toBe(3);
    expect(stderr).toBe('');
    for (const check of ['zip', 'manifest', 'signature', 'files', 'audit-chain', 'anchor', 'case', 'evidence']) expect(stdout).toMatch(new RegExp(`^${check} +ok `, 'm'));
    expect(stdout).toMatch(/^WARNING: the public key came from the bundle itself/m);
    expect(stdout).toMatch(/\nUNVERIFIED: intact, and signed by the key the bundle carries itself; pass --public-key/);
    expect(stdout).not.toMatch(/^PASS$/m);
  });

  it('reports progress for entries above the threshold, and only for those', async () => {
    const seen: string[] = [];
    const report = await verifyBundle(good, { progressThresholdBytes: 1000, onProgress: (p) => p.done && seen.push(`${p.path} ${p.bytesHashed}/${p.totalBytes}`) });

    expect(report.ok).toBe(true);
    const call = content.entries.find((e) => e.path.endsWith('call.txt'))!;
    expect(seen).toContain(`${call.path} ${call.data.length}/${call.data.length}`);
    expect(seen.every((s) => !s.startsWith(BUNDLE_PATHS.case))).toBe(true);
  });
});

describe('(a) an evidence file changed', () => {
  it('rebuilt with one byte changed: FAIL names the path with the expected and actual sha256', async () => {
    const path = evidence0();
    const before = sealed.find((e) => e.path === path)!.data;
    const tampered = withEntry(sealed, path, (d) => ((d[3] = d[3]! ^ 0x01), d));
    const after = tampered.find((e) => e.path === path)!.data;

    const report = await verifyBundle(await zipOf(tampered));

    expect(report.ok).toBe(false);
    expect(report.failures).toEqual([{ check: 'files', path, detail: `sha256 mismatch on ${path}: expected ${sha256(before)}, actual ${sha256(after)}` }]);
  });

  it('one byte flipped inside the ZIP itself: the CRC-32 and the sha256 both name the path', async () => {
    const path = evidence0();
    const data = sealed.find((e) => e.path === path)!.data;
    const zip = readFileSync(good);
    const at = zip.indexOf(data);
    expect(at).toBeGreaterThan(0); // evidence is stored, so its bytes appear as-is
    zip[at + 5] = zip[at + 5]! ^ 0xff;

    const report = await verifyBundle(fileOf(zip));

    expect(report.ok).toBe(false);
    expect(report.failures.map((f) => [f.check, f.path])).toEqual([
      ['zip', path],
      ['files', path],
    ]);
    expect(report.failures[0]?.detail).toMatch(/CRC-32 mismatch, the ZIP records [0-9a-f]{8}, the data gives [0-9a-f]{8}/);
    expect(report.failures[1]?.detail).toMatch(new RegExp(`^sha256 mismatch on ${path}: expected ${sha256(data)}, actual [0-9a-f]{64}$`));
  });
});

describe('(b) an audit event edited in timeline.json', () => {
  it('with the manifest re-hashed and re-signed, only the chain catches it, at the edited seq', async () => {
    const edited = { ...content, entries: withEntry(content.entries, BUNDLE_PATHS.timeline, editEvent(3)) };

    const report = await verifyBundle(await zipOf(seal(edited, signer)));

    expect(report.ok).toBe(false);
    expect(report.failures).toEqual([
      { check: 'audit-chain', path: BUNDLE_PATHS.timeline, seq: 3, detail: 'audit chain broken at seq 3: event content does not match its hash (edited after it was written)' },
    ]);
  });

  it('without re-signing, the file hash and the chain both fail', async () => {
    const report = await verifyBundle(await zipOf(withEntry(sealed, BUNDLE_PATHS.timeline, editEvent(4))));

    expect(failuresOf(report)).toEqual([
      expect.stringMatching(/^files: size mismatch on timeline\.json: expected \d+ bytes, actual \d+ bytes$/),
      expect.stringMatching(/^files: sha256 mismatch on timeline\.json: expected [0-9a-f]{64}, actual [0-9a-f]{64}$/),
      'audit-chain: audit chain broken at seq 4: event content does not match its hash (edited after it was written)',
    ]);
    expect(report.failures[2]?.seq).toBe(4);
  });

  it('the newest event dropped and re-signed: the manifest’s recorded head catches the truncation', async () => {
    const truncate = (data: Buffer) => {
      const timeline = JSON.parse(data.toString());
      return json({ ...timeline, events: timeline.events.slice(0, -1) });
    };
    const edited = { ...content, entries: withEntry(content.entries, BUNDLE_PATHS.timeline, truncate) };

    const report = await verifyBundle(await zipOf(seal(edited, signer)));

    expect(failuresOf(report)).toEqual(['audit-chain: audit chain broken at seq 6: case records head seq 6; chain ends at seq 5']);
  });
});

describe('(c) a file dropped', () => {
  it('an evidence file: FAIL "missing <path>"', async () => {
    const path = evidence0();

    const report = await verifyBundle(await zipOf(sealed.filter((e) => e.path !== path)));

    expect(report.ok).toBe(false);
    expect(report.failures).toEqual([{ check: 'files', path, detail: expect.stringMatching(new RegExp(`^missing ${path}: listed in manifest.json`)) }]);
  });

  it('the signature: FAIL on the signature check', async () => {
    const report = await verifyBundle(await zipOf(sealed.filter((e) => e.path !== BUNDLE_PATHS.signature)));

    expect(failuresOf(report)).toEqual(['signature: missing manifest.sig.json: the bundle has no such entry']);
  });

  it('the public key, with no --public-key: FAIL, nothing to verify with', async () => {
    const report = await verifyBundle(await zipOf(sealed.filter((e) => e.path !== BUNDLE_PATHS.publicKey)));

    expect(failuresOf(report)).toEqual([expect.stringMatching(/^signature: no public key to verify with/)]);
  });
});

describe('(d) the signature swapped', () => {
  const manifestBytes = () => sealed.find((e) => e.path === BUNDLE_PATHS.manifest)!.data;

  it('a signature by another key (same keyId): FAIL on the signature check', async () => {
    const other = newSigner(signer.keyId);
    const swapped = withEntry(sealed, BUNDLE_PATHS.signature, () => signatureOf(manifestBytes(), other));

    const report = await verifyBundle(await zipOf(swapped));

    expect(report.failures).toEqual([
      { check: 'signature', path: BUNDLE_PATHS.signature, detail: "signature does not verify: manifest.sig.json is not a signature of the exact bytes of manifest.json by the bundle's public-key.pem" },
    ]);
  });

  it('the signature of another manifest by the same key: FAIL on the signature check', async () => {
    const another = seal(caseContent(), signer).find((e) => e.path === BUNDLE_PATHS.signature)!.data;

    const report = await verifyBundle(await zipOf(withEntry(sealed, BUNDLE_PATHS.signature, () => another)));

    expect(failuresOf(report)).toEqual([expect.stringMatching(/^signature: signature does not verify/)]);
  });

  it('a forged bundle re-signed with a key it carries itself passes on its own key (hence the warning) and fails with the real key', async () => {
    const forger = newSigner(signer.keyId);
    const forged = await zipOf(seal({ ...content, entries: withEntry(content.entries, evidence0(), () => Buffer.from('forged')) }, forger));

    const own = await verifyBundle(forged);
    const real = await verifyBundle(forged, { publicKeyPem: signer.publicKeyPem });

    expect(own.ok).toBe(true);
    expect(own.warnings[0]).toMatch(/came from the bundle itself/);
    expect(failuresOf(real)).toEqual([expect.stringMatching(/^signature: signature does not verify: .* by the --public-key given$/)]);
    expect(real.warnings).toEqual(["the bundle's public-key.pem is not the --public-key given; the signature was checked with --public-key"]);
  });

  it('a signature whose keyId is not the manifest’s: FAIL keyId mismatch', async () => {
    const renamed = { ...signer, keyId: 'another-key' };
    const swapped = withEntry(sealed, BUNDLE_PATHS.signature, () => signatureOf(manifestBytes(), renamed));

    const report = await verifyBundle(await zipOf(swapped));

    expect(failuresOf(report)).toEqual([`signature: keyId mismatch: manifest.sig.json says another-key, manifest.json signing.keyId says ${signer.keyId}`]);
  });
});

describe('(e) a wrong --public-key', () => {
  it('FAILs the signature check (library and CLI)', async () => {
    const wrong = newSigner().publicKeyPem;

    const report = await verifyBundle(good, { publicKeyPem: wrong });
    const cli = await run([good, '--public-key', fileOf(wrong, 'wrong.pem')]);

    expect(failuresOf(report)).toEqual([expect.stringMatching(/^signature: signature does not verify/)]);
    expect(cli.code).toBe(1);
    expect(cli.stdout).toMatch(/^signature {3}FAIL/m);
    expect(cli.stdout).toMatch(/\nFAIL\n {2}signature: signature does not verify/);
  });

  it('a key file that is not a key, or not readable, is a usage error', async () => {
    const notKey = await run([good, '--public-key', fileOf('hello', 'not-a-key.pem')]);
    const missing = await run([good, '--public-key', join(dir, 'absent.pem')]);

    expect(notKey).toMatchObject({ code: 2, stdout: '', stderr: expect.stringMatching(/is not a PEM public key/) });
    expect(missing).toMatchObject({ code: 2, stdout: '', stderr: expect.stringMatching(/cannot read public key file .*absent\.pem: no such file/) });
  });
});

describe('(f) damaged or absent input', () => {
  const zipFailure = (r: Report) => (expect(r.ok).toBe(false), expect(statusOf(r)).toMatchObject({ zip: 'fail', manifest: 'skipped' }), r.failures[0]?.detail);

  it('a ZIP cut at half: FAIL, not a ZIP or truncated', async () => {
    const zip = readFileSync(good);
    expect(zipFailure(await verifyBundle(fileOf(zip.subarray(0, zip.length >> 1))))).toMatch(/^not a ZIP file, or a truncated one: no end-of-central-directory record/);
  });

  it('random bytes and an empty file: FAIL with the same clear reason', async () => {
    expect(zipFailure(await verifyBundle(fileOf(Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 251)))))).toMatch(/^not a ZIP file/);
    expect(zipFailure(await verifyBundle(fileOf(Buffer.alloc(0))))).toMatch(/^not a ZIP file/);
  });

  it('a non-existent path: FAIL from the library, usage error (2) from the CLI', async () => {
    const absent = join(dir, 'absent.zip');

    expect(zipFailure(await verifyBundle(absent))).toBe(`cannot open ${absent}: no such file`);
    expect(await run([absent])).toMatchObject({ code: 2, stderr: expect.stringMatching(/cannot read bundle .*absent\.zip: no such file/) });
  });

  it('a compressed entry whose data is garbage: FAIL naming the entry, the other entries still checked', async () => {
    const zip = readFileSync(good);
    // case.json is the first entry and deflated: overwrite its compressed data after the 30-byte local header and its name.
    zip.fill(0xff, 30 + BUNDLE_PATHS.case.length, 30 + BUNDLE_PATHS.case.length + 40);

    const report = await verifyBundle(fileOf(zip));

    expect(report.failures[0]).toMatchObject({ check: 'zip', path: BUNDLE_PATHS.case, detail: expect.stringMatching(/^case\.json: entry data is corrupt or truncated/) });
    expect(report.failures.map((f) => f.check)).toContain('case');
    expect(statusOf(report)).toMatchObject({ signature: 'pass', 'audit-chain': 'pass' });
  });

  it('any single byte flipped anywhere: a report, never an exception, and no file handle left open', async () => {
    const zip = readFileSync(good);
    const openFds = () => readdirSync('/proc/self/fd').length;
    const before = openFds();
    // 40 places spread over the file, and every byte of the end-of-central-directory record.
    const places = [...Array.from({ length: 40 }, (_, i) => Math.floor((i / 40) * zip.length) + (i % 7)), ...Array.from({ length: 22 }, (_, i) => zip.length - 22 + i)];
    for (const at of places) {
      const copy = Buffer.from(zip);
      copy[at] = copy[at]! ^ 0x5a;
      const report = await verifyBundle(fileOf(copy, 'flipped.zip'));
      expect(report.checks).toHaveLength(8);
    }
    await new Promise((r) => setImmediate(r));
    expect(openFds()).toBeLessThanOrEqual(before);
  });
});

describe('oversized JSON', () => {
  it('a timeline.json beyond what the verifier parses: FAIL naming it, still hashed against the manifest', async () => {
    const huge = Buffer.alloc(MAX_PARSED_ENTRY_BYTES + 1, 0x20);
    const report = await verifyBundle(await zipOf(seal({ ...content, entries: withEntry(content.entries, BUNDLE_PATHS.timeline, () => huge) }, signer)));

    expect(failuresOf(report)).toEqual([`audit-chain: timeline.json is ${huge.length} bytes (64.0 MiB), more than the verifier parses (64.0 MiB)`]);
    expect(statusOf(report)).toMatchObject({ files: 'pass' });
  });
});

describe('(g) extra and duplicated entries', () => {
  it('an unlisted extra entry: FAIL "unlisted file"', async () => {
    const report = await verifyBundle(await zipOf([...sealed, { path: 'evidence/extra/readme.txt', data: Buffer.from('added later') }]));

    expect(report.failures).toEqual([{ check: 'files', path: 'evidence/extra/readme.txt', detail: 'unlisted file evidence/extra/readme.txt: in the ZIP (11 bytes) but not in manifest.json' }]);
  });

  it('an entry present twice (a second manifest.json appended): FAIL "duplicate entry"', async () => {
    const report = await verifyBundle(await zipOf([...sealed, { path: BUNDLE_PATHS.manifest, data: json({}) }]));

    expect(failuresOf(report)).toEqual(['files: duplicate entry manifest.json: the ZIP holds it 2 times']);
  });
});

describe('the manifest and the content disagree (re-signed, so only the cross-checks can notice)', () => {
  const resealed = async (edit: (m: Manifest) => Manifest) => verifyBundle(await zipOf(seal(content, signer, edit(manifestOf(content, signer)))));

  it('a manifest that does not match the schema', async () => {
    const report = await resealed((m) => ({ ...m, format: 'complaint-bundle/9' }) as unknown as Manifest);

    expect(failuresOf(report)).toEqual([expect.stringMatching(/^manifest: manifest.json does not match its schema: format: /)]);
    expect(statusOf(report)).toMatchObject({ signature: 'pass', files: 'skipped', 'audit-chain': 'pass' });
  });

  it('the case reference', async () => {
    const report = await resealed((m) => ({ ...m, reference: 'CMP-2026-000043' }));

    expect(failuresOf(report)).toEqual(['case: case.json reference is CMP-2026-000042, manifest.json reference is CMP-2026-000043']);
  });

  it('the recorded audit head', async () => {
    const report = await resealed((m) => ({ ...m, auditChain: { ...m.auditChain, head: 'a'.repeat(64) } }));

    expect(report.failures).toEqual([expect.objectContaining({ check: 'audit-chain', seq: 6, detail: 'audit chain broken at seq 6: the newest event (seq 6) does not match the head recorded on the case' })]);
  });

  it('a manifest recording that the chain was already broken at export', async () => {
    const report = await resealed((m) => ({ ...m, auditChain: { ...m.auditChain, valid: false } }));

    expect(failuresOf(report)).toEqual(['audit-chain: manifest.json records that the case audit chain was already broken when the bundle was exported (auditChain.valid is false)']);
  });

  it('an evidence digest that is not the listed file’s', async () => {
    const report = await resealed((m) => ({ ...m, evidence: m.evidence.map((e, i) => (i === 0 ? { ...e, sha256: '0'.repeat(64) } : e)) }));

    expect(failuresOf(report)).toEqual([expect.stringMatching(new RegExp(`^evidence: evidence ${content.evidence[0]!.evidenceId}: the vault verified sha256 0{64}, the bundle file ${evidence0()} is listed with [0-9a-f]{64}$`))]);
  });
});

describe('bin/complaint-verify.cjs', () => {
  const cli = (...args: string[]) => spawnSync(process.execPath, ['bin/complaint-verify.cjs', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });

  it('exits 0 on PASS, 1 on FAIL, 2 on usage errors, 3 when unverified; --json stdout is the report', async () => {
    const tampered = await zipOf(sealed.filter((e) => e.path !== evidence0()));

    const pass = cli(good, '--json', '--public-key', fileOf(signer.publicKeyPem, 'cli-key.pem'));
    expect(cli(good).status).toBe(3);
    const fail = cli(tampered);
    const usage = cli();

    expect(pass.status).toBe(0);
    expect(JSON.parse(pass.stdout)).toMatchObject({ ok: true, failures: [], info: { caseId: content.caseId, redactedEvents: 1 } });
    expect(fail.status).toBe(1);
    expect(fail.stdout).toMatch(new RegExp(`\\nFAIL\\n {2}files: missing ${evidence0()}: `));
    expect(usage.status).toBe(2);
    expect(usage.stderr).toMatch(/missing the bundle argument\nusage: complaint-verify <bundle.zip> \[--public-key key.pem\] \[--json\]/);
  });
});
