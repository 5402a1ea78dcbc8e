// The core's contract as the renderer sees it: types only, so nothing from src/ ends up in the bundle.
export type {
  Api,
  ApiErrorBody,
  ApiErrorCode,
  CallResult,
  ChangeEvent,
  DesktopSetupApi,
  HearthBridge,
  HearthEvent,
  InputOf,
  OutputOf,
  ProcedureName,
  ReminderEvent,
  SystemInfo,
  WorkspaceSettings,
} from '../../../../src/api/contract.js';
