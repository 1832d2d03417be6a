import { Problem } from './problems.js';

/**
 * State machines as tables (状态表). A workflow is a list of transitions — from, action, to, who may take it, and the
 * action's name in Chinese and English — plus the names of its states. The server computes `allowedActions` from the
 * table and `transition` checks a requested action against it; the web only shows what the server sends.
 *
 * `who` is a role relative to the record (for example `owner`, `reviewer`, `manager`), which the owning module works
 * out from the actor and the record; a module with one kind of actor uses a single value such as `'manager'`.
 */
export interface Label {
  zh: string;
  en: string;
}

export interface Transition<S extends string, A extends string, W extends string> {
  from: S;
  action: A;
  to: S;
  who: W;
  /** The action's name, shown on its button and in audit summaries. */
  zh: string;
  en: string;
}

/** Who the caller is relative to the record: a set of roles, or a test. */
export type WhoTest<W extends string> = ReadonlySet<W> | readonly W[] | ((who: W) => boolean);

export interface WorkflowDef<S extends string, A extends string, W extends string, T extends Transition<S, A, W>> {
  /** The record's name, for messages. */
  name: Label;
  states: Record<S, Label>;
  transitions: readonly T[];
}

export interface Workflow<S extends string, A extends string, W extends string, T extends Transition<S, A, W>>
  extends WorkflowDef<S, A, W, T> {
  /** The actions `who` may take from `state`, in table order, each once. */
  allowedActions(state: S, who: WhoTest<W>): A[];
  /**
   * The transition for `action` from `state` taken by `who`. Throws 409 INVALID_STATE when the state has no such
   * action, and 403 ACTION_NOT_ALLOWED when the action exists but `who` may not take it.
   */
  transition(state: S, action: A, who: WhoTest<W>, forbidden?: () => Problem): T;
  stateLabel(state: S): Label;
  actionLabel(action: A): Label;
}

function holds<W extends string>(who: WhoTest<W>, w: W): boolean {
  if (typeof who === 'function') return who(w);
  if (Array.isArray(who)) return who.includes(w);
  return (who as ReadonlySet<W>).has(w);
}

export function defineWorkflow<
  S extends string,
  A extends string,
  W extends string,
  T extends Transition<S, A, W> = Transition<S, A, W>,
>(def: WorkflowDef<S, A, W, T>): Workflow<S, A, W, T> {
  for (const t of def.transitions) {
    if (!def.states[t.from] || !def.states[t.to])
      throw new Error(`workflow ${def.name.en}: unknown state in ${t.action}`);
  }
  const actionLabel = (action: A): Label => {
    const t = def.transitions.find((x) => x.action === action);
    return t ? { zh: t.zh, en: t.en } : { zh: action, en: action };
  };
  const stateLabel = (state: S): Label => def.states[state] ?? { zh: state, en: state };
  return {
    ...def,
    stateLabel,
    actionLabel,
    allowedActions(state, who) {
      const out: A[] = [];
      for (const t of def.transitions) {
        if (t.from === state && !out.includes(t.action) && holds(who, t.who)) out.push(t.action);
      }
      return out;
    },
    transition(state, action, who, forbidden) {
      const candidates = def.transitions.filter((t) => t.from === state && t.action === action);
      if (candidates.length === 0) {
        const s = stateLabel(state);
        const a = actionLabel(action);
        throw new Problem('INVALID_STATE', {
          stateZh: s.zh,
          stateEn: s.en,
          actionZh: a.zh,
          actionEn: a.en,
          field: 'action',
        });
      }
      const allowed = candidates.find((t) => holds(who, t.who));
      if (!allowed) {
        if (forbidden) throw forbidden();
        const a = actionLabel(action);
        throw new Problem('ACTION_NOT_ALLOWED', { actionZh: a.zh, actionEn: a.en, field: 'action' });
      }
      return allowed;
    },
  };
}

/** Labels of a workflow's states and actions, for a response: `{ status, statusZh, statusEn }`. */
export function stateFields<S extends string>(wf: { stateLabel(s: S): Label }, state: S) {
  const l = wf.stateLabel(state);
  return { statusZh: l.zh, statusEn: l.en };
}
