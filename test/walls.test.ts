import { describe, expect, it } from 'vitest';
import { findViolations, formatViolations, tableOwners } from './walls.js';

describe('architecture walls (docs/ARCHITECTURE.md)', () => {
  it('knows which module owns every table', () => {
    const owners = tableOwners();
    expect(owners.get('account')).toBe('accounts');
    expect(owners.get('trace_event')).toBe('batches');
    expect(owners.get('audit_log')).toBe('kernel');
  });
  it('has no violation: kernel → module, routes → repo, cross-module repo or table writes, cycles, web → server', () => {
    const v = findViolations();
    expect(formatViolations(v), `${v.length} wall violations`).toBe('');
  });
});
