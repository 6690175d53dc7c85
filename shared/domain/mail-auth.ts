// Inbound email sender authentication, pure: reads the verdicts the receiving server (SES) adds to a message
// (Authentication-Results per RFC 8601 for SPF, DKIM and DMARC; X-SES-Virus-Verdict; X-SES-Spam-Verdict) and decides
// whether the From address is proven, so that only proven mail may join an existing case (issue 25, finding 5).

/** A verdict header of the message, in message order (topmost = added last, by the server that received it). */
export interface VerdictHeader {
  name: string;
  value: string;
}

/** The header names the assessment reads (lower case); the parser hands over only these. */
export const VERDICT_HEADERS = ['authentication-results', 'x-ses-virus-verdict', 'x-ses-spam-verdict'] as const;

export interface MailAuthSettings {
  /** The authserv-id of the trusted receiving server (SES: `amazonses.com`). */
  authservId: string;
  /**
   * Local mode only: mail with no verdict headers at all counts as authenticated (there is no SES in front of it).
   * Never in AWS: the configuration refuses it there.
   */
  trustUnauthenticated: boolean;
}

/** One `method=result` of an Authentication-Results header with its properties (`header.d`, `smtp.mailfrom` …). */
export interface AuthResult {
  method: string;
  result: string;
  props: Map<string, string>;
}

export interface AuthenticationResults {
  authservId: string;
  results: AuthResult[];
}

export type SenderAssessment =
  | { kind: 'virus'; detail: string }
  | { kind: 'verified'; summary: string }
  | { kind: 'unverified'; reasons: string[]; summary: string };

/** Removes RFC 5322 comments (nested parentheses), keeping quoted strings intact; a backslash escapes one character. */
const stripComments = (s: string): string => {
  let out = '';
  let depth = 0;
  let quoted = false;
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    if (ch === '\\' && (quoted || depth > 0)) {
      if (depth === 0) out += ch + (s[i + 1] ?? '');
      i++;
      continue;
    }
    if (depth === 0 && ch === '"') quoted = !quoted;
    if (!quoted && ch === '(') depth++;
    else if (!quoted && ch === ')' && depth > 0) {
      depth--;
      out += ' ';
      continue;
    }
    if (depth === 0) out += ch;
  }
  return out;
};

/** Splits on `;` outside quoted strings. */
const splitResinfo = (s: string): string[] => {
  const parts: string[] = [];
  let cur = '';
  let quoted = false;
  for (const ch of s) {
    if (ch === '"') quoted = !quoted;
    if (ch === ';' && !quoted) {
      parts.push(cur);
      cur = '';
    } else cur += ch;
  }
  parts.push(cur);
  return parts.map((p) => p.trim()).filter(Boolean);
};

const unquote = (v: string) => (v.length >= 2 && v.startsWith('"') && v.endsWith('"') ? v.slice(1, -1).replace(/\\(.)/g, '$1') : v);

/**
 * Parses an Authentication-Results value (RFC 8601 §2.2): `authserv-id [version] ; method[/version]=result
 * [reason=…] [ptype.property=value …] ; …`, comments removed. Unknown or malformed resinfo is skipped, never
 * guessed at; a header without an authserv-id is no header. Methods and results are compared in lower case.
 */
