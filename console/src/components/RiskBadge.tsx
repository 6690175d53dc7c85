// The case's risk as a status indicator with words (colour alone carries no meaning for everyone).
import StatusIndicator from '@cloudscape-design/components/status-indicator';

export type Risk = 'on_track' | 'at_risk' | 'overdue';

export const RiskBadge = ({ risk }: { risk: Risk }) =>
  risk === 'overdue' ? <StatusIndicator type="error">Overdue</StatusIndicator> : risk === 'at_risk' ? <StatusIndicator type="warning">At risk</StatusIndicator> : <StatusIndicator type="success">On track</StatusIndicator>;
