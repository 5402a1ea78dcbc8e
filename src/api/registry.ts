// Every procedure Hearth serves. Adding a capability adds its procedures here.
import { settingsGet, settingsUpdate } from '../settings/procedures.js';
import { systemInfo, systemProcedures } from '../system/procedures.js';
import type { ProcedureRegistry } from './procedure.js';

export const procedures = {
  [settingsGet.name]: settingsGet,
  [settingsUpdate.name]: settingsUpdate,
  [systemInfo.name]: systemInfo,
  [systemProcedures.name]: systemProcedures,
} as const;

export const registry: ProcedureRegistry = procedures;
