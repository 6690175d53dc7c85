// The case header: status, owner with handoff history, regime, and the deadline bar with its 50/75/90/100 % checkpoints.
import Box from '@cloudscape-design/components/box';
import Container from '@cloudscape-design/components/container';
import ExpandableSection from '@cloudscape-design/components/expandable-section';
import KeyValuePairs from '@cloudscape-design/components/key-value-pairs';
import ProgressBar from '@cloudscape-design/components/progress-bar';
import SpaceBetween from '@cloudscape-design/components/space-between';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import type { CaseView } from '../../api';
import { formatTime, timeRemaining } from '../../clock';
import { RiskBadge } from '../../components/RiskBadge';

const STATUS_TYPE = { open: 'in-progress', awaiting_approval: 'pending', resolved: 'success', closed: 'stopped' } as const;

/** Share of the clock used: from receipt to the final response deadline, at `now` (or when the clock stopped). */
const elapsedPercent = (c: CaseView, now: number | undefined): number => {
  const start = Date.parse(c.receivedAt);
  const end = Date.parse(c.finalResponseDueAt);
  const stoppedAt = c.cycles.at(-1)?.stoppedAt;
  const at = stoppedAt ? Date.parse(stoppedAt) : (now ?? start);
  if (!(end > start)) return 100;
  return Math.max(0, Math.min(100, Math.round(((at - start) / (end - start)) * 100)));
};

export const CaseHeader = ({ c, now }: { c: CaseView; now?: number | undefined }) => {
  const pct = elapsedPercent(c, now);
  return (
    <Container>
      <SpaceBetween size="l">
        <KeyValuePairs
          columns={4}
          items={[
            { label: 'Status', value: <StatusIndicator type={STATUS_TYPE[c.status]}>{c.status.replace('_', ' ')}</StatusIndicator> },
            {
              label: 'Owner',
              value: (
                <SpaceBetween size="xxs">
                  <span data-testid="case-owner">{c.ownerId}</span>
                  {c.handoffs.length ? (
                    <ExpandableSection headerText={`Handoffs (${c.handoffs.length})`} variant="footer">
                      <ul aria-label="Handoff history">
                        {c.handoffs.map((h, i) => (
                          <li key={`${h.at}-${i}`}>
                            {formatTime(h.at)}: {h.from ?? '—'} → {h.to} by {h.by} ({h.reason})
                          </li>
                        ))}
                      </ul>
                    </ExpandableSection>
                  ) : null}
                </SpaceBetween>
              ),
            },
            { label: 'Regime', value: c.regime },
            { label: 'Risk', value: <RiskBadge risk={c.risk} /> },
            { label: 'Customer', value: `${c.customer.name}${c.vulnerable ? ' (vulnerable)' : ''}` },
            { label: 'Category', value: c.category.replace(/_/g, ' ') },
            { label: 'Received', value: formatTime(c.receivedAt) },
            { label: 'Final response due', value: `${formatTime(c.finalResponseDueAt)}${c.status === 'open' || c.status === 'awaiting_approval' ? ` (${timeRemaining(c.finalResponseDueAt, now)})` : ''}` },
          ]}
        />
        <div>
          <ProgressBar label="Deadline" value={pct} description="Share of the time to the final response deadline used" additionalInfo={`${pct} % of the clock used`} />
          <Box margin={{ top: 'xs' }}>
            <ol aria-label="Checkpoints" style={{ display: 'flex', gap: '1.5rem', listStyle: 'none', padding: 0, margin: 0 }}>
              {c.checkpoints.map((k) => (
                <li key={k.percent} data-testid={`checkpoint-${k.percent}`} data-fired={k.firedAt ? 'true' : 'false'}>
                  <StatusIndicator type={k.firedAt ? 'warning' : 'pending'}>
                    {k.percent} % {k.firedAt ? `fired ${formatTime(k.firedAt)}` : `at ${formatTime(k.at)}`}
                  </StatusIndicator>
                </li>
              ))}
            </ol>
          </Box>
        </div>
      </SpaceBetween>
    </Container>
  );
};
