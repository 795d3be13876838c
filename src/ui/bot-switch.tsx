/**
 * "Hide bots": one switch (a GET form with its Apply button, so it needs no script) and how many
 * bot visits the range holds, hidden or not.
 */
export function BotSwitch({
  action,
  hidden,
  bots,
  name = "hideBots",
  value = "1",
  keep = [],
}: {
  action: string;
  hidden: boolean;
  bots: number;
  name?: string;
  value?: string;
  keep?: [string, string][];
}) {
  const count = bots.toLocaleString("en-US");
  return (
    <form class="bot-switch" method="get" action={action} id="bot-switch">
      {keep.map(([k, v]) => (
        <input type="hidden" name={k} value={v} />
      ))}
      <label>
        <input type="checkbox" name={name} value={value} checked={hidden} /> Hide bots
      </label>{" "}
      <button type="submit" class="secondary">
        Apply
      </button>{" "}
      <span class="muted" id="bots-hidden">
        {hidden
          ? `${count} bot visit${bots === 1 ? "" : "s"} hidden`
          : `${count} bot visit${bots === 1 ? "" : "s"} included`}
      </span>
    </form>
  );
}
