import type { ConversionTypeRow } from "../../db/schema";
import { ArchivableTable, NameCell } from "../../ui/components";
import { PostForm } from "../../ui/layout";

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
