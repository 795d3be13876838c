import { trafficSourceBody } from "./schema";
import { TRAFFIC_SOURCE_TEMPLATES, type TrafficSourceTemplate } from "./templates";
import { inputValues, type SourceValues } from "./views";

/** "Start from a template": a GET form, so picking one only fills the new-source form below. */
export function TemplatePicker({ current }: { current?: string }) {
  return (
    <form class="inline" method="get" action="/admin/traffic-sources">
      <label>
        Start from a template{" "}
        <select name="template">
          <option value="">(none: fill in by hand)</option>
          {TRAFFIC_SOURCE_TEMPLATES.map((t) => (
            <option value={t.id} selected={t.id === current}>
              {t.name}
            </option>
          ))}
        </select>
      </label>{" "}
      <button type="submit" class="secondary">
        Fill in
      </button>
    </form>
  );
}

/** What the admin still has to do for a template: its placeholders, its note, where it came from. */
export function TemplateNotice({ template }: { template: TrafficSourceTemplate }) {
  return (
    <div class="notice" role="status">
      <p>
        Filled in from the {template.name} template.
        {template.replace.length > 0 && ` Replace ${template.replace.join(", ")} with your account's values.`}{" "}
        {template.note}
      </p>
      <p>
        Source:{" "}
        {template.docs.map((d) => (
          <>
            <a href={d} rel="noreferrer">
              {d}
            </a>{" "}
          </>
        ))}
      </p>
    </div>
  );
}

/** A template as the form's fields (through the API's schema, so the form sees what POST would store). */
export function templateValues(template: TrafficSourceTemplate): SourceValues {
  return inputValues(trafficSourceBody.parse(template.source));
}
