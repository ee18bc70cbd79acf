/**
 * Compares what schema.prisma describes with what the migrations actually built: tables, columns, column types,
 * nullability, unique constraints and enum values. We cannot run `prisma migrate diff` here (it needs the native
 * schema engine), so the schema side comes from Prisma's own parser (prisma-schema-wasm, the same one the CLI
 * bundles) and the database side from the Postgres catalogs.
 */
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import pg from "pg";

const require = createRequire(import.meta.url);
const schemaWasm = require("@prisma/prisma-schema-wasm") as { get_dmmf: (params: string) => string };

export const schemaPath = fileURLToPath(new URL("../../prisma/schema.prisma", import.meta.url));

type DmmfField = {
  name: string;
  dbName?: string | null;
  kind: "scalar" | "enum" | "object" | "unsupported";
  type: string;
  isList: boolean;
  isRequired: boolean;
  isUnique: boolean;
  isId: boolean;
  nativeType?: [string, string[]] | null;
};
type DmmfModel = {
  name: string;
  dbName: string | null;
  fields: DmmfField[];
  primaryKey: { fields: string[] } | null;
  uniqueFields: string[][];
};
type Dmmf = {
  datamodel: { models: DmmfModel[]; enums: { name: string; dbName?: string | null; values: { name: string; dbName?: string | null }[] }[] };
};

export type SchemaShape = {
  /** "table.column" → "udt_name null|not null" */
  columns: Map<string, string>;
  /** "table(col,col)" for primary keys and unique constraints/indexes */
  uniques: Set<string>;
  /** enum type → values in order */
  enums: Map<string, string>;
};

const scalarUdt: Record<string, string> = {
  String: "text",
  Int: "int4",
  BigInt: "int8",
  Float: "float8",
  Decimal: "numeric",
  Boolean: "bool",
  DateTime: "timestamp",
  Json: "jsonb",
  Bytes: "bytea",
};
const nativeUdt: Record<string, string> = {
  Text: "text",
  VarChar: "varchar",
  Char: "bpchar",
  Uuid: "uuid",
  SmallInt: "int2",
  Integer: "int4",
  BigInt: "int8",
  DoublePrecision: "float8",
  Real: "float4",
  Timestamp: "timestamp",
  Timestamptz: "timestamptz",
  Date: "date",
  JsonB: "jsonb",
  Json: "json",
};

export function schemaShapeFromPrisma(schemaText: string): SchemaShape {
  const dmmf = JSON.parse(schemaWasm.get_dmmf(JSON.stringify({ prismaSchema: [["schema.prisma", schemaText]] }))) as Dmmf;
  const enumDbName = new Map(dmmf.datamodel.enums.map((e) => [e.name, e.dbName ?? e.name]));
  const shape: SchemaShape = { columns: new Map(), uniques: new Set(), enums: new Map() };

  for (const model of dmmf.datamodel.models) {
    const table = model.dbName ?? model.name;
    const columnOf = new Map<string, string>();
    for (const field of model.fields) {
      if (field.kind === "object") continue;
      const column = field.dbName ?? field.name;
      columnOf.set(field.name, column);
      let udt =
        field.kind === "enum"
          ? (enumDbName.get(field.type) ?? field.type)
          : ((field.nativeType && nativeUdt[field.nativeType[0]]) ?? scalarUdt[field.type] ?? field.type);
      if (field.isList) udt = `_${udt}`;
      shape.columns.set(`${table}.${column}`, `${udt} ${field.isRequired || field.isList ? "not null" : "null"}`);
      if (field.isId || field.isUnique) shape.uniques.add(`${table}(${column})`);
    }
    const compound = [...model.uniqueFields, ...(model.primaryKey ? [model.primaryKey.fields] : [])];
    for (const fields of compound) shape.uniques.add(`${table}(${fields.map((f) => columnOf.get(f) ?? f).join(",")})`);
  }
  for (const e of dmmf.datamodel.enums) shape.enums.set(e.dbName ?? e.name, e.values.map((v) => v.dbName ?? v.name).join(","));
  return shape;
}

export async function schemaShapeFromDatabase(databaseUrl: string): Promise<SchemaShape> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const shape: SchemaShape = { columns: new Map(), uniques: new Set(), enums: new Map() };
    const columns = await client.query<{ table_name: string; column_name: string; udt_name: string; is_nullable: string }>(
      `SELECT table_name, column_name, udt_name, is_nullable FROM information_schema.columns
       WHERE table_schema = 'public' AND table_name <> '_prisma_migrations'`,
    );
    for (const c of columns.rows) {
      shape.columns.set(`${c.table_name}.${c.column_name}`, `${c.udt_name} ${c.is_nullable === "YES" ? "null" : "not null"}`);
    }
    const uniques = await client.query<{ table_name: string; columns: string }>(
      `SELECT t.relname AS table_name,
              string_agg(a.attname, ',' ORDER BY k.ordinality) AS columns
       FROM pg_index i
       JOIN pg_class t ON t.oid = i.indrelid
       JOIN pg_namespace n ON n.oid = t.relnamespace AND n.nspname = 'public'
       JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ordinality) ON true
       JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
       WHERE i.indisunique AND i.indpred IS NULL AND t.relname <> '_prisma_migrations'
       GROUP BY t.relname, i.indexrelid`,
    );
    for (const u of uniques.rows) shape.uniques.add(`${u.table_name}(${u.columns})`);
    const enums = await client.query<{ name: string; values: string }>(
      `SELECT t.typname AS name, string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder) AS values
       FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid
       JOIN pg_namespace n ON n.oid = t.typnamespace AND n.nspname = 'public'
       GROUP BY t.typname`,
    );
    for (const e of enums.rows) shape.enums.set(e.name, e.values);
    return shape;
  } finally {
    await client.end();
  }
}

/** Human-readable differences; empty when schema.prisma and the database agree. */
export function diffSchemaShapes(expected: SchemaShape, actual: SchemaShape): string[] {
  const problems: string[] = [];
  for (const [column, type] of expected.columns) {
    const found = actual.columns.get(column);
    if (!found) problems.push(`column ${column} (${type}) is in schema.prisma but not in the database: add a migration`);
    else if (found !== type) problems.push(`column ${column}: schema.prisma says ${type}, the database has ${found}`);
  }
  for (const column of actual.columns.keys()) {
    if (!expected.columns.has(column)) problems.push(`column ${column} is in the database but not in schema.prisma`);
  }
  for (const unique of expected.uniques)
    if (!actual.uniques.has(unique)) problems.push(`unique ${unique} is in schema.prisma but not in the database`);
  for (const unique of actual.uniques)
    if (!expected.uniques.has(unique)) problems.push(`unique ${unique} is in the database but not in schema.prisma`);
  for (const [name, values] of expected.enums) {
    const found = actual.enums.get(name);
    if (found !== values) problems.push(`enum ${name}: schema.prisma has [${values}], the database has [${found ?? "nothing"}]`);
  }
  for (const name of actual.enums.keys())
    if (!expected.enums.has(name)) problems.push(`enum ${name} is in the database but not in schema.prisma`);
  return problems;
}

export function readSchema(): string {
  return readFileSync(schemaPath, "utf8");
}
