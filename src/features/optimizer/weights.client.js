// The campaign page's chart of learned weights, drawn by uPlot from the history table the page
// renders (its data-value attributes), so chart and table cannot disagree.
(() => {
  const table = document.getElementById("weights-history");
  const el = document.getElementById("weights-chart");
  const uPlot = window.uPlot;
  if (!table || !el || typeof uPlot !== "function") return;
  const rows = [...table.querySelectorAll("tbody tr[data-time]")];
  const names = [...table.querySelectorAll("thead th")].slice(1).map((th) => th.textContent);
  const times = rows.map((tr) => Date.parse(tr.getAttribute("data-time")) / 1000);
  const colours = ["#1f6feb", "#067647", "#b42318", "#9a6700", "#8250df", "#0f766e"];
  const data = names.map((_, i) =>
    rows.map((tr) => {
      const v = tr.querySelectorAll("td[data-value]")[i]?.getAttribute("data-value");
      return v ? Number(v) / 100 : null;
    }),
  );
  const plot = new uPlot(
    {
      width: el.clientWidth,
      height: 240,
      tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), "Etc/UTC"),
      scales: { x: { time: true }, y: { range: [0, 100] } },
      series: [
        { label: "Time (UTC)" },
        ...names.map((label, i) => ({
          label,
          stroke: colours[i % colours.length],
          width: 2,
          value: (_u, v) => (v === null ? "" : `${v.toFixed(1)}%`),
        })),
      ],
      axes: [{}, { values: (_u, vs) => vs.map((v) => `${v}%`) }],
    },
    [times, ...data],
    el,
  );
  window.addEventListener("resize", () => plot.setSize({ width: el.clientWidth, height: 240 }));
  const figures = document.getElementById("weights-figures");
  if (figures) figures.open = false;
})();
