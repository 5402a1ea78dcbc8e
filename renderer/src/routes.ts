// Every screen reachable from the sidebar. A new area (People, Deals, …) adds one entry here.
import type { LucideIcon } from '@lucide/svelte';
import Building2 from '@lucide/svelte/icons/building-2';
import ChartColumn from '@lucide/svelte/icons/chart-column';
import Handshake from '@lucide/svelte/icons/handshake';
import House from '@lucide/svelte/icons/house';
import ListTodo from '@lucide/svelte/icons/list-todo';
import Settings from '@lucide/svelte/icons/settings';
import Trash2 from '@lucide/svelte/icons/trash-2';
import UsersRound from '@lucide/svelte/icons/users-round';
import type { Component } from 'svelte';
import CompaniesListScreen from './screens/companies/CompaniesListScreen.svelte';
import CompanyScreen from './screens/companies/CompanyScreen.svelte';
import DealScreen from './screens/deals/DealScreen.svelte';
import DealsScreen from './screens/deals/DealsScreen.svelte';
import HomeScreen from './screens/home/HomeScreen.svelte';
import PeopleListScreen from './screens/people/PeopleListScreen.svelte';
import PersonScreen from './screens/people/PersonScreen.svelte';
import ReportsScreen from './screens/reports/ReportsScreen.svelte';
import SettingsScreen from './screens/settings/SettingsScreen.svelte';
import TasksScreen from './screens/tasks/TasksScreen.svelte';
import TrashScreen from './screens/trash/TrashScreen.svelte';

export interface AppRoute {
  path: string;
  title: string;
  /** One line under the title in the header. */
  description: string;
  icon: LucideIcon;
  /** Receives the path's `:name` parameters as props (a record page gets `id`). */
  screen: Component<{ params: Record<string, string> }> | Component;
  /** The key after `g` that jumps here (`g h`); record pages have none. */
  goKey?: string;
  /**
   * Record areas sit in the upper list; workspace administration at the foot of the sidebar; a `detail`
   * route (a record page such as `/people/:id`) is reached from its list and not shown in the sidebar.
   */
  placement: 'records' | 'admin' | 'detail';
  /** For a detail route: the sidebar entry that stays highlighted (`/people` for `/people/:id`). */
  parent?: string;
  /** `fill`: the screen takes the whole area under the header and scrolls itself (record lists). */
  layout?: 'page' | 'fill';
}

export interface RouteMatch {
  route: AppRoute;
  params: Record<string, string>;
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
    path: '/people',
    title: 'People',
    description: 'Everyone your firm works with',
    icon: UsersRound,
    screen: PeopleListScreen,
    goKey: 'p',
    placement: 'records',
    layout: 'fill',
  },
  {
    path: '/companies',
    title: 'Companies',
    description: 'The organisations behind your contacts',
    icon: Building2,
    screen: CompaniesListScreen,
    goKey: 'c',
    placement: 'records',
    layout: 'fill',
  },
  {
    path: '/deals',
    title: 'Deals',
    description: 'Your pipeline, stage by stage',
    icon: Handshake,
    screen: DealsScreen,
    goKey: 'd',
    placement: 'records',
    layout: 'fill',
  },
  {
    path: '/people/:id',
    title: 'People',
    description: 'Person',
    icon: UsersRound,
    screen: PersonScreen,
    placement: 'detail',
    parent: '/people',
  },
  {
    path: '/companies/:id',
    title: 'Companies',
    description: 'Company',
    icon: Building2,
    screen: CompanyScreen,
    placement: 'detail',
    parent: '/companies',
  },
  {
    path: '/deals/:id',
    title: 'Deals',
    description: 'Deal',
    icon: Handshake,
    screen: DealScreen,
    placement: 'detail',
    parent: '/deals',
  },
  {
    path: '/tasks',
    title: 'Tasks',
    description: 'What is due today, what slipped and what is coming up',
    icon: ListTodo,
    screen: TasksScreen,
    goKey: 't',
    placement: 'records',
  },
  {
    path: '/reports',
    title: 'Reports',
    description: 'Pipeline, forecast, win rate and activity',
    icon: ChartColumn,
    screen: ReportsScreen,
    goKey: 'r',
    placement: 'records',
  },
  {
    path: '/settings',
    title: 'Settings',
    description: 'Workspace, pipelines, automations, currencies, custom fields and tags',
    icon: Settings,
    screen: SettingsScreen,
    goKey: 's',
    placement: 'admin',
  },
  {
    path: '/trash',
    title: 'Trash',
    description: 'Deleted records, until they are restored or the trash is emptied',
    icon: Trash2,
    screen: TrashScreen,
    goKey: 'x',
    placement: 'admin',
  },
];

/** The route a path shows, with its parameters; exact paths win over patterns. */
export function routeFor(path: string): RouteMatch | undefined {
  const exact = routes.find((route) => route.path === path);
  if (exact) return { route: exact, params: {} };
  const parts = path.split('/');
  for (const route of routes) {
    const pattern = route.path.split('/');
    if (!route.path.includes(':') || pattern.length !== parts.length) continue;
    const params: Record<string, string> = {};
    const matches = pattern.every((segment, i) => {
      const part = parts[i] ?? '';
      if (segment.startsWith(':')) {
        params[segment.slice(1)] = part;
        return part.length > 0;
      }
      return segment === part;
    });
    if (matches) return { route, params };
  }
  return undefined;
}

/** Routes that can be jumped to with `g <key>`. */
export const jumpRoutes = routes.filter((route): route is AppRoute & { goKey: string } => route.goKey !== undefined);
