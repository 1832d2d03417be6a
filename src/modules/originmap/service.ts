/**
 * The origin map's services, by concern: reference data and local standards, records and their review, the map and
 * summary, patrol flags and notifications (service/*.ts), the spreadsheet import and export (import.ts, sheet.ts).
 */
export { listFlags, listNotifications, resolveFlag, runPatrolNow } from './service/flags.js';
export { boundaries, centreOf, deadlines, queryMap, summarise } from './service/map.js';
export {
  createRecord,
  filterOf,
  listRecords,
  listSeasons,
  newSeason,
  visitRecord,
  readRecord,
  reviewMany,
  reviewRecord,
  submitRecord,
  updateRecord,
} from './service/records.js';
export { enumerations, listProducts, setThreshold } from './service/reference.js';
export { importOutcome, originImport } from './import.js';
export { exportStream, exportTable, template } from './sheet.js';
