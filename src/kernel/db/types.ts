import type { ColumnType } from 'kysely';

/** Column helper types shared by every module's table types. */
export type Timestamp = Date;
export type Json<T = Record<string, unknown>> = ColumnType<T, string | T, string | T>;
export type Numeric = ColumnType<string, string | number, string | number>;
export type DateStr = ColumnType<string, string, string>;
