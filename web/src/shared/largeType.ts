import { useSyncExternalStore } from 'react';

/**
 * Large type (issue 16): ≥ 18 px text and ≥ 48 px tap targets. On by default on phones (farmers, township staff),
 * off by default on wider screens; either can be switched from the user menu and the choice is kept on the device.
 */
const KEY = 'suyuan.largeType';
const listeners = new Set<() => void>();

export function largeTypeChoice(): 'on' | 'off' | null {
  const v = localStorage.getItem(KEY);
  return v === 'on' || v === 'off' ? v : null;
}
export function setLargeType(on: boolean): void {
  localStorage.setItem(KEY, on ? 'on' : 'off');
  for (const fn of listeners) fn();
}
export function useLargeTypeChoice(): 'on' | 'off' | null {
  return useSyncExternalStore((fn) => {
    listeners.add(fn);
    return () => listeners.delete(fn);
  }, largeTypeChoice);
}
/** Whether large type applies now: the user's choice, else on for phones. */
export function isLarge(choice: 'on' | 'off' | null, phone: boolean): boolean {
  return choice ? choice === 'on' : phone;
}
/** antd theme tokens for large type. */
export const LARGE_TOKENS = {
  fontSize: 18,
  fontSizeLG: 20,
  controlHeight: 48,
  controlHeightLG: 52,
  controlHeightSM: 36,
};
