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

/**
 * Whether an account may do `verb` now: held, or — while acting for a farmer — one of the producer verbs the server
 * says it may use for a farmer (`assistedVerbs` of the profile: the verbs declared `assisted`, for a holder of
 * `farmer.assist`; one list, on the server).
 */
export function mayDo(who: { verbs: readonly string[]; assistedVerbs?: readonly string[] }, verb: string): boolean {
  return who.verbs.includes(verb) || (!!actingFor() && !!who.assistedVerbs?.includes(verb));
}
