// The dashboard's charts, drawn by uPlot in the browser. Served as a file from /admin/assets (the
// Content-Security-Policy allows no inline script). The numbers come from the figures table the
// page renders for readers without JavaScript: its data-value attributes, one row per day.
(() => {
  const table = document.getElementById("daily");
  const section = document.getElementById("charts");
  const uPlot = window.uPlot;
  if (!table || !section || typeof uPlot !== "function") return;

  const rows = [...table.querySelectorAll("tbody tr[data-day]")];
  const column = (field) =>
    rows.map((tr) => {
      const value = tr.querySelector(`td[data-field="${field}"]`)?.getAttribute("data-value");
      return value === undefined || value === null || value === "" ? null : Number(value);
    });
  // Days are local days of the report's zone: drawn at UTC midnight and labelled in UTC, so the
  // viewer's own zone never shifts a point to the neighbouring day.
  const days = rows.map((tr) => Date.parse(`${tr.getAttribute("data-day")}T00:00:00Z`) / 1000);
  const tzDate = (ts) => uPlot.tzDate(new Date(ts * 1000), "Etc/UTC");
  const money = (_u, values) => values.map((v) => (v === null ? "" : v.toFixed(2)));
  const line = (label, stroke, scale) => ({ label, stroke, scale, width: 2, points: { size: 5 } });

  section.hidden = false;
  const height = 260;
  const charts = [
    {
      el: document.getElementById("chart-traffic"),
      series: [line("Visits", "#1f6feb", "visits"), line("Conversions", "#067647", "conversions")],
      data: [column("visits"), column("conversions")],
      axes: [
        { scale: "visits", label: "Visits" },
        { scale: "conversions", label: "Conversions", side: 1, grid: { show: false } },
      ],
    },
    {
      el: document.getElementById("chart-money"),
      series: [
        line("Revenue", "#067647", "money"),
        line("Cost", "#b42318", "money"),
        line("Profit", "#1f6feb", "money"),
      ],
      data: [column("revenue"), column("cost"), column("profit")],
      axes: [{ scale: "money", values: money }],
    },
  ].map((c) => {
    const width = c.el.clientWidth;
    const opts = {
      width,
      height,
      tzDate,
      scales: { x: { time: true } },
      series: [{ label: "Day", value: "{YYYY}-{MM}-{DD}" }, ...c.series],
      axes: [{}, ...c.axes],
    };
    return { el: c.el, plot: new uPlot(opts, [days, ...c.data], c.el) };
  });

  // The charts follow the page's width (phone turned, window resized).
  let pending = 0;
  window.addEventListener("resize", () => {
    cancelAnimationFrame(pending);
    pending = requestAnimationFrame(() => {
      for (const c of charts) c.plot.setSize({ width: c.el.clientWidth, height });
    });
  });

  // The charts say what the table said; the table stays one click away.
  const figures = document.getElementById("daily-figures");
  if (figures) figures.open = false;
})();
