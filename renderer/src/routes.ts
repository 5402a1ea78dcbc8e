// Every screen reachable from the sidebar. A new area (People, Deals, …) adds one entry here.
import type { LucideIcon } from '@lucide/svelte';
import House from '@lucide/svelte/icons/house';
import Settings from '@lucide/svelte/icons/settings';
import type { Component } from 'svelte';
import HomeScreen from './screens/home/HomeScreen.svelte';
import SettingsScreen from './screens/settings/SettingsScreen.svelte';

export interface AppRoute {
  path: string;
  title: string;
  /** One line under the title in the header. */
  description: string;
  icon: LucideIcon;
  screen: Component;
  /** The key after `g` that jumps here (`g h`). */
  goKey: string;
  /** Record areas sit in the upper list; workspace administration at the foot of the sidebar. */
  placement: 'records' | 'admin';
}

export const routes: AppRoute[] = [
  {
    path: '/',
    title: 'Home',
    description: 'Your workspace at a glance',
    icon: House,
    screen: HomeScreen,
    goKey: 'h',
    placement: 'records',
  },
  {
    path: '/settings',
    title: 'Settings',
    description: 'Firm name, base currency and phone region',
    icon: Settings,
    screen: SettingsScreen,
    goKey: 's',
    placement: 'admin',
  },
];

export function routeFor(path: string): AppRoute | undefined {
  return routes.find((route) => route.path === path);
}
