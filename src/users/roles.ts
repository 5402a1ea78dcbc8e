// Roles and the permissions each grants. Every procedure names one permission; the dispatcher checks it.

export const ROLES = ['admin', 'manager', 'member', 'readonly'] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = [
  'system.read',
  'system.admin',
  'settings.read',
  'settings.manage',
  'records.read',
  'records.write',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const GRANTS: Record<Role, readonly Permission[]> = {
  admin: PERMISSIONS,
  manager: ['system.read', 'settings.read', 'records.read', 'records.write'],
  member: ['system.read', 'settings.read', 'records.read', 'records.write'],
  readonly: ['system.read', 'settings.read', 'records.read'],
};

export function roleGrants(role: Role, permission: Permission): boolean {
  return GRANTS[role].includes(permission);
}

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}
