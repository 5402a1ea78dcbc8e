// Every procedure Hearth serves. Adding a capability adds its procedures here.
import {
  peopleBulkDelete,
  peopleBulkUpdate,
  peopleCreate,
  peopleDelete,
  peopleGet,
  peopleList,
  peopleRestore,
  peopleUpdate,
} from '../people/procedures.js';
import {
  companiesBulkDelete,
  companiesBulkUpdate,
  companiesCreate,
  companiesDelete,
  companiesGet,
  companiesList,
  companiesRestore,
  companiesUpdate,
} from '../companies/procedures.js';
import { fieldsArchive, fieldsCreate, fieldsList, fieldsReorder, fieldsUpdate } from '../fields/procedures.js';
import { tagsDelete, tagsList, tagsMerge, tagsRename } from '../tags/procedures.js';
import { viewsDelete, viewsList, viewsSave } from '../views/procedures.js';
import { settingsGet, settingsUpdate } from '../settings/procedures.js';
import { systemInfo, systemProcedures } from '../system/procedures.js';
import { usersList } from '../users/procedures.js';
import {
  activitiesCreate,
  activitiesDelete,
  activitiesGet,
  activitiesList,
  activitiesUpdate,
} from '../activities/procedures.js';
import { notesCreate, notesDelete, notesGet, notesList, notesUpdate } from '../notes/procedures.js';
import {
  tasksComplete,
  tasksCreate,
  tasksDelete,
  tasksDueReminders,
  tasksGet,
  tasksList,
  tasksMarkReminded,
  tasksReopen,
  tasksUpdate,
} from '../tasks/procedures.js';
import { timelineGet } from '../timeline/procedures.js';
import { trashEmpty, trashList, trashRestore } from '../trash/procedures.js';
import { reportProcedures } from '../reports/procedures.js';
import { dealProcedures } from '../deals/procedures.js';
import { searchQuery } from '../search/procedures.js';
import type { ProcedureRegistry } from './procedure.js';

export const procedures = {
  [settingsGet.name]: settingsGet,
  [settingsUpdate.name]: settingsUpdate,
  [systemInfo.name]: systemInfo,
  [systemProcedures.name]: systemProcedures,
  [usersList.name]: usersList,
  // people
  [peopleCreate.name]: peopleCreate,
  [peopleGet.name]: peopleGet,
  [peopleUpdate.name]: peopleUpdate,
  [peopleDelete.name]: peopleDelete,
  [peopleRestore.name]: peopleRestore,
  [peopleList.name]: peopleList,
  [peopleBulkUpdate.name]: peopleBulkUpdate,
  [peopleBulkDelete.name]: peopleBulkDelete,
  // companies
  [companiesCreate.name]: companiesCreate,
  [companiesGet.name]: companiesGet,
  [companiesUpdate.name]: companiesUpdate,
  [companiesDelete.name]: companiesDelete,
  [companiesRestore.name]: companiesRestore,
  [companiesList.name]: companiesList,
  [companiesBulkUpdate.name]: companiesBulkUpdate,
  [companiesBulkDelete.name]: companiesBulkDelete,
  // custom fields, tags, saved views
  [fieldsCreate.name]: fieldsCreate,
  [fieldsUpdate.name]: fieldsUpdate,
  [fieldsArchive.name]: fieldsArchive,
  [fieldsList.name]: fieldsList,
  [fieldsReorder.name]: fieldsReorder,
  [tagsList.name]: tagsList,
  [tagsRename.name]: tagsRename,
  [tagsMerge.name]: tagsMerge,
  [tagsDelete.name]: tagsDelete,
  [viewsSave.name]: viewsSave,
  [viewsList.name]: viewsList,
  [viewsDelete.name]: viewsDelete,
  // activities, notes, tasks, timeline, trash
  [activitiesCreate.name]: activitiesCreate,
  [activitiesGet.name]: activitiesGet,
  [activitiesUpdate.name]: activitiesUpdate,
  [activitiesDelete.name]: activitiesDelete,
  [activitiesList.name]: activitiesList,
  [notesCreate.name]: notesCreate,
  [notesGet.name]: notesGet,
  [notesUpdate.name]: notesUpdate,
  [notesDelete.name]: notesDelete,
  [notesList.name]: notesList,
  [tasksCreate.name]: tasksCreate,
  [tasksGet.name]: tasksGet,
  [tasksUpdate.name]: tasksUpdate,
  [tasksComplete.name]: tasksComplete,
  [tasksReopen.name]: tasksReopen,
  [tasksDelete.name]: tasksDelete,
  [tasksList.name]: tasksList,
  [tasksMarkReminded.name]: tasksMarkReminded,
  [tasksDueReminders.name]: tasksDueReminders,
  [timelineGet.name]: timelineGet,
  // search
  [searchQuery.name]: searchQuery,
  [trashList.name]: trashList,
  [trashRestore.name]: trashRestore,
  [trashEmpty.name]: trashEmpty,
  // pipelines, deals, exchange rates, automation rules
  ...dealProcedures,
  // reports
  ...reportProcedures,
} as const;

export const registry: ProcedureRegistry = procedures;
