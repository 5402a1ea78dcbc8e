// The core's contract as the renderer sees it: types only, so nothing from src/ ends up in the bundle.
export type {
  Api,
  ApiErrorBody,
  ApiErrorCode,
  CallResult,
  DesktopSetupApi,
  HearthBridge,
  HearthEvent,
  InputOf,
  OutputOf,
  ProcedureName,
  SystemInfo,
  WorkspaceSettings,
} from '../../../../src/api/contract.js';
