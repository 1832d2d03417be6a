import { createContext, type ReactNode, useContext } from 'react';

/** A page the caller may open from the menu, in menu order (group, then order within the group). */
export interface NavEntry {
  path: string;
  zh: string;
  en: string;
  icon: ReactNode;
}

/**
 * The menu entries of the signed-in caller, provided by the layout (which reads the route table). Pages that list
 * them (the dashboard tiles) read this instead of importing the route table, which imports the pages.
 */
export const NavContext = createContext<NavEntry[]>([]);
export const useNav = () => useContext(NavContext);
