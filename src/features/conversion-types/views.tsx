import { z } from "zod";
import { ArchivableTable, NameCell } from "../../admin/components";
import { PostForm } from "../../admin/layout";
import type { ConversionTypeRow } from "../../db/schema";
import { CONVERSION_TYPE_NAME } from "./queries";

export const typeForm = z
  .object({
    name: z.string().trim().regex(CONVERSION_TYPE_NAME, "must be 1-64 characters of A-Z, a-z, 0-9, _ or -"),
    // A checkbox sends "on" when ticked and nothing otherwise.
    includeInConversions: z.string().optional(),
  })
  .transform((v) => ({ name: v.name, includeInConversions: v.includeInConversions === "on" }));

export const TYPE_LABELS = { name: "Name" };

export type TypeValues = { name?: string; includeInConversions?: string };

export function typeValues(row: ConversionTypeRow): TypeValues {
  return { name: row.name, includeInConversions: row.includeInConversions ? "on" : undefined };
}

export function TypeTable({ rows, showingArchived }: { rows: ConversionTypeRow[]; showingArchived: boolean }) {
  return (
    <ArchivableTable
      base="/admin/conversion-types"
      columns={["Name (the postback's et= / the upload's 4th field)", "Counted in conversions"]}
      rows={rows}
      empty="No custom conversion types: every conversion is of the default type."
      showingArchived={showingArchived}
      cells={(t) => (
        <>
          <NameCell name={t.name} archived={t.archived} mono />
          <td>{t.includeInConversions ? "yes" : "no (revenue only)"}</td>
        </>
      )}
    />
  );
}

export function TypeForm({
  action,
  values = { includeInConversions: "on" },
  errors,
  submit,
}: {
  action: string;
  values?: TypeValues;
  errors?: string[];
  submit: string;
}) {
  return (
    <PostForm action={action} errors={errors} submit={submit}>
      <label>
        Name
        <input type="text" name="name" value={values.name ?? ""} required maxlength={64} placeholder="app_install" />
      </label>
      <label class="check">
        <input type="checkbox" name="includeInConversions" checked={values.includeInConversions === "on"} />
        Count in conversions (unticked: adds to revenue only)
      </label>
    </PostForm>
  );
}
