/**
 * Delegated collection (代录): a service agency's staff pick a producer that authorised the agency, and every API
 * call then carries `X-Acting-For: <subject id>`; the server checks the authorisation's scopes per write. A
 * co-supervisor or township official does the same for a farmer whose consent it recorded (代农户办理, page
 * `/field/act-for`). Kept for the browser tab (sessionStorage), cleared at logout.
 */
export interface ActingFor {
  subjectId: string;
  name: string;
}

const KEY = 'suyuan.actingFor';
const listeners = new Set<() => void>();

export function actingFor(): ActingFor | null {
  try {
    const v = JSON.parse(sessionStorage.getItem(KEY) ?? 'null') as ActingFor | null;
    return v && typeof v.subjectId === 'string' && typeof v.name === 'string' ? v : null;
  } catch {
    return null;
  }
}

export function setActingFor(v: ActingFor | null) {
  if (v) sessionStorage.setItem(KEY, JSON.stringify(v));
  else sessionStorage.removeItem(KEY);
  for (const fn of listeners) fn();
}

export function onActingForChange(fn: () => void): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

/** The verb of officials who act for farmers with their consent (server: agencies module `farmer.assist`). */
export const ASSIST_VERB = 'farmer.assist';
/** Producer verbs an official may use while acting for a farmer (server: the verbs declared `assisted: true`). */
export const ASSISTED_VERBS: readonly string[] = [
  'product.manage',
  'batch.create',
  'certificate.issue',
  'trade.sell',
  'trade.receive',
  'input.record',
  'code.issue',
];

/** Whether an account holding `verbs` may do `verb` now: held, or assisted while acting for a farmer. */
export function mayDo(verbs: readonly string[], verb: string): boolean {
  return verbs.includes(verb) || (!!actingFor() && verbs.includes(ASSIST_VERB) && ASSISTED_VERBS.includes(verb));
}
