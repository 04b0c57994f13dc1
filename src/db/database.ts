/**
 * The Kysely view of the schema. Columns are camelCase here and snake_case in SQL
 * (Kysely's CamelCasePlugin converts). Each domain module adds its tables as it lands.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled in by the domain modules' tables
export interface Database {}
