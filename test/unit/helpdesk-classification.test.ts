// Helpdesk escalations as complaint, incident or service request (#32 item 7), pure: the source record's type, the
// classification rule (a technical outage without dissatisfaction is not a complaint unless the customer says so;
// configurable) and incident ids that travel with the case so problems can be linked.
import { classificationError, mapTicket, serviceNowRecordType } from '#domain/helpdesk';

const d = { regime: 'INTERNAL_STANDARD', now: '2026-12-01T10:00:00.000Z' };
const snow = (number: string, complaint?: Record<string, unknown>) => ({
  sys_id: 'b'.repeat(32),
  number,
  short_description: 'Card payments failing',
  description: 'Card payments failed for two hours.',
  caller: { sys_id: 'u1', name: 'Kay' },
  ...(complaint ? { complaint } : {}),
});

describe('source record type', () => {
  it('ServiceNow numbers name the record: INC incident, REQ/RITM/SCTASK service request, anything else unknown', () => {
    expect(['INC0012345', 'REQ0000101', 'RITM0000202', 'SCTASK0000303', 'CS0001234'].map(serviceNowRecordType)).toEqual(['incident', 'service_request', 'service_request', 'service_request', undefined]);
  });

  it('an escalated incident carries its type and its own number as an incident id; hints add more ids and may override the type', () => {
    const r = mapTicket('servicenow', snow('INC0012345', { customerDissatisfied: true, incidentIds: ['PRB0040001', 'OPS-7'] }), d);
    expect(r.ok && r.ticket.complaint).toMatchObject({ sourceRecordType: 'incident', incidentIds: ['INC0012345', 'PRB0040001', 'OPS-7'] });
    const typed = mapTicket('servicenow', snow('INC0012345', { recordType: 'complaint' }), d);
    expect(typed.ok && typed.ticket.complaint.sourceRecordType).toBe('complaint');
  });

  it('an incident id that is not a ServiceNow or Jira id is refused with the field named', () => {
    const r = mapTicket('generic', { system: 'desk', ticketId: 't1', subject: 's', description: 'd', customer: { id: 'c', name: 'n' }, complaint: { incidentIds: ['INC12'] } }, d);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.errors.map((e) => e.field)).toEqual(['body.complaint.incidentIds.0']);
  });
});

describe('classification rule: an outage is not a complaint without dissatisfaction, unless the customer says so', () => {
  it('refuses an outage with no dissatisfaction (400-ready, naming the rule)', () => {
    const r = mapTicket('servicenow', snow('INC0012345', { technicalOutage: true }), d);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.errors).toEqual([{ field: 'body.complaint.customerDissatisfied', message: expect.stringContaining('not a complaint') }]);
  });

  it.each([
    ['the customer expressed dissatisfaction', { technicalOutage: true, customerDissatisfied: true }],
    ['the customer calls it a complaint', { technicalOutage: true, customerSaysComplaint: true }],
    ['the helpdesk recorded it as a complaint', { technicalOutage: true, recordType: 'complaint' }],
    ['it is no outage', { customerDissatisfied: false }],
  ])('accepts it when %s', (_why, hints) => {
    expect(mapTicket('servicenow', snow('INC0012345', hints), d).ok).toBe(true);
  });

  it('is configurable: with the rule set to accept, the outage opens a case', () => {
    expect(classificationError({ technicalOutage: true }, 'accept')).toBeUndefined();
    expect(mapTicket('servicenow', snow('INC0012345', { technicalOutage: true }), { ...d, outageRule: 'accept' }).ok).toBe(true);
  });
});
