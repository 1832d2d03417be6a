import { expect, it } from 'vitest';
import { demoSteps } from '../src/kernel/module.js';
import { MODULES } from '../src/modules/index.js';

it('the demo steps declared by the modules resolve: every `after` names a step, no cycle, each after its dependencies', () => {
  const steps = demoSteps(MODULES);
  const names = steps.map((s) => s.name);
  expect(new Set(names).size).toBe(names.length);
  expect(steps.length).toBe(MODULES.flatMap((m) => m.demo ?? []).length);
  for (const [i, s] of steps.entries())
    for (const dep of s.after ?? []) expect(names.indexOf(dep), `${s.name} after ${dep}`).toBeLessThan(i);
  expect(names[0]).toBe('organisations and accounts in Guangdong and Sichuan');
});
