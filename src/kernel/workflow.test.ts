import { describe, expect, it } from 'vitest';
import { Problem } from './problems.js';
import { defineWorkflow } from './workflow.js';

const wf = defineWorkflow({
  name: { zh: '案件', en: 'Case' },
  states: {
    open: { zh: '待办', en: 'open' },
    done: { zh: '已办结', en: 'done' },
    dropped: { zh: '已撤销', en: 'dropped' },
  },
  transitions: [
    { from: 'open', action: 'finish', to: 'done', who: 'manager', zh: '办结', en: 'finish' },
    { from: 'open', action: 'drop', to: 'dropped', who: 'owner', zh: '撤销', en: 'drop' },
    { from: 'open', action: 'drop', to: 'dropped', who: 'manager', zh: '撤销', en: 'drop' },
  ],
});

describe('workflow state tables', () => {
  it('lists the actions a caller may take, each once, in table order', () => {
    expect(wf.allowedActions('open', new Set(['manager', 'owner']))).toEqual(['finish', 'drop']);
    expect(wf.allowedActions('open', ['owner'])).toEqual(['drop']);
    expect(wf.allowedActions('open', () => false)).toEqual([]);
    expect(wf.allowedActions('done', ['manager'])).toEqual([]);
  });
  it('moves along the table and names the state and action when it cannot', () => {
    expect(wf.transition('open', 'finish', ['manager']).to).toBe('done');
    try {
      wf.transition('done', 'finish', ['manager']);
      expect.unreachable();
    } catch (e) {
      const p = e as Problem;
      expect(p.code).toBe('INVALID_STATE');
      expect(p.statusCode).toBe(409);
      expect(p.message).toContain('已办结');
      expect(p.messageEn).toContain('finish');
      expect(p.field).toBe('action');
    }
    expect(() => wf.transition('open', 'finish', ['owner'])).toThrow(
      expect.objectContaining({ code: 'ACTION_NOT_ALLOWED', statusCode: 403 }),
    );
    expect(() =>
      wf.transition('open', 'finish', ['owner'], () => new Problem('FORBIDDEN_VERB', { verb: 'x.y' })),
    ).toThrow(expect.objectContaining({ code: 'FORBIDDEN_VERB' }));
  });
  it('refuses a table that names an unknown state', () => {
    expect(() =>
      defineWorkflow({
        name: { zh: 'x', en: 'x' },
        states: { a: { zh: 'a', en: 'a' } },
        transitions: [{ from: 'a', action: 'go', to: 'b' as 'a', who: 'w', zh: '去', en: 'go' }],
      }),
    ).toThrow(/unknown state/);
  });
});