export const parseAuthenticationResults = (value: string): AuthenticationResults | undefined => {
  const [head, ...rest] = splitResinfo(stripComments(value).replace(/\s+/g, ' '));
  const authservId = head?.split(' ')[0]?.trim().toLowerCase();
  if (!authservId || authservId.includes('=')) return undefined;
  const results: AuthResult[] = [];
  for (const info of rest) {
    const tokens = info.match(/(?:[^\s"]+|"(?:[^"\\]|\\.)*")+/g) ?? [];
    const spec = /^([A-Za-z0-9_-]+)(?:\/\d+)?=([A-Za-z0-9_-]+)$/.exec(tokens[0] ?? '');
    const previous = results.at(-1);
    // SES writes SPF's identities as resinfo of their own (`spf=pass …; client-ip=…; envelope-from=…; helo=…`):
    // a `name=value` that is no method result belongs to the result before it.
    const props = spec ? new Map<string, string>() : previous?.props;
    if (!props) continue;
    for (const t of spec ? tokens.slice(1) : tokens) {
      const eq = t.indexOf('=');
      if (eq > 0) props.set(t.slice(0, eq).toLowerCase(), unquote(t.slice(eq + 1)));
    }
    if (spec) results.push({ method: spec[1]!.toLowerCase(), result: spec[2]!.toLowerCase(), props });
  }
  return { authservId, results };
};

const domainOf = (addressOrDomain: string): string => {
  const at = addressOrDomain.lastIndexOf('@');
  return (at >= 0 ? addressOrDomain.slice(at + 1) : addressOrDomain).trim().toLowerCase().replace(/\.$/, '');
};

/**
 * Relaxed identifier alignment (RFC 7489 §3.1): the same domain, or one a subdomain of the other. Without the public
 * suffix list the shorter one must have at least two labels, so a bare top-level domain never aligns.
 */
export const aligned = (a: string, b: string): boolean => {
  const x = domainOf(a);
  const y = domainOf(b);
  if (!x || !y) return false;
  if (x === y) return true;
  const [short, long] = x.length < y.length ? [x, y] : [y, x];
  return short.includes('.') && long.endsWith(`.${short}`);
};

const first = (headers: readonly VerdictHeader[], name: string) => headers.find((h) => h.name.toLowerCase() === name);

/**
 * Whether the From address is proven. The rules (each documented in docs/security/inbound-and-outbound-channels.md):
 * - Only the topmost Authentication-Results header counts, and only if its authserv-id is the configured one. SES
 *   prepends its own above everything the sender wrote, so a forged one lower down, or one naming another server,
 *   is ignored.
 * - Any X-SES-Virus-Verdict FAIL rejects the message (a forged FAIL only hurts its forger); otherwise the topmost
 *   verdict must be PASS. The topmost X-SES-Spam-Verdict must not be FAIL.
 * - DMARC must not fail, and the From domain must be authenticated: DMARC pass for that domain, or an aligned SPF
 *   pass (smtp.mailfrom / envelope-from) or an aligned DKIM pass (header.d / header.i).
 * - No verdict header at all: unverified, unless `trustUnauthenticated` (local mode only) says otherwise.
 */
export const assessSender = (headers: readonly VerdictHeader[], from: string, settings: MailAuthSettings): SenderAssessment => {
  const virusVerdicts = headers.filter((h) => h.name.toLowerCase() === 'x-ses-virus-verdict').map((h) => h.value.trim().toUpperCase());
  if (virusVerdicts.includes('FAIL')) return { kind: 'virus', detail: 'X-SES-Virus-Verdict: FAIL (the receiving server found a virus)' };
  if (!headers.length && settings.trustUnauthenticated) return { kind: 'verified', summary: 'no verdict headers; trusted by INBOUND_EMAIL_TRUST_UNAUTHENTICATED (local mode)' };

  const reasons: string[] = [];
  const virus = virusVerdicts[0];
  if (virus !== 'PASS') reasons.push(virus ? `virus verdict ${virus}` : 'no virus verdict');
  const spam = first(headers, 'x-ses-spam-verdict')?.value.trim().toUpperCase();
  if (spam === 'FAIL') reasons.push('spam verdict FAIL');

  const topmost = first(headers, 'authentication-results');
  const ar = topmost ? parseAuthenticationResults(topmost.value) : undefined;
  const fromDomain = domainOf(from);
  let checks = 'no trusted Authentication-Results';
  if (!ar || ar.authservId !== settings.authservId.toLowerCase()) {
    reasons.push(`no Authentication-Results from ${settings.authservId} at the top of the message`);
  } else {
    const of = (method: string) => ar.results.filter((r) => r.method === method);
    const spf = of('spf');
    const dkim = of('dkim');
    const dmarc = of('dmarc');
    const spfOk = spf.some((r) => r.result === 'pass' && aligned(r.props.get('smtp.mailfrom') ?? r.props.get('envelope-from') ?? '', fromDomain));
    const dkimOk = dkim.some((r) => r.result === 'pass' && aligned(r.props.get('header.d') ?? r.props.get('header.i') ?? '', fromDomain));
    const dmarcPass = dmarc.some((r) => r.result === 'pass' && (!r.props.has('header.from') || domainOf(r.props.get('header.from')!) === fromDomain));
    const dmarcFail = dmarc.some((r) => r.result === 'fail');
    const word = (rs: AuthResult[]) => rs.map((r) => r.result).join(',') || 'none';
    checks = `spf=${word(spf)} dkim=${word(dkim)} dmarc=${word(dmarc)}`;
    if (dmarcFail) reasons.push('dmarc=fail');
    if (!dmarcFail && !dmarcPass && !spfOk && !dkimOk) {
      reasons.push(spf.some((r) => r.result === 'pass') || dkim.some((r) => r.result === 'pass') ? `no SPF or DKIM pass aligned with ${fromDomain}` : `neither spf nor dkim passed (${checks})`);
    }
  }
  const summary = `${checks}; virus ${virus ?? 'none'}; spam ${spam ?? 'none'}`;
  return reasons.length ? { kind: 'unverified', reasons, summary } : { kind: 'verified', summary };
};
