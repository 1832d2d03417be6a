/**
 * The coordinate rule — a point must lie near the division it is stated to be in — as a service the kernel holds
 * for modules that cannot depend on its owner: the origin-map module owns the county polygons (originmap/geo.ts)
 * and provides the rule when it loads (`providePointRule`); producers' registration and their import (subjects)
 * apply it through `pointError`. The kernel imports no module, and subjects and originmap do not import each other
 * both ways.
 */
export type PointRule = (
  divisionCode: string | null,
  point: [number, number],
) => { field: 'longitude'; zh: string; en: string } | null;

let rule: PointRule | null = null;

export function providePointRule(r: PointRule) {
  rule = r;
}

/** The error of a point against its stated division (null when plausible, or when no module provides the rule). */
export const pointError: PointRule = (divisionCode, point) => (rule ? rule(divisionCode, point) : null);
