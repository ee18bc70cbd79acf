import { describe, expect, inject, it } from "vitest";
import { diffSchemaShapes, readSchema, schemaShapeFromDatabase, schemaShapeFromPrisma } from "@/test/schema-drift";

describe("schema.prisma and the migrations", () => {
  it("describe the same database (tables, columns, types, nullability, uniques, enums)", async () => {
    const expected = schemaShapeFromPrisma(readSchema());
    const actual = await schemaShapeFromDatabase(inject("databaseUrl"));
    expect(diffSchemaShapes(expected, actual)).toEqual([]);
    expect(expected.columns.size).toBeGreaterThan(20);
  });

  it("would catch a column added to schema.prisma without a migration", async () => {
    const withExtraColumn = readSchema().replace(/model Tenant \{\n/, "model Tenant {\n  timezone String\n");
    const problems = diffSchemaShapes(schemaShapeFromPrisma(withExtraColumn), await schemaShapeFromDatabase(inject("databaseUrl")));
    expect(problems).toEqual(["column tenants.timezone (text not null) is in schema.prisma but not in the database: add a migration"]);
  });

  it("would catch a nullability or uniqueness change without a migration", async () => {
    const changed = readSchema()
      .replace("slug             String            @unique", "slug             String")
      .replace("verifiedName       String?", "verifiedName       String");
    const problems = diffSchemaShapes(schemaShapeFromPrisma(changed), await schemaShapeFromDatabase(inject("databaseUrl")));
    expect(problems).toEqual([
      "column phone_numbers.verifiedName: schema.prisma says text not null, the database has text null",
      "unique tenants(slug) is in the database but not in schema.prisma",
    ]);
  });
});
